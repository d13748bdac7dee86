/**
 * The capture worklet's logic, free of AudioWorklet globals: mix + resample each render quantum, silence keypad
 * tones, batch the mono samples and post them to the encoder worker (transferring each batch). Paused means
 * dropped: nothing captured while paused is kept, resampled or sent.
 *
 * Two inputs: the microphone (0) and the remote legs (1). Their sum is what is recorded; the remote legs are
 * also resampled on their own (a cheaper filter: only 0–4 kHz matters there) as the side chain of the
 * {@link DtmfMasker}, where a caller's keypad tones stand clear of the advisor's voice. The masker delays the
 * stream by a few tens of ms so it can silence a tone from its onset; pause and stop flush that delay line, so
 * no sample is lost or added and a paused recorder holds nothing back.
 *
 * State machine (`capture`):
 * ```
 *   idle ──start──▶ capturing ──pause──▶ paused ◀──startPaused── idle
 *    ▲                │  ▲                 │
 *    │                │  └─────resume──────┘
 *    └─────stop───────┴──────────stop──────┘
 * ```
 * start posts `begin`; pause posts the samples captured before it; stop flushes the resamplers and the masker,
 * posts the rest and `end`.
 */
import { assertState, transition, type TransitionTable } from '../domain/state-machine';
import type { FramesMessage, WorkletControl } from './encoder-protocol';
import { DtmfMasker } from './dtmf-masker';
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
  /** The remote legs alone, for the masker's side chain. */
  private sideResampler: Resampler | undefined;
  private masker: DtmfMasker | undefined;
  /** The mix of both inputs at the input rate. */
  private mixed = new Float32Array(128);
  private sideScratch = new Float32Array(0);
  private maskedScratch = new Float32Array(0);
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
      const rates = { inputRate: this.options.inputRate, outputRate: this.outputRate };
      this.resampler = new Resampler(rates);
      this.sideResampler = new Resampler({ ...rates, attenuationDb: 40, transitionFraction: 0.25 });
      this.masker = new DtmfMasker({ sampleRate: this.outputRate, sideChain: true });
      this.scratch = new Float32Array(this.resampler.maxOutput(this.resampler.taps + 128));
      this.filled = 0;
      const begin = { startedAtMs: msg.startedAtMs, sampleRate: this.outputRate };
      sink({ v: 1, type: 'begin', recordingId: msg.recordingId, ...begin }, []);
    } else if (msg.type === 'pause') {
      this.flushMasker();
      this.sendBatch();
    } else if (msg.type === 'stop') {
      if (this.resampler !== undefined && this.sideResampler !== undefined) {
        this.size(0);
        this.side(this.sideResampler.flush(this.sideScratch));
        this.mask(this.resampler.flush(this.scratch));
      }
      this.flushMasker();
      this.sendBatch();
      sink({ v: 1, type: 'end', recordingId: this.recordingId }, []);
      this.resampler = this.sideResampler = this.masker = undefined;
      this.recordingId = '';
    }
    this.state = next;
  }

  /**
   * One render quantum: the channels of the microphone input and of the remote legs' input (`frames` each; none
   * when nothing is connected).
   */
  process(mic: readonly Float32Array[], remote: readonly Float32Array[], frames: number): void {
    if (this.state !== 'capturing' || this.resampler === undefined || this.sideResampler === undefined) {
      return; // idle or paused: dropped
    }
    this.size(frames);
    this.side(this.sideResampler.process(remote, frames, this.sideScratch));
    const mixed = this.mixed;
    downmix(mic, frames, mixed, false);
    downmix(remote, frames, mixed, true);
    this.mask(this.resampler.process([mixed], frames, this.scratch));
  }

  /** Grows the buffers for a quantum of `frames` (and what a flush can release). */
  private size(frames: number): void {
    if (this.resampler === undefined || this.masker === undefined) return;
    if (this.mixed.length < frames) this.mixed = new Float32Array(frames);
    const out = this.resampler.maxOutput(Math.max(frames, this.resampler.taps));
    if (this.scratch.length < out) this.scratch = new Float32Array(out);
    if (this.sideScratch.length < out) this.sideScratch = new Float32Array(out);
    const masked = this.masker.maxOutput(out);
    if (this.maskedScratch.length < masked) this.maskedScratch = new Float32Array(masked + 1024);
  }

  private side(count: number): void {
    this.masker?.sideChain(this.sideScratch, count);
  }

  private mask(count: number): void {
    if (this.masker === undefined) return;
    this.append(this.maskedScratch, this.masker.process(this.scratch, count, this.maskedScratch));
  }

  private flushMasker(): void {
    if (this.masker === undefined) return;
    this.size(0);
    this.append(this.maskedScratch, this.masker.flush(this.maskedScratch));
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

/** Writes (or adds) the mean of `channels` over `frames` into `out`; no channels is silence. */
function downmix(channels: readonly Float32Array[], frames: number, out: Float32Array, add: boolean): void {
  const n = channels.length;
  if (!add) out.fill(0, 0, frames);
  // x / n is x * (1 / n) to the bit when n is a power of two (the usual 1 or 2 channels), and far cheaper.
  const inv = (n & (n - 1)) === 0 ? 1 / n : 0;
  for (const ch of channels) {
    if (inv !== 0) for (let i = 0; i < frames; i++) out[i] = (out[i] as number) + (ch[i] as number) * inv;
    else for (let i = 0; i < frames; i++) out[i] = (out[i] as number) + (ch[i] as number) / n;
  }
}
