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
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
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
