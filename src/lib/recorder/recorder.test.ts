import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { SegmentEvent } from './encoder-protocol';
import {
  CAPTURE_LATENCY_S,
  CAPTURE_SAMPLE_RATE,
  createCaptureContext,
  Recorder,
  type CaptureContextOptions
} from './recorder';
import { fakeStream, fakeWorld } from './recorder-fakes';
import { tone } from './test-helpers';

/** Feeds `seconds` of a 48 kHz tone into the fake worklet in render quanta. */
function pump(world: ReturnType<typeof fakeWorld>, seconds: number, hz = 440): void {
  const x = tone(48_000, seconds, hz);
  for (let i = 0; i < x.length; i += 128) world.core().process([x.subarray(i, i + 128)], [], 128);
}

const pcmSamples = (world: ReturnType<typeof fakeWorld>): number =>
  world.frames.reduce((n, f) => n + (f.type === 'pcm' ? f.samples.length : 0), 0);

describe('Recorder', { timeout: 30_000 }, () => {
  it('posts audio to the encoder in 200 ms batches, and the partial batch at a pause', async () => {
    const world = fakeWorld();
    const rec = new Recorder(world.deps);
    rec.addSource(fakeStream());
    await rec.start('rec-b', 1_700_000_000_000);
    pump(world, 0.5);
    rec.pause('hold');
    await rec.stop();
    const sizes = world.frames.flatMap((f) => (f.type === 'pcm' ? [f.samples.length] : []));
    expect(sizes.slice(0, 2)).toEqual([3200, 3200]);
    // 0.5 s = 2 full batches, then the partial one the pause flushes (and the resampler's tail at stop).
    expect(sizes[2]).toBeLessThan(3200);
  });

  it('walks idle -> starting -> capturing <-> paused -> stopping -> stopped and delivers every segment', async () => {
    const world = fakeWorld();
    const rec = new Recorder(world.deps, { segmentMs: 2000 });
    const segments: SegmentEvent[] = [];
    rec.onSegment((s) => segments.push(s));
    const mic = fakeStream();
    rec.addSource(mic, 'local');
    expect(rec.current).toBe('idle');
    const started = rec.start('rec-1', 1_700_000_000_000);
    expect(rec.current).toBe('starting');
    await started;
    expect(rec.current).toBe('capturing');
    expect(world.sources.get(mic)?.connected).toEqual([world.workletNode()]);
    expect(world.sources.get(mic)?.inputs).toEqual([0]); // the microphone input

    pump(world, 3);
    rec.pause('hold');
    expect(rec.current).toBe('paused');
    expect(rec.pauseReason).toBe('hold');
    pump(world, 1, 2500); // dropped in the worklet
    rec.resume();
    pump(world, 2);
    const stopping = rec.stop();
    expect(rec.current).toBe('stopping');
    await stopping;
    expect(rec.current).toBe('stopped');

    expect(world.control.map((c) => c.type)).toEqual(['attach', 'start', 'pause', 'resume', 'stop']);
    expect(world.frames[0]).toMatchObject({ type: 'begin', recordingId: 'rec-1', sampleRate: 16_000 });
    expect(world.frames.at(-1)?.type).toBe('end');
    expect(pcmSamples(world)).toBe((5 * 48_000) / 3); // 5 s captured, the paused second never left

    expect(segments.map((s) => s.seq)).toEqual([0, 1, 2]);
    expect(segments.map((s) => s.final)).toEqual([false, false, true]);
    const last = segments.at(-1) as SegmentEvent;
    expect(last.totalSamples).toBe(80_000);
    const frames = segments.reduce((n, s) => n + s.frameCount, 0);
    expect(last.paddingSamples).toBe(frames * 576 - 1105 - 80_000);
    for (const s of segments) {
      expect(s.recordingId).toBe('rec-1');
      expect(s.sha256).toBe(createHash('sha256').update(s.bytes).digest('hex'));
      expect(s.encoderDelaySamples).toBe(1105);
    }
    expect(world.terminated()).toBe(true);
    expect(world.closed()).toBe(true);
    expect(world.sources.get(mic)?.disconnected).toBe(true);
  });

  it('starts paused when paused while starting: no sample leaves before resume', async () => {
    const world = fakeWorld(44_100);
    const rec = new Recorder(world.deps);
    const started = rec.start('rec-2', 0);
    rec.pause('payment');
    await started;
    expect(rec.current).toBe('paused');
    expect(world.control[1]).toMatchObject({ type: 'start', paused: true });
    pump(world, 1);
    await new Promise((r) => setTimeout(r, 10));
    expect(pcmSamples(world)).toBe(0);
    rec.resume();
    expect(rec.current).toBe('capturing');
    await rec.stop();
    expect(pcmSamples(world)).toBe(0);
  });

  it('adds and removes legs while capturing', async () => {
    const world = fakeWorld();
    const rec = new Recorder(world.deps);
    await rec.start('rec-3', 0);
    const call = fakeStream();
    const consult = fakeStream();
    rec.addSource(call);
    rec.addSource(consult);
    expect(world.sources.get(consult)?.connected).toHaveLength(1);
    expect(world.sources.get(consult)?.inputs).toEqual([1]); // remote legs: the keypad-tone side chain
    rec.removeSource(consult);
    expect(world.sources.get(consult)?.disconnected).toBe(true);
    expect(world.sources.get(call)?.disconnected).toBe(false);
    await rec.stop();
  });

  it('guards impossible transitions with the expected states', async () => {
    const world = fakeWorld();
    const rec = new Recorder(world.deps);
    await expect(rec.stop()).rejects.toThrow(
      'recorder: cannot stop: expected state capturing or paused, was idle'
    );
    expect(() => rec.resume()).toThrow(/cannot resume: expected state starting or paused, was idle/);
    await rec.start('rec-4', 0);
    expect(() => rec.start('again', 0)).toThrow(/cannot start: expected state idle, was capturing/);
    await rec.stop();
    expect(() => rec.addSource(fakeStream())).toThrow(/expected state .* was stopped/);
  });

  it('fails, tears down and reports when the worker reports an error', async () => {
    const world = fakeWorld();
    const rec = new Recorder(world.deps);
    const errors: Error[] = [];
    rec.onError((e) => errors.push(e));
    await rec.start('rec-5', 0);
    world.crashWorker('out of memory');
    expect(rec.current).toBe('failed');
    expect(errors.map((e) => e.message)).toEqual(['encoder worker: out of memory']);
    expect(world.terminated()).toBe(true);
  });

  it('hands the worker the encoder module the page compiled, and starts without it if compiling failed', async () => {
    // The smallest valid module: the magic number and version 1.
    const module = await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    const world = fakeWorld();
    const rec = new Recorder({ ...world.deps, encoderWasm: () => Promise.resolve(module) });
    await rec.start('rec-6', 0);
    await rec.stop();
    expect(world.inits.map((r) => r.wasm)).toEqual([module]);

    const failing = fakeWorld();
    const rec2 = new Recorder({ ...failing.deps, encoderWasm: () => Promise.reject(new Error('no wasm')) });
    await rec2.start('rec-7', 0);
    pump(failing, 0.48); // 180 whole render quanta
    await rec2.stop();
    expect(rec2.current).toBe('stopped');
    expect(failing.inits).toHaveLength(1);
    expect(failing.inits[0]?.wasm).toBeUndefined();
    expect(pcmSamples(failing)).toBe(7680);
  });

  it('asks for a capture context without an output device, and for the default device where that throws', () => {
    const ctx = fakeWorld().deps.createContext();
    const asked: CaptureContextOptions[] = [];
    expect(createCaptureContext((o) => (asked.push(o), ctx))).toBe(ctx);
    expect(asked).toEqual([
      { latencyHint: CAPTURE_LATENCY_S, sampleRate: CAPTURE_SAMPLE_RATE, sinkId: { type: 'none' } }
    ]);
    asked.length = 0;
    const strict = (o: CaptureContextOptions) => {
      asked.push(o);
      if (o.sinkId !== undefined) throw new TypeError('sinkId: not supported');
      return ctx;
    };
    expect(createCaptureContext(strict)).toBe(ctx);
    expect(asked).toEqual([
      { latencyHint: CAPTURE_LATENCY_S, sampleRate: CAPTURE_SAMPLE_RATE, sinkId: { type: 'none' } },
      { latencyHint: CAPTURE_LATENCY_S, sampleRate: CAPTURE_SAMPLE_RATE }
    ]);
  });
});
