/**
 * The encoder worker's logic, free of worker globals: it consumes {@link FramesMessage}s (in order), runs ONE
 * encoder and ONE segmenter per recording, and emits {@link WorkerEvent}s. Side effects are injected: encoder
 * creation, SHA-256 and posting. Work is serialised on a promise chain, so segments leave in order even though
 * encoder creation and hashing are asynchronous.
 *
 * Per recording: `begin` creates the encoder; `pcm` encodes and emits the segments completed so far, and a
 * chunk (the new whole frames of the segment being built) once they cover `chunkMs` of stream time; `end`
 * flushes the encoder (the only flush of the recording), emits the final segment with the gapless figures
 * (totalSamples, paddingSamples) and then `ended`.
 */
import type {
  ChunkEvent,
  EncodingSettings,
  FramesMessage,
  SegmentEvent,
  WorkerEvent
} from './encoder-protocol';
import { LAME_DECODED_DELAY_SAMPLES, type Mp3Encoder, type Mp3EncoderConfig } from './mp3-encoder';
import { Mp3Segmenter, type Mp3Segment } from './segmenter';

/** What the host needs from its surroundings. */
export interface EncoderHostDeps {
  createEncoder(kind: EncodingSettings['encoder'], config: Mp3EncoderConfig): Promise<Mp3Encoder>;
  /** SHA-256 of the bytes as lower-case hex (Web Crypto in the worker). */
  sha256(bytes: Uint8Array): Promise<string>;
  /** Posts an event to the main thread, transferring `transfer`. */
  post(event: WorkerEvent, transfer: Transferable[]): void;
}

interface Active {
  recordingId: string;
  encoder: Mp3Encoder;
  segmenter: Mp3Segmenter;
  samples: number;
  segments: number;
}

/** Hex of a digest. */
export function toHex(digest: ArrayBuffer): string {
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Worker-side state for one frames port. */
export class EncoderHost {
  private chain: Promise<void> = Promise.resolve();
  private active: Active | undefined;
  /** Recording that failed; its further frames are dropped until the next begin. */
  private failedId: string | undefined;

  constructor(
    private readonly settings: EncodingSettings,
    private readonly deps: EncoderHostDeps
  ) {}

  /** Queues one message; returns a promise for when it (and everything before it) has been handled. */
  handle(msg: FramesMessage): Promise<void> {
    this.chain = this.chain.then(() => this.step(msg)).catch((err: unknown) => this.fail(msg, err));
    return this.chain;
  }

  private async step(msg: FramesMessage): Promise<void> {
    if (msg.type === 'begin') return this.begin(msg.recordingId, msg.sampleRate);
    if (msg.recordingId === this.failedId) return;
    const rec = this.active;
    if (rec === undefined || rec.recordingId !== msg.recordingId) {
      throw new Error(`${msg.type} for ${msg.recordingId}, but the active recording is ${rec?.recordingId}`);
    }
    if (msg.type === 'pcm') {
      rec.samples += msg.samples.length;
      await this.emit(rec, rec.segmenter.push(rec.encoder.encode(msg.samples)));
      if (rec.segmenter.unchunkedMs >= this.settings.chunkMs) this.emitChunk(rec);
      return;
    }
    const last = rec.segmenter.push(rec.encoder.flush());
    await this.emit(rec, [...last, ...rec.segmenter.finish()]);
    this.active = undefined;
    this.deps.post(
      {
        v: 1,
        type: 'ended',
        recordingId: rec.recordingId,
        segments: rec.segments,
        totalSamples: rec.samples
      },
      []
    );
  }

  private async begin(recordingId: string, sampleRate: number): Promise<void> {
    if (this.active !== undefined)
      throw new Error(`begin ${recordingId} while ${this.active.recordingId} runs`);
    if (sampleRate !== this.settings.sampleRate) {
      throw new Error(`frames at ${sampleRate} Hz, encoder set up for ${this.settings.sampleRate} Hz`);
    }
    this.failedId = undefined;
    const encoder = await this.deps.createEncoder(this.settings.encoder, {
      sampleRate: this.settings.sampleRate,
      bitrateKbps: this.settings.bitrateKbps
    });
    const segmenter = new Mp3Segmenter({ segmentMs: this.settings.segmentMs });
    this.active = { recordingId, encoder, segmenter, samples: 0, segments: 0 };
  }

  private async emit(rec: Active, segments: readonly Mp3Segment[]): Promise<void> {
    for (const s of segments) {
      const sha256 = await this.deps.sha256(s.bytes);
      const frames = s.startFrame + s.frameCount;
      const padding = frames * s.samplesPerFrame - LAME_DECODED_DELAY_SAMPLES - rec.samples;
      const event: SegmentEvent = {
        v: 1,
        type: 'segment',
        recordingId: rec.recordingId,
        seq: s.seq,
        bytes: s.bytes,
        startMs: s.startMs,
        durationMs: s.durationMs,
        sha256,
        frameCount: s.frameCount,
        sampleRate: s.sampleRate,
        samplesPerFrame: s.samplesPerFrame,
        encoderDelaySamples: LAME_DECODED_DELAY_SAMPLES,
        final: s.final,
        totalSamples: s.final ? rec.samples : null,
        paddingSamples: s.final ? padding : null
      };
      rec.segments++;
      this.deps.post(event, [s.bytes.buffer as ArrayBuffer]);
    }
  }

  private emitChunk(rec: Active): void {
    const c = rec.segmenter.takeChunk();
    if (c === undefined) return;
    const event: ChunkEvent = {
      v: 1,
      type: 'chunk',
      recordingId: rec.recordingId,
      seq: c.seq,
      part: c.part,
      bytes: c.bytes,
      startMs: (c.startFrame * c.samplesPerFrame * 1000) / c.sampleRate,
      durationMs: (c.frameCount * c.samplesPerFrame * 1000) / c.sampleRate,
      frameCount: c.frameCount,
      sampleRate: c.sampleRate,
      samplesPerFrame: c.samplesPerFrame,
      encoderDelaySamples: LAME_DECODED_DELAY_SAMPLES
    };
    this.deps.post(event, [c.bytes.buffer as ArrayBuffer]);
  }

  private fail(msg: FramesMessage, err: unknown): void {
    const recordingId = msg.recordingId;
    if (this.active?.recordingId === recordingId) this.active = undefined;
    this.failedId = recordingId;
    const message = err instanceof Error ? err.message : String(err);
    this.deps.post({ v: 1, type: 'error', recordingId, message }, []);
  }
}
