/**
 * Cuts one continuous MP3 stream (the output of ONE encoder for a whole recording) into segments of about N
 * seconds, exactly on frame boundaries. Segments are byte ranges of the stream, so joining them in order gives
 * the stream back byte for byte and plays gapless: the encoder is never flushed or restarted between segments.
 *
 * Cut points do not drift: segment k ends after the first frame whose end reaches k·N seconds of stream time,
 * so every segment is N seconds rounded up to whole frames, and the error never accumulates.
 *
 * Pure: no I/O, no clock. Times come from frame counts (frames × samples per frame ÷ sample rate).
 */
import { parseFrameHeader } from './mp3-frames';

/** One cut segment of the stream. */
export interface Mp3Segment {
  /** 0, 1, 2 … in stream order. */
  seq: number;
  /** Whole frames, starting with a frame header; a fresh buffer that the caller may transfer. */
  bytes: Uint8Array;
  /** Index of the segment's first frame in the stream. */
  startFrame: number;
  /** Frames in the segment. */
  frameCount: number;
  /** Samples per frame (576 for MPEG-2 layer III). */
  samplesPerFrame: number;
  /** Sample rate of the stream in Hz. */
  sampleRate: number;
  /** Stream time of the first frame, ms (startFrame × samplesPerFrame ÷ sampleRate). */
  startMs: number;
  /** frameCount × samplesPerFrame ÷ sampleRate, ms. */
  durationMs: number;
  /** True for the last segment of the stream (emitted by {@link Mp3Segmenter.finish}). */
  final: boolean;
}

/**
 * A durable progress copy of the segment being built: whole frames of segment `seq` that no earlier chunk
 * carried. Chunks of one segment joined in `part` order are a byte-exact prefix of that segment.
 */
export interface Mp3Chunk {
  /** The segment the frames belong to. */
  seq: number;
  /** 0, 1, 2 … within the segment. */
  part: number;
  /** Whole frames; a fresh buffer that the caller may transfer. */
  bytes: Uint8Array;
  /** Index of the chunk's first frame in the stream. */
  startFrame: number;
  frameCount: number;
  samplesPerFrame: number;
  sampleRate: number;
}

/** Segmenter options. */
export interface SegmenterOptions {
  /** Target segment length in ms (default 10 000). Segments are this long rounded up to whole frames. */
  segmentMs?: number;
}

/** Stateful cutter; feed it with {@link push} and end it with {@link finish}. */
export class Mp3Segmenter {
  private readonly segmentMs: number;
  private buf = new Uint8Array(16 * 1024);
  /** Bytes held in buf. */
  private len = 0;
  /** Bytes of buf that are whole, parsed frames of the current segment. */
  private parsed = 0;
  private frames = 0;
  private framesBefore = 0;
  private seq = 0;
  private samplesPerFrame = 0;
  private sampleRate = 0;
  private finished = false;
  /** Bytes and frames at the start of buf already handed out by {@link takeChunk}. */
  private chunkedBytes = 0;
  private chunkedFrames = 0;
  private part = 0;

  constructor(options: SegmenterOptions = {}) {
    this.segmentMs = options.segmentMs ?? 10_000;
    if (!(this.segmentMs > 0)) throw new Error(`segmentMs must be positive, was ${this.segmentMs}`);
  }

  /** Total frames seen so far (emitted and pending). */
  get totalFrames(): number {
    return this.framesBefore + this.frames;
  }

  /** Adds encoder output (any chunking); returns the segments completed by it (often none). */
  push(chunk: Uint8Array): Mp3Segment[] {
    if (this.finished) throw new Error('segmenter: push after finish');
    this.append(chunk);
    const out: Mp3Segment[] = [];
    for (;;) {
      // A full segment is cut only once the next frame has begun, so the last one is left for finish().
      if (this.frames > 0 && this.boundaryReached() && this.len > this.parsed) {
        out.push(this.cut(false));
        continue;
      }
      if (!this.parseNextFrame()) break;
    }
    return out;
  }

  /** Ends the stream: returns the last segment (marked final), or none if nothing is pending. */
  finish(): Mp3Segment[] {
    if (this.finished) throw new Error('segmenter: finish called twice');
    this.finished = true;
    if (this.len > this.parsed) {
      throw new Error(`segmenter: stream ends inside a frame (${this.len - this.parsed} bytes left over)`);
    }
    return this.frames > 0 ? [this.cut(true)] : [];
  }

  /** Stream time, ms, of the whole frames of the current segment that no chunk has carried yet. */
  get unchunkedMs(): number {
    if (this.sampleRate === 0) return 0;
    return ((this.frames - this.chunkedFrames) * this.samplesPerFrame * 1000) / this.sampleRate;
  }

  /**
   * Hands out the whole frames of the current segment parsed since the last chunk (or the segment's start),
   * or undefined when there are none. The segment itself still gets every byte when it is cut.
   */
  takeChunk(): Mp3Chunk | undefined {
    if (this.frames === this.chunkedFrames) return undefined;
    const chunk: Mp3Chunk = {
      seq: this.seq,
      part: this.part++,
      bytes: this.buf.slice(this.chunkedBytes, this.parsed),
      startFrame: this.framesBefore + this.chunkedFrames,
      frameCount: this.frames - this.chunkedFrames,
      samplesPerFrame: this.samplesPerFrame,
      sampleRate: this.sampleRate
    };
    this.chunkedBytes = this.parsed;
    this.chunkedFrames = this.frames;
    return chunk;
  }

  private boundaryReached(): boolean {
    const endSamples = (this.framesBefore + this.frames) * this.samplesPerFrame;
    return endSamples * 1000 >= (this.seq + 1) * this.segmentMs * this.sampleRate;
  }

  /** Parses one whole frame at `parsed` if it is all there; throws when the stream lost sync. */
  private parseNextFrame(): boolean {
    if (this.len - this.parsed < 4) return false;
    const h = parseFrameHeader(this.buf.subarray(0, this.len), this.parsed);
    if (h === undefined) {
      throw new Error(`segmenter: no MPEG audio frame header at stream byte ${this.streamOffset()}`);
    }
    if (this.samplesPerFrame === 0) {
      this.samplesPerFrame = h.samplesPerFrame;
      this.sampleRate = h.sampleRate;
    } else if (h.samplesPerFrame !== this.samplesPerFrame || h.sampleRate !== this.sampleRate) {
      throw new Error(`segmenter: frame format changed mid-stream at byte ${this.streamOffset()}`);
    }
    if (this.parsed + h.frameLength > this.len) return false;
    this.parsed += h.frameLength;
    this.frames++;
    return true;
  }

  private streamOffset(): string {
    return `${this.framesBefore}+${this.frames} frames`;
  }

  private cut(final: boolean): Mp3Segment {
    const bytes = this.buf.slice(0, this.parsed);
    const rate = this.sampleRate;
    const segment: Mp3Segment = {
      seq: this.seq,
      bytes,
      startFrame: this.framesBefore,
      frameCount: this.frames,
      samplesPerFrame: this.samplesPerFrame,
      sampleRate: rate,
      startMs: (this.framesBefore * this.samplesPerFrame * 1000) / rate,
      durationMs: (this.frames * this.samplesPerFrame * 1000) / rate,
      final
    };
    this.buf.copyWithin(0, this.parsed, this.len);
    this.len -= this.parsed;
    this.parsed = 0;
    this.framesBefore += this.frames;
    this.frames = 0;
    this.chunkedBytes = 0;
    this.chunkedFrames = 0;
    this.part = 0;
    this.seq++;
    return segment;
  }

  private append(chunk: Uint8Array): void {
    if (this.len + chunk.length > this.buf.length) {
      const grown = new Uint8Array(Math.max(this.buf.length * 2, this.len + chunk.length));
      grown.set(this.buf.subarray(0, this.len));
      this.buf = grown;
    }
    this.buf.set(chunk, this.len);
    this.len += chunk.length;
  }
}
