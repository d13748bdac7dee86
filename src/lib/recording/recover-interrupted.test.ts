import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryOutboxStore } from '$lib/outbox/memory-outbox-store';
import type { OutboxRecording, OutboxSegment } from '$lib/outbox/outbox-types';
import type { ChunkEvent, SegmentEvent, WorkerEvent } from '$lib/recorder/encoder-protocol';
import { concatBytes, hostEvents, tone } from '$lib/recorder/test-helpers';
import { CaptureSession, type RecorderLike } from './capture-session';
import { recoverInterrupted, type RecoveryDeps } from './recover-interrupted';

const ID = '01890000-0000-7000-8000-000000000001';
const base: OutboxRecording = {
  id: ID,
  callId: 'c',
  direction: 'inbound',
  remoteNumber: '3001',
  line: 'main',
  startedAt: '2026-11-29T10:00:00.000Z',
  uploadToken: null,
  finished: null,
  segmentsStored: 3,
  durationMs: 30_000,
  objected: false,
  createdAt: 1
};
const T0 = Date.parse('2026-11-29T10:00:00Z');
const deps = (now = T0 + 300_000): RecoveryDeps => ({
  now,
  randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
  sha256: (b) => Promise.resolve(createHash('sha256').update(b).digest('hex'))
});
/** The encoder's events of a recording whose tab died mid-call (no `end`). */
const CRASHED = { end: false, recordingId: ID };
const settle = () => new Promise((r) => setTimeout(r, 0));

/** Stands in for the recorder: the test replays a real encoder host's events through it. */
class ReplayRecorder implements RecorderLike {
  current = 'idle';
  segment: Parameters<RecorderLike['onSegment']>[0] = () => undefined;
  chunk: Parameters<RecorderLike['onChunk']>[0] = () => undefined;
  async start() {
    this.current = 'paused';
  }
  pause() {}
  resume() {}
  async stop() {}
  addSource() {}
  removeSource() {}
  onSegment(cb: ReplayRecorder['segment']) {
    this.segment = cb;
    return () => undefined;
  }
  onChunk(cb: ReplayRecorder['chunk']) {
    this.chunk = cb;
    return () => undefined;
  }
  onError() {
    return () => undefined;
  }
  replay(e: WorkerEvent) {
    if (e.type === 'segment') this.segment(e);
    if (e.type === 'chunk') this.chunk(e);
  }
}

/** A capture session on `store` fed with `events`; `after` sees the store after each event is written. */
async function capture(store: MemoryOutboxStore, events: WorkerEvent[], after?: (e: WorkerEvent) => void) {
  const recorder = new ReplayRecorder();
  let clock = T0;
  const session = new CaptureSession(
    {
      id: ID,
      callId: 'c',
      direction: 'inbound',
      remoteNumber: '3001',
      line: 'main',
      startedAt: base.startedAt
    },
    {
      store,
      recorder,
      kickUpload: () => undefined,
      now: () => (clock += 50),
      randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
      onProblem: (m) => {
        throw new Error(m);
      }
    }
  );
  session.start(T0, new Map());
  await settle();
  for (const e of events) {
    recorder.replay(e);
    await settle();
    after?.(e);
  }
}

const bytesOf = async (store: MemoryOutboxStore) =>
  concatBytes((await store.listSegments()).sort((a, b) => a.seq - b.seq).map((s) => s.bytes));

/** A store whose `failAt`-th write (counted from construction) throws, as if the tab died there. */
class DyingStore extends MemoryOutboxStore {
  writes = 0;
  failAt = Infinity;
  #tick() {
    if (++this.writes === this.failAt) throw new Error('tab died');
  }
  override async putSegment(...a: Parameters<MemoryOutboxStore['putSegment']>) {
    this.#tick();
    return super.putSegment(...a);
  }
  override async deleteChunks(id: string) {
    this.#tick();
    return super.deleteChunks(id);
  }
  override async putEvents(...a: Parameters<MemoryOutboxStore['putEvents']>) {
    this.#tick();
    return super.putEvents(...a);
  }
  override async updateRecording(...a: Parameters<MemoryOutboxStore['updateRecording']>) {
    this.#tick();
    return super.updateRecording(...a);
  }
}

describe('recoverInterrupted', { timeout: 30_000 }, () => {
  it('finishes a recording a closed tab left open with what was stored, and marks the gap', async () => {
    const store = new MemoryOutboxStore();
    await store.putRecording(base);
    await store.putRecording({ ...base, id: 'done', finished: { segmentCount: 1, durationMs: 1 } });
    await recoverInterrupted(store, deps());
    expect((await store.getRecording(base.id))?.finished).toEqual({ segmentCount: 3, durationMs: 30_000 });
    const events = await store.listEvents(base.id);
    expect(events.map((e) => [e.type, e.detail])).toEqual([
      ['gap', { cause: 'reload' }],
      ['ended', { reason: 'uncertain' }]
    ]);
    expect(await store.listEvents('done')).toEqual([]);
  });

  it('keeps the encoder delay from the first chunk, before any segment completed', async () => {
    const events = await hostEvents(tone(16_000, 1.5, 440), { segmentMs: 10_000 }, CRASHED);
    expect(events.every((e) => e.type === 'chunk')).toBe(true);
    const store = new MemoryOutboxStore();
    await capture(store, events);
    expect((await store.getRecording(ID))?.encoderDelaySamples).toBe(1105);
    await recoverInterrupted(store, deps());
    expect((await store.getRecording(ID))?.finished).toMatchObject({
      segmentCount: 1,
      encoderDelaySamples: 1105
    });
    expect((await store.getRecording(ID))?.finished).not.toHaveProperty('paddingSamples');
  });

  it('adds no second gap or end when pagehide already stored them', async () => {
    const store = new MemoryOutboxStore();
    await store.putRecording(base);
    const at = new Date(T0).toISOString();
    await store.putEvents([
      { recordingId: ID, eventId: 'a', type: 'gap', at, detail: { cause: 'page-hide' } },
      { recordingId: ID, eventId: 'b', type: 'ended', at, detail: { reason: 'uncertain' } }
    ]);
    await recoverInterrupted(store, deps());
    expect((await store.listEvents(ID)).map((e) => e.eventId)).toEqual(['a', 'b']);
    expect((await store.getRecording(ID))?.finished).not.toBeNull();
  });

  it('stores each chunk as it comes; a completed segment replaces its chunks in the same write', async () => {
    const events = await hostEvents(tone(16_000, 3.3, 440), { segmentMs: 2000 }, CRASHED);
    expect(events.map((e) => (e.type === 'chunk' ? `c${e.seq}/${e.part}` : e.type))).toEqual([
      'c0/0',
      'segment',
      'c1/0'
    ]);
    const store = new MemoryOutboxStore();
    const seen: string[] = [];
    await capture(store, events, () =>
      seen.push(
        [...store.chunks.values()].map((c) => `c${c.seq}/${c.part}`).join(',') +
          '|' +
          [...store.segments.values()].map((s) => `s${s.seq}`).join(',')
      )
    );
    expect(seen).toEqual(['c0/0|', '|s0', 'c1/0|s0']);
    const chunk = store.chunks.get(`${ID}/1/0`);
    expect(chunk?.bytes).toEqual((events[2] as ChunkEvent).bytes);
    expect(chunk).toMatchObject({
      startMs: (events[1] as SegmentEvent).durationMs,
      encoderDelaySamples: 1105
    });
  });

  it('joins the chunks into exactly the bytes and duration the encoder produced up to the last chunk', async () => {
    const pcm = tone(16_000, 13.5, 440);
    const full = (await hostEvents(pcm, {}, { recordingId: ID })).filter(
      (e): e is SegmentEvent => e.type === 'segment'
    );
    const stream = concatBytes(full.map((s) => s.bytes));
    const events = await hostEvents(pcm, {}, CRASHED);
    const chunks = events.filter((e): e is ChunkEvent => e.type === 'chunk' && e.seq === 1);
    const last = chunks.at(-1) as ChunkEvent;
    const store = new MemoryOutboxStore();
    await capture(store, events);
    expect(store.chunks.size).toBe(chunks.length);

    await recoverInterrupted(store, deps());
    const segments = (await store.listSegments()).sort((a, b) => a.seq - b.seq);
    expect(segments.map((s) => s.seq)).toEqual([0, 1]);
    const recovered = segments[1] as OutboxSegment;
    const joined = await bytesOf(store);
    expect(joined).toEqual(stream.subarray(0, joined.length));
    expect(recovered.bytes).toEqual(concatBytes(chunks.map((c) => c.bytes)));
    expect(recovered.sha256).toBe(createHash('sha256').update(recovered.bytes).digest('hex'));
    expect(recovered.startMs).toBe(full[0]?.durationMs);
    expect(recovered.durationMs).toBe(chunks.reduce((ms, c) => ms + c.durationMs, 0));
    const durationMs = last.startMs + last.durationMs;
    // The encoder delay came with the first audio, so the recovered recording still starts sample-exact; the
    // padding never came (no final segment), and the server then trims only the start.
    expect((await store.getRecording(ID))?.finished).toEqual({
      segmentCount: 2,
      durationMs,
      encoderDelaySamples: 1105
    });
    expect(store.chunks.size).toBe(0);
    const events2 = await store.listEvents(ID);
    expect(events2.map((e) => e.type)).toEqual(['gap', 'ended']);
    // The gap is placed where the stored audio stops, not at the reopening.
    expect(Date.parse(events2[0]?.at ?? '')).toBe(store.segments.get(`${ID}/1`)?.createdAt);
    // Lost: the audio after the last chunk, less than a chunk plus what the encoder still held.
    const lostMs = 13_500 + (1105 * 1000) / 16_000 - durationMs;
    expect(lostMs).toBeGreaterThan(0);
    expect(lostMs).toBeLessThan(1000 + 200);
  });

  it('converges on the same result when recovery itself is interrupted at any write', async () => {
    const events = await hostEvents(tone(16_000, 5.3, 1000), { segmentMs: 2000 }, CRASHED);
    const snapshot = async (store: MemoryOutboxStore) => ({
      segments: (await store.listSegments()).map(({ seq, sha256, startMs, durationMs }) => ({
        seq,
        sha256,
        startMs,
        durationMs
      })),
      chunks: store.chunks.size,
      events: (await store.listEvents(ID)).map((e) => [e.type, e.at, e.detail]),
      finished: (await store.getRecording(ID))?.finished
    });
    const reference = new MemoryOutboxStore();
    await capture(reference, events);
    await recoverInterrupted(reference, deps());
    const want = await snapshot(reference);
    expect(want.segments.map((s) => s.seq)).toEqual([0, 1, 2]);

    for (let failAt = 1; ; failAt++) {
      const store = new DyingStore();
      await capture(store, events);
      store.failAt = store.writes + failAt;
      const first = await recoverInterrupted(store, deps(T0 + 1)).then(
        () => 'done',
        () => 'died'
      );
      await recoverInterrupted(store, deps(T0 + 2));
      await recoverInterrupted(store, deps(T0 + 3)); // and once more after it finished: nothing changes
      expect(await snapshot(store)).toEqual(want);
      if (first === 'done') break;
    }
  });
});
