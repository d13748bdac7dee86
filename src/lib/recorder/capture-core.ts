/**
 * The capture worklet's logic, free of AudioWorklet globals: downmix + resample each render quantum, batch the
 * mono samples and post them to the encoder worker (transferring each batch). Paused means dropped: nothing
 * captured while paused is kept, resampled or sent.
 *
 * State machine (`capture`):
 * ```
 *   idle ──start──▶ capturing ──pause──▶ paused ◀──startPaused── idle
 *    ▲                │  ▲                 │
 *    │                │  └─────resume──────┘
 *    └─────stop───────┴──────────stop──────┘
 * ```
 * start posts `begin`; pause posts the samples captured before it; stop flushes the resampler, posts the rest
 * and `end`.
 */
import { assertState, transition, type TransitionTable } from '../domain/state-machine';
import type { FramesMessage, WorkletControl } from './encoder-protocol';
import { Resampler } from './resampler';

/** Worklet states. */
export type CaptureState = 'idle' | 'capturing' | 'paused';
/** Worklet events. */
export type CaptureEvent = 'start' | 'startPaused' | 'pause' | 'resume' | 'stop';

/** The transition table of the capture worklet. */
export const CAPTURE_TRANSITIONS: TransitionTable<CaptureState, CaptureEvent> = {
  idle: { start: 'capturing', startPaused: 'paused' },
  capturing: { pause: 'paused', stop: 'idle' },
  paused: { resume: 'capturing', stop: 'idle' }
};

/** Options of {@link CaptureCore}. */
export interface CaptureOptions {
  /** The AudioContext's rate, Hz. */
  inputRate: number;
  /** Mono output rate, Hz (default 16 000). */
  outputRate?: number;
  /** Samples per posted batch (default 800: 50 ms at 16 kHz). */
  batchSamples?: number;
}

/** Sends a frames message, transferring `transfer`. */
export type FramesSink = (msg: FramesMessage, transfer: Transferable[]) => void;

/** Capture logic for one worklet node. */
export class CaptureCore {
  private state: CaptureState = 'idle';
  private recordingId = '';
  private resampler: Resampler | undefined;
  private sink: FramesSink | undefined;
  private readonly outputRate: number;
  private readonly batchSamples: number;
  private batch: Float32Array;
  private filled = 0;
  private scratch: Float32Array;

  constructor(private readonly options: CaptureOptions) {
    this.outputRate = options.outputRate ?? 16_000;
    this.batchSamples = options.batchSamples ?? 800;
    this.batch = new Float32Array(this.batchSamples);
    this.scratch = new Float32Array(0);
  }

  /** The current state. */
  get current(): CaptureState {
    return this.state;
  }

  /** Handles one control message from the main thread (already validated). Throws on a wrong transition. */
  control(msg: WorkletControl, attach: (port: MessagePort) => FramesSink): void {
    if (msg.type === 'attach') {
      assertState('capture', 'attach', this.state, ['idle']);
      this.sink = attach(msg.port);
      return;
    }
    if (msg.type !== 'start' && msg.recordingId !== this.recordingId) {
      throw new Error(
        `capture: ${msg.type} for ${msg.recordingId}, but recording ${this.recordingId || 'none'}`
      );
    }
    const event = msg.type === 'start' && msg.paused ? 'startPaused' : msg.type;
    const next = transition('capture', CAPTURE_TRANSITIONS, this.state, event);
    const sink = this.sink;
    if (sink === undefined) throw new Error('capture: no frames port attached');
    if (msg.type === 'start') {
      this.recordingId = msg.recordingId;
      this.resampler = new Resampler({ inputRate: this.options.inputRate, outputRate: this.outputRate });
      this.scratch = new Float32Array(this.resampler.maxOutput(this.resampler.taps + 128));
      this.filled = 0;
      const begin = { startedAtMs: msg.startedAtMs, sampleRate: this.outputRate };
      sink({ v: 1, type: 'begin', recordingId: msg.recordingId, ...begin }, []);
    } else if (msg.type === 'pause') {
      this.sendBatch();
    } else if (msg.type === 'stop') {
      if (this.resampler !== undefined) this.append(this.scratch, this.resampler.flush(this.scratch));
      this.sendBatch();
      sink({ v: 1, type: 'end', recordingId: this.recordingId }, []);
      this.resampler = undefined;
      this.recordingId = '';
    }
    this.state = next;
  }

  /** One render quantum: `channels` of the mixed input (`frames` each; none when nothing is connected). */
  process(channels: readonly Float32Array[], frames: number): void {
    if (this.state !== 'capturing' || this.resampler === undefined) return; // idle or paused: dropped
    if (this.scratch.length < this.resampler.maxOutput(frames)) {
      this.scratch = new Float32Array(this.resampler.maxOutput(frames));
    }
    this.append(this.scratch, this.resampler.process(channels, frames, this.scratch));
  }

  private append(src: Float32Array, count: number): void {
    let at = 0;
    while (at < count) {
      const n = Math.min(count - at, this.batchSamples - this.filled);
      this.batch.set(src.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === this.batchSamples) this.sendBatch();
    }
  }

  private sendBatch(): void {
    if (this.filled === 0 || this.sink === undefined) return;
    const samples = this.filled === this.batch.length ? this.batch : this.batch.slice(0, this.filled);
    this.sink({ v: 1, type: 'pcm', recordingId: this.recordingId, samples }, [samples.buffer as ArrayBuffer]);
    this.batch = new Float32Array(this.batchSamples);
    this.filled = 0;
  }
}
