import { describe, expect, it } from 'vitest';
import type { ChunkEvent, SegmentEvent } from './encoder-protocol';
import { frameOffsets } from './mp3-frames';
import { concatBytes, hostEvents, tone } from './test-helpers';

describe('EncoderHost chunks', { timeout: 30_000 }, () => {
  it('sends about one chunk a second; a segment’s chunks are a byte-exact prefix of it, in frame time', async () => {
    const events = await hostEvents(tone(16_000, 5.3, 440), { segmentMs: 2000, chunkMs: 1000 });
    const segments = events.filter((e): e is SegmentEvent => e.type === 'segment');
    const chunks = events.filter((e): e is ChunkEvent => e.type === 'chunk');
    expect(segments.map((s) => s.seq)).toEqual([0, 1, 2]);
    expect(chunks.map((c) => `${c.seq}/${c.part}`)).toEqual(['0/0', '1/0', '2/0']);
    for (const s of segments) {
      const own = chunks.filter((c) => c.seq === s.seq);
      // Every chunk of a segment leaves before the segment itself.
      for (const c of own) expect(events.indexOf(c)).toBeLessThan(events.indexOf(s));
      const joined = concatBytes(own.map((c) => c.bytes));
      expect(joined).toEqual(s.bytes.subarray(0, joined.length));
      let at = s.startMs;
      for (const c of own) {
        expect(c.startMs).toBeCloseTo(at, 9);
        expect(frameOffsets(c.bytes).length).toBe(c.frameCount);
        expect(c.durationMs).toBeCloseTo((c.frameCount * 576 * 1000) / 16_000, 9);
        expect(c.durationMs).toBeGreaterThanOrEqual(1000);
        expect(c.durationMs).toBeLessThan(1000 + 3 * 36);
        expect(c.encoderDelaySamples).toBe(s.encoderDelaySamples);
        at += c.durationMs;
      }
    }
  });

  it('sends chunks at the configured interval', async () => {
    const events = await hostEvents(
      tone(16_000, 3, 440),
      { segmentMs: 10_000, chunkMs: 500 },
      { end: false }
    );
    const chunks = events.filter((e): e is ChunkEvent => e.type === 'chunk');
    expect(chunks.length).toBe(5);
    expect(chunks.map((c) => c.part)).toEqual([0, 1, 2, 3, 4]);
    expect(events.some((e) => e.type === 'segment')).toBe(false);
  });
});
