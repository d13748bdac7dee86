import { describe, expect, it } from 'vitest';
import { frameOffsets, parseFrameHeader } from './mp3-frames';
import { LAME_DECODED_DELAY_SAMPLES } from './mp3-encoder';
import { Mp3Segmenter, type Mp3Segment } from './segmenter';
import { concatBytes, ffmpegDecode, goertzel, hasFfmpeg, nodeEncoder, tone } from './test-helpers';

const RATE = 16000;

/** Encodes `pcm` in blocks of `block` samples through a real encoder; returns its raw output chunks. */
async function encodeChunks(kind: 'wasm' | 'lamejs', pcm: Float32Array, block = 128): Promise<Uint8Array[]> {
  const enc = await nodeEncoder(kind, { sampleRate: RATE, bitrateKbps: 32 });
  const out: Uint8Array[] = [];
  for (let i = 0; i < pcm.length; i += block) out.push(enc.encode(pcm.subarray(i, i + block)));
  out.push(enc.flush());
  return out;
}

function segmentAll(chunks: readonly Uint8Array[], segmentMs: number): Mp3Segment[] {
  const seg = new Mp3Segmenter({ segmentMs });
  return [...chunks.flatMap((c) => seg.push(c)), ...seg.finish()];
}

describe('parseFrameHeader', () => {
  it('reads an MPEG-2 layer III 32 kbit/s 16 kHz mono header', () => {
    const h = parseFrameHeader(new Uint8Array([0xff, 0xf3, 0x48, 0xc4]));
    expect(h).toMatchObject({ version: '2', layer: 3, bitrateKbps: 32, sampleRate: 16000, channels: 1 });
    expect(h?.samplesPerFrame).toBe(576);
    expect(h?.frameLength).toBe(144);
  });
  it('reads MPEG-1 layer III 128 kbit/s 44.1 kHz with padding', () => {
    const h = parseFrameHeader(new Uint8Array([0xff, 0xfb, 0x92, 0x00]));
    expect(h).toMatchObject({ version: '1', layer: 3, bitrateKbps: 128, sampleRate: 44100, padding: true });
    expect(h?.frameLength).toBe(418);
    expect(h?.samplesPerFrame).toBe(1152);
  });
  it('rejects no sync, reserved version, free format and short input', () => {
    expect(parseFrameHeader(new Uint8Array([0xfe, 0xf3, 0x48, 0xc4]))).toBeUndefined();
    expect(parseFrameHeader(new Uint8Array([0xff, 0xeb, 0x48, 0xc4]))).toBeUndefined();
    expect(parseFrameHeader(new Uint8Array([0xff, 0xf3, 0x08, 0xc4]))).toBeUndefined();
    expect(parseFrameHeader(new Uint8Array([0xff, 0xf3, 0x48]))).toBeUndefined();
  });
});

// Real encoders (lamejs is slow) and ffmpeg: generous timeouts so a busy machine does not fail the suite.
describe.each(['wasm', 'lamejs'] as const)('Mp3Segmenter on the %s encoder', { timeout: 60_000 }, (kind) => {
  it('cuts on frame boundaries, keeps the stream byte for byte, and counts time from frames', async () => {
    const chunks = await encodeChunks(kind, tone(RATE, 7.3, 440));
    const stream = concatBytes(chunks);
    const segments = segmentAll(chunks, 2000);
    expect(segments.length).toBe(4);
    expect(concatBytes(segments.map((s) => s.bytes))).toEqual(stream);
    const totalFrames = frameOffsets(stream).length;
    let frames = 0;
    for (const [i, s] of segments.entries()) {
      expect(s.seq).toBe(i);
      expect(s.final).toBe(i === segments.length - 1);
      expect(parseFrameHeader(s.bytes, 0)).toBeDefined();
      const offsets = frameOffsets(s.bytes); // throws unless whole frames exactly fill the segment
      expect(offsets.length).toBe(s.frameCount);
      expect(s.startFrame).toBe(frames);
      expect(s.startMs).toBeCloseTo((frames * 576 * 1000) / RATE, 9);
      if (!s.final) expect(s.startMs + s.durationMs).toBeGreaterThanOrEqual((i + 1) * 2000);
      if (!s.final) expect(s.startMs + s.durationMs).toBeLessThan((i + 1) * 2000 + 36);
      frames += s.frameCount;
    }
    expect(frames).toBe(totalFrames);
    const sum = segments.reduce((ms, s) => ms + s.durationMs, 0);
    expect(sum).toBeCloseTo((totalFrames * 576 * 1000) / RATE, 6);
  });

  it('never drifts: segment k ends at the first frame reaching k × N', async () => {
    const segments = segmentAll(await encodeChunks(kind, tone(RATE, 10, 300), 1000), 3000);
    expect(segments.map((s) => s.final)).toEqual([false, false, false, true]);
    for (const s of segments.slice(0, -1)) {
      const endMs = s.startMs + s.durationMs;
      expect(endMs).toBeGreaterThanOrEqual((s.seq + 1) * 3000);
      expect(endMs - 36).toBeLessThan((s.seq + 1) * 3000);
    }
  });

  it.runIf(hasFfmpeg)('decodes (ffmpeg) to the right duration and tone', async () => {
    const input = tone(RATE, 12, 1000);
    const segments = segmentAll(await encodeChunks(kind, input, 441), 3000);
    const joined = concatBytes(segments.map((s) => s.bytes));
    const pcm = ffmpegDecode(joined);
    const frames = segments.reduce((n, s) => n + s.frameCount, 0);
    expect(Math.abs(pcm.length - frames * 576)).toBeLessThanOrEqual(576);
    // LAME's padding is the input rounded up to frames plus its delay: within one frame plus the delay.
    expect(pcm.length - input.length).toBeGreaterThanOrEqual(LAME_DECODED_DELAY_SAMPLES);
    expect(pcm.length - input.length).toBeLessThan(LAME_DECODED_DELAY_SAMPLES + 576 + 576);
    const body = pcm.subarray(LAME_DECODED_DELAY_SAMPLES, LAME_DECODED_DELAY_SAMPLES + input.length);
    const at1000 = goertzel(body, RATE, 1000);
    expect(at1000).toBeGreaterThan(0.05); // amplitude 0.5 -> ~0.0625
    expect(goertzel(body, RATE, 700)).toBeLessThan(at1000 / 1000);
    expect(goertzel(body, RATE, 1300)).toBeLessThan(at1000 / 1000);
  });

  it.runIf(hasFfmpeg)(
    'starts the input exactly LAME_DECODED_DELAY_SAMPLES into the decoded stream',
    async () => {
      // A click at sample 4000 of silence shows up at 4000 + delay after decoding.
      const input = new Float32Array(RATE * 2);
      for (let i = 4000; i < 4008; i++) input[i] = i % 2 ? -0.9 : 0.9;
      const pcm = ffmpegDecode(concatBytes(await encodeChunks(kind, input)));
      let peak = 0;
      for (let i = 1; i < pcm.length; i++)
        if (Math.abs(pcm[i] as number) > Math.abs(pcm[peak] as number)) peak = i;
      expect(Math.abs(peak - (4004 + LAME_DECODED_DELAY_SAMPLES))).toBeLessThanOrEqual(8);
    }
  );
});

describe('Mp3Segmenter on hand-made input', () => {
  const frame = (): Uint8Array => {
    const f = new Uint8Array(144);
    f.set([0xff, 0xf3, 0x48, 0xc4]);
    return f;
  };
  it('accepts frames split across arbitrary chunks and holds the last full segment for finish()', () => {
    const stream = concatBytes(Array.from({ length: 56 }, frame)); // 56 × 36 ms = 2.016 s
    const seg = new Mp3Segmenter({ segmentMs: 1000 });
    const out: Mp3Segment[] = [];
    for (let i = 0; i < stream.length; i += 7) out.push(...seg.push(stream.subarray(i, i + 7)));
    expect(out.map((s) => s.frameCount)).toEqual([28]);
    out.push(...seg.finish());
    expect(out.map((s) => [s.frameCount, s.final])).toEqual([
      [28, false],
      [28, true]
    ]);
  });
  it('hands out chunks of whole frames of the segment being built, restarting parts at each cut', () => {
    const stream = concatBytes(Array.from({ length: 40 }, frame)); // 40 × 36 ms
    const seg = new Mp3Segmenter({ segmentMs: 1000 });
    expect(seg.takeChunk()).toBeUndefined();
    seg.push(stream.subarray(0, 144 * 10 + 50)); // 10 whole frames and part of the 11th
    expect(seg.unchunkedMs).toBe(360);
    const c0 = seg.takeChunk();
    expect(c0).toMatchObject({ seq: 0, part: 0, startFrame: 0, frameCount: 10 });
    expect(c0?.bytes).toEqual(stream.subarray(0, 1440));
    expect(seg.unchunkedMs).toBe(0);
    expect(seg.takeChunk()).toBeUndefined();
    const cut = seg.push(stream.subarray(1490, 144 * 30));
    expect(cut.map((s) => s.frameCount)).toEqual([28]);
    expect(cut[0]?.bytes.subarray(0, 1440)).toEqual(c0?.bytes);
    expect(seg.takeChunk()).toMatchObject({ seq: 1, part: 0, startFrame: 28, frameCount: 2 });
    seg.push(stream.subarray(144 * 30));
    expect(seg.takeChunk()).toMatchObject({ seq: 1, part: 1, startFrame: 30, frameCount: 10 });
  });
  it('throws on lost sync and on a truncated last frame', () => {
    expect(() => new Mp3Segmenter().push(new Uint8Array([1, 2, 3, 4, 5]))).toThrow(/no MPEG audio frame/);
    const seg = new Mp3Segmenter();
    seg.push(frame().subarray(0, 100));
    expect(() => seg.finish()).toThrow(/inside a frame/);
  });
});
