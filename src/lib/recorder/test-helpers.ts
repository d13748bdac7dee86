/** Test-only helpers for the recorder's unit tests (Node): tones, encoders on real LAME, ffmpeg decoding. */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { EncoderHost } from './encoder-host';
import { DEFAULT_SETTINGS, type EncodingSettings, type WorkerEvent } from './encoder-protocol';
import { createLamejsEncoder } from './lamejs-encoder';
import type { Mp3Encoder, Mp3EncoderConfig, Mp3EncoderKind } from './mp3-encoder';
import { createWasmEncoder } from './wasm-encoder';

/** Bytes of the LAME WASM binary shipped in wasm-media-encoders. */
export function lameWasmBytes(): Uint8Array {
  const require = createRequire(import.meta.url);
  const main = require.resolve('wasm-media-encoders'); // <pkg>/dist/index.cjs
  return readFileSync(join(dirname(main), '..', 'wasm', 'mp3.wasm'));
}

/** A real encoder of either kind, for Node. */
export function nodeEncoder(kind: Mp3EncoderKind, config: Mp3EncoderConfig): Promise<Mp3Encoder> {
  return kind === 'wasm'
    ? createWasmEncoder(config, lameWasmBytes())
    : Promise.resolve(createLamejsEncoder(config));
}

/** A sine tone (plus optional second tone) as Float32. */
export function tone(rate: number, seconds: number, hz: number, amp = 0.5, phase = 0): Float32Array {
  const n = Math.round(rate * seconds);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = amp * Math.sin((2 * Math.PI * hz * i) / rate + phase);
  return out;
}

/** Concatenates byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  return concatInto(new Uint8Array(totalLength(parts)), parts);
}

/** Joins signals end to end. */
export function concatSamples(parts: readonly Float32Array[]): Float32Array {
  return concatInto(new Float32Array(totalLength(parts)), parts);
}

const totalLength = (parts: readonly { length: number }[]): number => parts.reduce((n, p) => n + p.length, 0);

function concatInto<T extends Uint8Array | Float32Array>(out: T, parts: readonly T[]): T {
  let at = 0;
  for (const p of parts) {
    out.set(p as never, at);
    at += p.length;
  }
  return out;
}

/** Where Debian's ffmpeg lives, if installed. */
export const FFMPEG = '/usr/bin/ffmpeg';
export const hasFfmpeg = existsSync(FFMPEG);

/** Decodes MP3 bytes with ffmpeg to mono Float32 at the stream's rate. */
export function ffmpegDecode(mp3: Uint8Array): Float32Array {
  const r = spawnSync(
    FFMPEG,
    ['-v', 'error', '-f', 'mp3', '-i', 'pipe:0', '-f', 'f32le', '-ac', '1', 'pipe:1'],
    {
      input: mp3,
      maxBuffer: 64 * 1024 * 1024
    }
  );
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr.toString()}`);
  const buf = r.stdout;
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

/** Power of frequency `hz` in `x` (Goertzel), normalised so a full-scale sine of amplitude A gives about A²/4. */
export function goertzel(x: Float32Array, rate: number, hz: number): number {
  const w = (2 * Math.PI * hz) / rate;
  const c = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < x.length; i++) {
    const s0 = (x[i] as number) + c * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - c * s1 * s2;
  return power / (x.length * x.length);
}

/** RMS of a signal. */
export function rms(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] as number) ** 2;
  return Math.sqrt(s / Math.max(1, x.length));
}

/**
 * Runs one recording of `pcm` (16 kHz mono) through a real {@link EncoderHost} (LAME in WASM), in capture-sized
 * batches of 800 samples, and returns every event it posted in order. `end: false` leaves the recording
 * running (as when the tab dies mid-call).
 */
export async function hostEvents(
  pcm: Float32Array,
  settings: Partial<EncodingSettings> = {},
  { end = true, recordingId = 'rec-1' } = {}
): Promise<WorkerEvent[]> {
  const events: WorkerEvent[] = [];
  const host = new EncoderHost(
    { ...DEFAULT_SETTINGS, ...settings },
    {
      createEncoder: (kind, config) => nodeEncoder(kind, config),
      sha256: (b) => Promise.resolve(createHash('sha256').update(b).digest('hex')),
      post: (e) => events.push(e)
    }
  );
  await host.handle({ v: 1, type: 'begin', recordingId, startedAtMs: 0, sampleRate: 16_000 });
  for (let i = 0; i < pcm.length; i += 800) {
    await host.handle({ v: 1, type: 'pcm', recordingId, samples: pcm.slice(i, i + 800) });
  }
  if (end) await host.handle({ v: 1, type: 'end', recordingId });
  return events;
}

/** The 16 keys of a DTMF keypad by [row][column]. */
export const DTMF_KEYS = ['123A', '456B', '789C', '*0#D'] as const;

/** One key's dual tone: each tone at `levelDb` (dB re full scale) plus `twistDb` on the column tone. */
export function dtmfTone(
  rate: number,
  key: string,
  seconds: number,
  levelDb: number,
  options: { twistDb?: number; detune?: number } = {}
): Float32Array {
  const row = DTMF_KEYS.findIndex((r) => r.includes(key));
  if (row < 0) throw new Error(`not a keypad key: ${key}`);
  const col = (DTMF_KEYS[row] as string).indexOf(key);
  const detune = 1 + (options.detune ?? 0);
  const low = ([697, 770, 852, 941][row] as number) * detune;
  const high = ([1209, 1336, 1477, 1633][col] as number) * detune;
  const a = 10 ** (levelDb / 20);
  const b = a * 10 ** ((options.twistDb ?? 0) / 20);
  const x = tone(rate, seconds, low, a);
  const y = tone(rate, seconds, high, b, 1);
  return x.map((v, i) => v + (y[i] as number));
}

/** Adds `b` into `a` from `at` (in place); returns `a`. */
export function mixInto(a: Float32Array, b: Float32Array, at = 0): Float32Array {
  for (let i = 0; i < b.length && at + i < a.length; i++)
    a[at + i] = (a[at + i] as number) + (b[i] as number);
  return a;
}

/** A linear sweep from `fromHz` to `toHz`. */
export function sweep(rate: number, seconds: number, fromHz: number, toHz: number, amp = 0.3): Float32Array {
  const n = Math.round(rate * seconds);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    out[i] = amp * Math.sin(2 * Math.PI * (fromHz * t + ((toHz - fromHz) * t * t) / (2 * seconds)));
  }
  return out;
}

/** A tone with harmonics falling off as 1/k (an instrument-like note), `harmonics` partials in all. */
export function note(rate: number, seconds: number, hz: number, amp = 0.2, harmonics = 4): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let k = 1; k <= harmonics && k * hz < rate / 2; k++)
    mixInto(out, tone(rate, seconds, k * hz, amp / k, k));
  return out;
}

/**
 * A speech-like voiced sound: a glottal pulse train gliding from `f0From` to `f0To` Hz (with a little jitter
 * from a seeded generator) through three formant resonators, scaled to `peak`.
 */
export function vowel(
  rate: number,
  seconds: number,
  f0From: number,
  f0To: number,
  formants: readonly [number, number, number],
  peak = 0.3,
  seed = 1
): Float32Array {
  const n = Math.round(rate * seconds);
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  let x = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const f0 = (f0From + ((f0To - f0From) * i) / n) * (1 + 0.01 * random());
    phase += f0 / rate;
    if (phase >= 1) {
      phase -= 1;
      x[i] = 1;
    }
  }
  for (const [k, f] of formants.entries()) {
    const bw = [80, 100, 140][k] as number;
    const r = Math.exp((-Math.PI * bw) / rate);
    const c1 = 2 * r * Math.cos((2 * Math.PI * f) / rate);
    const c2 = -r * r;
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) y[i] = (x[i] as number) + c1 * (y[i - 1] ?? 0) + c2 * (y[i - 2] ?? 0);
    x = y;
  }
  const max = x.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1;
  return x.map((v) => (v / max) * peak);
}
