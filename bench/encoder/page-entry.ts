/**
 * Bundled by bench/encoder/bundle.ts into a page script: exposes `encoderBench` (encoder speed inside
 * Chromium) and `recorderSmoke` (the real Recorder: worklet + worker loaded from Vite-built URLs).
 */
import { createLamejsEncoder } from '../../src/lib/recorder/lamejs-encoder';
import type { Mp3Encoder } from '../../src/lib/recorder/mp3-encoder';
import { browserRecorderDeps, Recorder } from '../../src/lib/recorder/recorder';
import { createWasmEncoder } from '../../src/lib/recorder/wasm-encoder';

/** Encodes `seconds` of a 16 kHz tone in 800-sample batches (as the worklet sends them); returns wall ms. */
async function encoderBench(kind: 'wasm' | 'lamejs', wasmUrl: string, seconds: number): Promise<number> {
  const rate = 16_000;
  const config = { sampleRate: rate, bitrateKbps: 32 };
  const make = (): Promise<Mp3Encoder> =>
    kind === 'wasm' ? createWasmEncoder(config, wasmUrl) : Promise.resolve(createLamejsEncoder(config));
  const pcm = new Float32Array(rate * seconds);
  for (let i = 0; i < pcm.length; i++) pcm[i] = 0.5 * Math.sin((2 * Math.PI * 440 * i) / rate);
  const run = (enc: Mp3Encoder): number => {
    let bytes = 0;
    for (let i = 0; i < pcm.length; i += 800) bytes += enc.encode(pcm.subarray(i, i + 800)).length;
    return bytes + enc.flush().length;
  };
  run(await make()); // warm-up: JIT, WASM compile
  const enc = await make();
  const t0 = performance.now();
  const bytes = run(enc);
  const ms = performance.now() - t0;
  if (bytes < (seconds * 32_000) / 8 - 1000) throw new Error(`encoder produced only ${bytes} bytes`);
  return ms;
}

/** Records `seconds` of a 1 kHz oscillator through the real pipeline; returns the segments' metadata. */
async function recorderSmoke(seconds: number): Promise<unknown> {
  const rec = new Recorder(browserRecorderDeps(), { segmentMs: 1000 });
  const segments: unknown[] = [];
  const errors: string[] = [];
  rec.onSegment((s) => segments.push({ ...s, bytes: s.bytes.length }));
  rec.onError((e) => errors.push(e.message));
  const src = new AudioContext();
  const osc = new OscillatorNode(src, { frequency: 1000 });
  const dest = src.createMediaStreamDestination();
  osc.connect(dest);
  osc.start();
  rec.addSource(dest.stream);
  await rec.start('smoke', Date.now());
  await new Promise((r) => setTimeout(r, seconds * 1000));
  if (rec.current !== 'failed') await rec.stop();
  await src.close();
  return { state: rec.current, segments, errors };
}

Object.assign(globalThis, { encoderBench, recorderSmoke });
