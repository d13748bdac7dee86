/**
 * The recorder's message protocol, version {@link PROTOCOL_VERSION}. Three channels:
 *
 * ```
 *  main ──WorkletControl──▶ capture worklet ──FramesMessage──▶ encoder worker ──WorkerEvent──▶ main
 *  main ──WorkerRequest───────────────────────────────────────▶ encoder worker
 * ```
 *
 * - WorkletControl (main -> worklet, on `AudioWorkletNode.port`): attach the frames port, start (optionally
 *   already paused, so that a pause requested while starting lets no sample out)/pause/resume/stop.
 * - FramesMessage (worklet -> worker, on a MessageChannel the main thread made): begin, pcm (transferred
 *   Float32Array), end. Control travels in-band with the audio, so the worker sees `begin` before the first
 *   samples and `end` after the last ones without any other synchronisation.
 * - WorkerRequest (main -> worker): init with the frames port, the encoding settings and, if the page has it,
 *   the compiled LAME WebAssembly module.
 * - WorkerEvent (worker -> main): ready, chunk and segment (bytes transferred), ended, error. Chunks are
 *   progress copies of the segment being built (about one per `chunkMs`), so that a tab that dies mid-segment
 *   has its audio up to the last chunk on disk; the segment that completes them replaces them.
 *
 * Every message carries `v`; the parse functions validate shape and version and throw {@link ProtocolError}.
 */

/** The name the capture AudioWorkletProcessor registers under. */
export const CAPTURE_PROCESSOR_NAME = 'advisor-capture';

/** Protocol version carried as `v` in every message. */
export const PROTOCOL_VERSION = 1;

/** Thrown when a message does not match the protocol. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(`recorder protocol: ${message}`);
    this.name = 'ProtocolError';
  }
}

/** Encoding settings of a recording. */
export interface EncodingSettings {
  /** Mono sample rate the worklet resamples to and the encoder encodes at, Hz (default 16 000). */
  sampleRate: number;
  /** CBR bit rate, kbit/s (default 32). */
  bitrateKbps: number;
  /** Target segment length, ms (default 10 000); segments end on the first frame boundary past each multiple. */
  segmentMs: number;
  /** Stream time between chunks of the segment being built, ms (default 1000). */
  chunkMs: number;
  /** Encoder implementation (default 'wasm'). */
  encoder: 'wasm' | 'lamejs';
}

/** The defaults of {@link EncodingSettings}. */
export const DEFAULT_SETTINGS: Readonly<EncodingSettings> = Object.freeze({
  sampleRate: 16_000,
  bitrateKbps: 32,
  segmentMs: 10_000,
  chunkMs: 1000,
  encoder: 'wasm'
});

/** main -> worklet. */
export type WorkletControl =
  | { v: 1; type: 'attach'; port: MessagePort }
  | { v: 1; type: 'start'; recordingId: string; startedAtMs: number; paused: boolean }
  | { v: 1; type: 'pause'; recordingId: string }
  | { v: 1; type: 'resume'; recordingId: string }
  | { v: 1; type: 'stop'; recordingId: string };

/** worklet -> worker. */
export type FramesMessage =
  | { v: 1; type: 'begin'; recordingId: string; startedAtMs: number; sampleRate: number }
  | { v: 1; type: 'pcm'; recordingId: string; samples: Float32Array }
  | { v: 1; type: 'end'; recordingId: string };

/** main -> worker. */
export type WorkerRequest = {
  v: 1;
  type: 'init';
  port: MessagePort;
  settings: EncodingSettings;
  /** The LAME WebAssembly module, compiled once by the page (lame-wasm.ts); absent: the worker compiles its own. */
  wasm?: WebAssembly.Module;
};

/** Metadata and bytes of one segment (worker -> main). */
export interface SegmentEvent {
  v: 1;
  type: 'segment';
  recordingId: string;
  /** 0, 1, 2 … per recording. */
  seq: number;
  /** Whole MP3 frames (ArrayBuffer transferred). Joined in seq order they are one gapless stream. */
  bytes: Uint8Array;
  /** Stream time of the segment's first frame, ms (from frame counts; pauses are not in the stream). */
  startMs: number;
  /** Frames × samples per frame ÷ rate, ms. */
  durationMs: number;
  /** SHA-256 of `bytes`, lower-case hex. */
  sha256: string;
  frameCount: number;
  sampleRate: number;
  samplesPerFrame: number;
  /** Decoded samples before the first input sample (LAME: 576 + 529); the same in every segment. */
  encoderDelaySamples: number;
  /** True on the last segment of the recording. */
  final: boolean;
  /** Input samples encoded in the whole recording: only on the final segment, else null. */
  totalSamples: number | null;
  /** Decoded samples after the last input sample: only on the final segment, else null. */
  paddingSamples: number | null;
}

/**
 * Whole frames of segment `seq` not carried by its earlier chunks (worker -> main). Joined in `part` order, a
 * segment's chunks are a byte-exact prefix of it: what survives on disk if the tab dies before it completes.
 */
export interface ChunkEvent {
  v: 1;
  type: 'chunk';
  recordingId: string;
  /** The segment these frames belong to. */
  seq: number;
  /** 0, 1, 2 … within the segment. */
  part: number;
  /** Whole MP3 frames (ArrayBuffer transferred). */
  bytes: Uint8Array;
  /** Stream time of the chunk's first frame, ms. */
  startMs: number;
  /** Frames × samples per frame ÷ rate, ms. */
  durationMs: number;
  frameCount: number;
  sampleRate: number;
  samplesPerFrame: number;
  /** As in {@link SegmentEvent}: decoded samples before the first input sample. */
  encoderDelaySamples: number;
}

/** worker -> main. */
export type WorkerEvent =
  | { v: 1; type: 'ready' }
  | SegmentEvent
  | ChunkEvent
  | { v: 1; type: 'ended'; recordingId: string; segments: number; totalSamples: number }
  | { v: 1; type: 'error'; recordingId: string | null; message: string };

type Obj = Record<string, unknown>;

function obj(data: unknown, channel: string): Obj & { type: string } {
  if (typeof data !== 'object' || data === null) throw new ProtocolError(`${channel}: not an object`);
  const o = data as Obj;
  if (o.v !== PROTOCOL_VERSION) throw new ProtocolError(`${channel}: version ${String(o.v)}, expected 1`);
  if (typeof o.type !== 'string') throw new ProtocolError(`${channel}: no type`);
  return o as Obj & { type: string };
}

function str(o: Obj, key: string): string {
  const x = o[key];
  if (typeof x !== 'string' || x.length === 0)
    throw new ProtocolError(`${String(o.type)}.${key}: not a string`);
  return x;
}

function num(o: Obj, key: string): number {
  const x = o[key];
  if (typeof x !== 'number' || !Number.isFinite(x))
    throw new ProtocolError(`${String(o.type)}.${key}: not a number`);
  return x;
}

function port(o: Obj): MessagePort {
  const p = o.port as { postMessage?: unknown } | null | undefined;
  if (typeof p !== 'object' || p === null || typeof p.postMessage !== 'function') {
    throw new ProtocolError(`${String(o.type)}.port: not a MessagePort`);
  }
  return p as MessagePort;
}

/** Validates a main -> worklet message. */
export function parseWorkletControl(data: unknown): WorkletControl {
  const o = obj(data, 'worklet control');
  switch (o.type) {
    case 'attach':
      return { v: 1, type: 'attach', port: port(o) };
    case 'start':
      return {
        v: 1,
        type: 'start',
        recordingId: str(o, 'recordingId'),
        startedAtMs: num(o, 'startedAtMs'),
        paused: o.paused === true
      };
    case 'pause':
    case 'resume':
    case 'stop':
      return { v: 1, type: o.type, recordingId: str(o, 'recordingId') };
    default:
      throw new ProtocolError(`worklet control: unknown type ${o.type}`);
  }
}

/** Validates a worklet -> worker message. */
export function parseFramesMessage(data: unknown): FramesMessage {
  const o = obj(data, 'frames');
  switch (o.type) {
    case 'begin':
      return {
        v: 1,
        type: 'begin',
        recordingId: str(o, 'recordingId'),
        startedAtMs: num(o, 'startedAtMs'),
        sampleRate: num(o, 'sampleRate')
      };
    case 'pcm':
      if (!(o.samples instanceof Float32Array)) throw new ProtocolError('pcm.samples: not a Float32Array');
      return { v: 1, type: 'pcm', recordingId: str(o, 'recordingId'), samples: o.samples };
    case 'end':
      return { v: 1, type: 'end', recordingId: str(o, 'recordingId') };
    default:
      throw new ProtocolError(`frames: unknown type ${o.type}`);
  }
}

/** Validates encoding settings (types and ranges that every encoder accepts). */
export function parseSettings(data: unknown): EncodingSettings {
  if (typeof data !== 'object' || data === null) throw new ProtocolError('settings: not an object');
  const o: Obj = { type: 'settings', ...(data as Obj) };
  if (o.encoder !== 'wasm' && o.encoder !== 'lamejs') {
    throw new ProtocolError(`settings.encoder: ${String(o.encoder)}`);
  }
  const settings: EncodingSettings = {
    sampleRate: num(o, 'sampleRate'),
    bitrateKbps: num(o, 'bitrateKbps'),
    segmentMs: num(o, 'segmentMs'),
    chunkMs: 0,
    encoder: o.encoder
  };
  if (settings.segmentMs < 100) throw new ProtocolError(`settings.segmentMs: ${settings.segmentMs} < 100`);
  settings.chunkMs = num(o, 'chunkMs');
  if (settings.chunkMs < 100) throw new ProtocolError(`settings.chunkMs: ${settings.chunkMs} < 100`);
  return settings;
}

/** Validates a main -> worker message. */
export function parseWorkerRequest(data: unknown): WorkerRequest {
  const o = obj(data, 'worker request');
  if (o.type !== 'init') throw new ProtocolError(`worker request: unknown type ${o.type}`);
  const request: WorkerRequest = { v: 1, type: 'init', port: port(o), settings: parseSettings(o.settings) };
  if (o.wasm !== undefined) {
    if (!(o.wasm instanceof WebAssembly.Module))
      throw new ProtocolError('init.wasm: not a WebAssembly.Module');
    request.wasm = o.wasm;
  }
  return request;
}

/** Validates a worker -> main message. */
export function parseWorkerEvent(data: unknown): WorkerEvent {
  const o = obj(data, 'worker event');
  switch (o.type) {
    case 'ready':
      return { v: 1, type: 'ready' };
    case 'segment':
      return parseSegment(o);
    case 'chunk':
      return parseChunk(o);
    case 'ended':
      return {
        v: 1,
        type: 'ended',
        recordingId: str(o, 'recordingId'),
        segments: num(o, 'segments'),
        totalSamples: num(o, 'totalSamples')
      };
    case 'error':
      return {
        v: 1,
        type: 'error',
        recordingId: typeof o.recordingId === 'string' ? o.recordingId : null,
        message: typeof o.message === 'string' ? o.message : 'unknown error'
      };
    default:
      throw new ProtocolError(`worker event: unknown type ${o.type}`);
  }
}

function nullableNum(o: Obj, key: string): number | null {
  return o[key] === null ? null : num(o, key);
}

function parseChunk(o: Obj): ChunkEvent {
  if (!(o.bytes instanceof Uint8Array)) throw new ProtocolError('chunk.bytes: not a Uint8Array');
  return {
    v: 1,
    type: 'chunk',
    recordingId: str(o, 'recordingId'),
    seq: num(o, 'seq'),
    part: num(o, 'part'),
    bytes: o.bytes,
    startMs: num(o, 'startMs'),
    durationMs: num(o, 'durationMs'),
    frameCount: num(o, 'frameCount'),
    sampleRate: num(o, 'sampleRate'),
    samplesPerFrame: num(o, 'samplesPerFrame'),
    encoderDelaySamples: num(o, 'encoderDelaySamples')
  };
}

function parseSegment(o: Obj): SegmentEvent {
  if (!(o.bytes instanceof Uint8Array)) throw new ProtocolError('segment.bytes: not a Uint8Array');
  const sha256 = str(o, 'sha256');
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new ProtocolError('segment.sha256: not 64 hex digits');
  if (typeof o.final !== 'boolean') throw new ProtocolError('segment.final: not a boolean');
  return {
    v: 1,
    type: 'segment',
    recordingId: str(o, 'recordingId'),
    seq: num(o, 'seq'),
    bytes: o.bytes,
    startMs: num(o, 'startMs'),
    durationMs: num(o, 'durationMs'),
    sha256,
    frameCount: num(o, 'frameCount'),
    sampleRate: num(o, 'sampleRate'),
    samplesPerFrame: num(o, 'samplesPerFrame'),
    encoderDelaySamples: num(o, 'encoderDelaySamples'),
    final: o.final,
    totalSamples: nullableNum(o, 'totalSamples'),
    paddingSamples: nullableNum(o, 'paddingSamples')
  };
}
