/**
 * The main-thread recorder: one instance per recording. It builds the capture graph (sources -> capture
 * worklet), starts the encoder worker, hands the worklet and the worker the two ends of a MessageChannel (so
 * audio goes worklet -> worker without touching this thread) and relays segments. States: see
 * recorder-state.ts. Side effects (AudioContext, worklet node, Worker, MessageChannel) are injected;
 * {@link browserRecorderDeps} wires the real ones.
 */
import { assertState, transition } from '../domain/state-machine';
import captureWorkletUrl from './capture-worklet.ts?worker&url';
import {
  CAPTURE_PROCESSOR_NAME,
  DEFAULT_SETTINGS,
  parseWorkerEvent,
  type ChunkEvent,
  type EncodingSettings,
  type SegmentEvent,
  type WorkerEvent,
  type WorkerRequest,
  type WorkletControl
} from './encoder-protocol';
import { compileLameWasm } from './lame-wasm';
import { RECORDER_TRANSITIONS, type RecorderEvent, type RecorderState } from './recorder-state';

/** The parts of a MessagePort the recorder uses. */
export interface PortLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<unknown>) => void) | null;
}
/** The parts of an AudioNode the recorder uses. */
export interface NodeLike {
  connect(destination: NodeLike, output?: number, input?: number): unknown;
  disconnect(): void;
}
/** The parts of an AudioContext the recorder uses. */
export interface ContextLike {
  readonly sampleRate: number;
  readonly audioWorklet: { addModule(url: string): Promise<void> };
  createMediaStreamSource(stream: MediaStream): NodeLike;
  resume(): Promise<void>;
  close(): Promise<void>;
}
/** The parts of a Worker the recorder uses. */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  onmessage: ((e: MessageEvent<unknown>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
  terminate(): void;
}

/** Injected side effects. */
export interface RecorderDeps {
  createContext(): ContextLike;
  /** `new AudioWorkletNode(ctx, name, options)`. */
  createWorkletNode(
    ctx: ContextLike,
    name: string,
    options: AudioWorkletNodeOptions
  ): NodeLike & { port: PortLike };
  createWorker(): WorkerLike;
  createChannel(): { port1: PortLike; port2: PortLike };
  /** URL of the capture worklet module. */
  workletUrl: string;
  /**
   * The LAME WebAssembly module, compiled once and shared by every recording's worker (optional; if absent or
   * rejected, the worker compiles its own).
   */
  encoderWasm?(): Promise<WebAssembly.Module>;
}

/**
 * The capture context's latency hint, seconds. Nothing listens to this context's output, so its buffer can be
 * large: Chromium then renders 4096-frame buffers (~85-93 ms) instead of 'playback''s 1024, waking the audio
 * service's output thread, the renderer's output-device thread and the AudioWorklet thread a quarter as often
 * (measured in headless Chromium: those threads' CPU down about 4x, no dropouts in a captured tone; 0.05 s
 * gave dropouts). The worklet still sees 128-frame quanta and still drops everything after a pause; but it
 * renders a buffer's quanta in one burst and handles control messages between bursts, so each pause, resume
 * or stop lands within one buffer (< 93 ms, was < 23 ms) of the moment it was ordered.
 */
export const CAPTURE_LATENCY_S = 0.1;

/**
 * Audio per message from the capture worklet to the encoder worker, ms. Against the worklet's default 50 ms:
 * a quarter of the MessagePort posts from the real-time thread and of the worker's wake-ups (the worker's CPU
 * in a call measured about halved, bench/recording-cpu.ts). A closed tab may lose up to this much more unsent
 * audio, well inside the 2 s allowed. A pause or stop still sends the partial batch at once.
 */
export const CAPTURE_BATCH_MS = 200;

/** AudioContextOptions with `sinkId` (Audio Output Devices API; not yet in TypeScript's DOM lib). */
export interface CaptureContextOptions extends AudioContextOptions {
  sinkId?: string | { type: 'none' };
}

/**
 * The capture context's sample rate, Hz. Chromium converts each source (WebRTC's and the microphone's 48 kHz)
 * to it natively, and the worklet's windowed-sinc filter takes it on to the recording's 16 kHz. Against 48 kHz
 * the worklet renders half as many 128-frame quanta and filters half as many input samples, and its thread,
 * the largest cost of recording, got cheaper (bench/recording-cpu.ts; figures in the commit). 24 kHz keeps
 * everything a 16 kHz recording holds (up to 8 kHz) well clear of the native converter's own roll-off near
 * 12 kHz, so the worklet's filter still alone decides the recording's band edge.
 */
export const CAPTURE_SAMPLE_RATE = 24_000;

const CAPTURE_OPTIONS: CaptureContextOptions = {
  latencyHint: CAPTURE_LATENCY_S,
  sampleRate: CAPTURE_SAMPLE_RATE
};

/**
 * Makes the capture AudioContext. It asks for no output device at all (`sinkId: { type: 'none' }`, Chromium
 * 110+): nothing listens to this context, so no output stream needs to run through the audio service for it,
 * and the context's clock follows the wall clock (within 0.01% over 45 s measured, where the fake output
 * device's ran 0.3% fast). A browser that does not know the option ignores it (an unknown dictionary member);
 * one that throws on it gets the default device, as before. The rate ({@link CAPTURE_SAMPLE_RATE}) and the
 * latency hint hold either way: the hint sets how many render quanta one wake-up renders (100 ms of audio
 * without a device).
 */
export function createCaptureContext(make: (options: CaptureContextOptions) => ContextLike): ContextLike {
  try {
    return make({ ...CAPTURE_OPTIONS, sinkId: { type: 'none' } });
  } catch {
    return make(CAPTURE_OPTIONS);
  }
}

/**
 * Real browser side effects. Vite bundles both the worklet (`?worker&url`: a self-contained script with its
 * imports inlined; a plain `new URL('./x.ts', import.meta.url)` would copy the TypeScript source untranspiled)
 * and the worker (`new Worker(new URL(...))`) as same-origin files under /_app/immutable, so CSP needs only
 * `'self'` in script-src/worker-src. Make one per page: it holds the compiled LAME module (lame-wasm.ts).
 */
export function browserRecorderDeps(): RecorderDeps {
  let wasm: Promise<WebAssembly.Module> | undefined;
  return {
    createContext: () => createCaptureContext((options) => new AudioContext(options)),
    createWorkletNode: (ctx, name, options) => new AudioWorkletNode(ctx as AudioContext, name, options),
    createWorker: () => new Worker(new URL('./encoder-worker.ts', import.meta.url), { type: 'module' }),
    createChannel: () => new MessageChannel(),
    workletUrl: captureWorkletUrl,
    // Once per deps object (the page makes one); a failed compile is tried again by the next recording.
    encoderWasm: () =>
      (wasm ??= compileLameWasm(location.href).catch((err: unknown) => {
        wasm = undefined;
        throw err;
      }))
  };
}

type Listener<T> = (value: T) => void;

/**
 * Whose audio a source is: the advisor's microphone (`local`) or the far end of a leg (`remote`). The capture
 * worklet mixes both, and also listens to the remote legs alone for keypad tones to silence.
 */
export type SourceKind = 'local' | 'remote';

/** The worklet input each kind of source feeds. */
const INPUT: Record<SourceKind, number> = { local: 0, remote: 1 };

/** Records one recording: see the module comment. */
export class Recorder {
  private state: RecorderState = 'idle';
  private readonly settings: EncodingSettings;
  private ctx: ContextLike | undefined;
  private node: (NodeLike & { port: PortLike }) | undefined;
  private worker: WorkerLike | undefined;
  private readonly sources = new Map<MediaStream, { kind: SourceKind; node?: NodeLike }>();
  private readonly segmentListeners = new Set<Listener<SegmentEvent>>();
  private readonly chunkListeners = new Set<Listener<ChunkEvent>>();
  private readonly errorListeners = new Set<Listener<Error>>();
  private recordingId = '';
  private wantPaused = false;
  private reason: string | undefined;
  private starting: Promise<void> | undefined;
  private ended: { resolve: () => void; reject: (err: Error) => void } | undefined;

  constructor(
    private readonly deps: RecorderDeps,
    settings: Partial<EncodingSettings> = {}
  ) {
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
  }

  /** The current state. */
  get current(): RecorderState {
    return this.state;
  }

  /** Why the recording is paused (the last `pause(reason)`), or undefined when not paused. */
  get pauseReason(): string | undefined {
    return this.wantPaused ? this.reason : undefined;
  }

  /** Subscribes to segments (in seq order); returns an unsubscribe function. */
  onSegment(cb: Listener<SegmentEvent>): () => void {
    this.segmentListeners.add(cb);
    return () => this.segmentListeners.delete(cb);
  }

  /** Subscribes to chunks: progress copies of the segment being built (see {@link ChunkEvent}). */
  onChunk(cb: Listener<ChunkEvent>): () => void {
    this.chunkListeners.add(cb);
    return () => this.chunkListeners.delete(cb);
  }

  /** Subscribes to failures (the recorder is then `failed`); returns an unsubscribe function. */
  onError(cb: Listener<Error>): () => void {
    this.errorListeners.add(cb);
    return () => this.errorListeners.delete(cb);
  }

  /** Builds the graph and the worker and starts capturing (or starts paused if pause() was called meanwhile). */
  start(recordingId: string, startedAtMs: number): Promise<void> {
    this.go('start');
    this.recordingId = recordingId;
    this.starting = this.setUp(recordingId, startedAtMs).catch((err: unknown) => {
      this.fail(err);
      throw err;
    });
    return this.starting;
  }

  private async setUp(recordingId: string, startedAtMs: number): Promise<void> {
    const wasm =
      this.settings.encoder === 'wasm' && this.deps.encoderWasm
        ? this.deps.encoderWasm().catch(() => undefined)
        : undefined;
    const ctx = (this.ctx = this.deps.createContext());
    await ctx.audioWorklet.addModule(this.deps.workletUrl);
    const node = (this.node = this.deps.createWorkletNode(ctx, CAPTURE_PROCESSOR_NAME, {
      numberOfInputs: 2,
      numberOfOutputs: 0,
      processorOptions: {
        outputRate: this.settings.sampleRate,
        batchSamples: Math.round((this.settings.sampleRate * CAPTURE_BATCH_MS) / 1000)
      }
    }));
    node.port.onmessage = (e) => this.fail(new Error(`capture worklet: ${JSON.stringify(e.data)}`));
    const worker = (this.worker = this.deps.createWorker());
    const ready = new Promise<void>((resolve) => {
      worker.onmessage = (e) => this.onWorker(e.data, resolve);
    });
    worker.onerror = (e) => this.fail(new Error(`encoder worker: ${e.message}`));
    const { port1, port2 } = this.deps.createChannel();
    const init: WorkerRequest = { v: 1, type: 'init', port: port2 as MessagePort, settings: this.settings };
    const module = await wasm;
    if (module !== undefined) init.wasm = module;
    worker.postMessage(init, [port2 as MessagePort]);
    await ready;
    this.toWorklet({ v: 1, type: 'attach', port: port1 as MessagePort }, [port1 as MessagePort]);
    for (const stream of this.sources.keys()) this.connect(stream);
    await ctx.resume();
    if (this.state !== 'starting') return; // failed meanwhile
    // Sources added while the context was resuming were not connected by the loop above.
    for (const stream of this.sources.keys()) this.connect(stream);
    this.toWorklet({ v: 1, type: 'start', recordingId, startedAtMs, paused: this.wantPaused });
    this.go(this.wantPaused ? 'startedPaused' : 'started');
  }

  /** Stops sending audio at once (the worklet drops everything from its next render quantum). */
  pause(reason: string): void {
    const was = this.state;
    this.go('pause');
    this.wantPaused = true;
    this.reason = reason;
    if (was === 'capturing') this.toWorklet({ v: 1, type: 'pause', recordingId: this.recordingId });
  }

  /** Resumes sending audio. */
  resume(): void {
    const wasPaused = this.state === 'paused';
    this.go('resume');
    this.wantPaused = false;
    if (wasPaused) this.toWorklet({ v: 1, type: 'resume', recordingId: this.recordingId });
  }

  /** Ends the recording; resolves once the last segment has been delivered and everything is torn down. */
  async stop(): Promise<void> {
    if (this.state === 'starting') await this.starting;
    const done = new Promise<void>((resolve, reject) => (this.ended = { resolve, reject }));
    this.go('stop');
    this.toWorklet({ v: 1, type: 'stop', recordingId: this.recordingId });
    await done;
  }

  /**
   * Adds a live leg's audio (mic, remote of the call, remote of a consultation) to the mix. A source of unknown
   * kind counts as remote: it is then searched for keypad tones too.
   */
  addSource(stream: MediaStream, kind: SourceKind = 'remote'): void {
    assertState('recorder', 'addSource', this.state, ['idle', 'starting', 'capturing', 'paused']);
    if (this.sources.has(stream)) return;
    this.sources.set(stream, { kind });
    if (this.node !== undefined && this.state !== 'starting') this.connect(stream);
  }

  /** Removes a leg's audio from the mix (a no-op for an unknown stream). */
  removeSource(stream: MediaStream): void {
    this.sources.get(stream)?.node?.disconnect();
    this.sources.delete(stream);
  }

  private connect(stream: MediaStream): void {
    const source = this.sources.get(stream);
    if (this.ctx === undefined || this.node === undefined || source === undefined || source.node) return;
    if (stream.getAudioTracks().length === 0) return;
    source.node = this.ctx.createMediaStreamSource(stream);
    source.node.connect(this.node, 0, INPUT[source.kind]);
  }

  private onWorker(data: unknown, ready: () => void): void {
    let event: WorkerEvent;
    try {
      event = parseWorkerEvent(data);
    } catch (err) {
      this.fail(err);
      return;
    }
    if (event.type === 'ready') ready();
    else if (event.type === 'segment') for (const cb of this.segmentListeners) cb(event);
    else if (event.type === 'chunk') for (const cb of this.chunkListeners) cb(event);
    else if (event.type === 'error') this.fail(new Error(`encoder worker: ${event.message}`));
    else if (event.recordingId === this.recordingId && this.state === 'stopping') {
      this.go('stopped');
      this.tearDown();
      this.ended?.resolve();
    }
  }

  private toWorklet(msg: WorkletControl, transfer: Transferable[] = []): void {
    this.node?.port.postMessage(msg, transfer);
  }

  private go(event: RecorderEvent): void {
    this.state = transition('recorder', RECORDER_TRANSITIONS, this.state, event);
  }

  private fail(err: unknown): void {
    if (this.state === 'failed' || this.state === 'stopped') return;
    this.go('fail');
    this.tearDown();
    const error = err instanceof Error ? err : new Error(String(err));
    this.ended?.reject(error);
    for (const cb of this.errorListeners) cb(error);
  }

  private tearDown(): void {
    for (const source of this.sources.values()) source.node?.disconnect();
    this.sources.clear();
    this.node?.disconnect();
    this.worker?.terminate();
    this.ctx?.close().catch(() => undefined);
  }
}
