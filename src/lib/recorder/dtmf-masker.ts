/**
 * Silences keypad tones (DTMF) in the recorded stream: a short delay line holds the audio back while two
 * {@link DtmfDetector}s look at it, so a tone's onset is masked too, not only what follows its detection.
 *
 * - The main stream (what is recorded: microphone + remote legs) is analysed and delayed.
 * - A side chain (the remote legs alone, sample-aligned with the main stream) is only analysed: a caller's tones
 *   are clean there even while the advisor talks over them, when their share of the mix is too small to count.
 *   With a side chain, fragments of keys (cut short by a browser playing received keys) are looked for there
 *   only, so the advisor's voice is never cut for looking like one.
 *
 * A stretch either detector reports becomes silence, with 20 ms raised-cosine fades outside it, so the cut
 * neither clicks nor smears the other voices across the keypad band: cutting the advisor's 1000 Hz with 4 ms
 * fades leaves a pair at 941 + 1209 Hz only 40 dB below it, 20 ms fades 73 dB below, and a gentle edge
 * costs the MP3 encoder less noise. Nothing is added, dropped or
 * reordered: every sample fed comes out, {@link DtmfMasker.delay} samples later, or at {@link DtmfMasker.flush}.
 * The masker records no digit, no count and no time of any tone: it only knows stretches to silence, and
 * forgets each once it has passed.
 */
import { DtmfDetector, type DtmfDetectorOptions } from './dtmf-detector';

/** Options of {@link DtmfMasker}. */
export interface DtmfMaskerOptions extends DtmfDetectorOptions {
  /** Fade length at each end of a silenced stretch, ms (default 20). */
  fadeMs?: number;
  /**
   * Masked stretches less than this far apart are merged into one, ms (default 100): the voice between two keys
   * a browser played with a short gap is a few tens of ms, gated by the fades, and carries the smeared tail and
   * onset of the keys around it (a row tone measured -24 dB in such a 30 ms island). It is worth nothing to a
   * listener, and the fewer silences, the less they tell how many keys were pressed.
   */
  mergeMs?: number;
  /** Whether a side chain is fed ({@link DtmfMasker.sideChain}); audio is then held until it has been seen. */
  sideChain?: boolean;
}

/** Delay line + detectors; see the module comment. */
export class DtmfMasker {
  /** Samples held back (the look-ahead). */
  readonly delay: number;
  private readonly fade: number;
  /** Stretches at most this far apart (from the end of one to the start of the next) are merged, samples. */
  private readonly merge: number;
  private readonly main: DtmfDetector;
  private readonly side: DtmfDetector | undefined;
  /** Stretches to silence, [from, to) in absolute samples, sorted, apart by more than `merge`. */
  private readonly stretches: number[] = [];
  /**
   * The samples held back, `held[heldStart..heldStart + heldCount)`. Released ones are skipped, not moved: the
   * rest is moved to the front only when new samples would not fit behind it.
   */
  private held: Float32Array;
  private heldStart = 0;
  private heldCount = 0;
  /** Absolute position of held[heldStart]. */
  private emitted = 0;

  constructor(options: DtmfMaskerOptions) {
    const add = (from: number, to: number) => this.addStretch(from, to);
    // With a side chain, fragments of keys (only a browser playing received keys makes them, so they are in the
    // remote legs) are looked for there alone: the advisor's voice, which only the main stream carries, is then
    // never cut for looking like one.
    this.main = new DtmfDetector({ ...options, fragments: options.sideChain !== true }, add);
    this.side = options.sideChain === true ? new DtmfDetector(options, add) : undefined;
    this.fade = Math.max(1, Math.round((options.sampleRate * (options.fadeMs ?? 20)) / 1000));
    this.merge = Math.max(2 * this.fade, Math.round((options.sampleRate * (options.mergeMs ?? 100)) / 1000));
    // A stretch is reported at most lookAhead samples after its start. Before the first sample after a
    // stretch is released (the start of its fade-in), every stretch that would merge with it must be known, or
    // a merge would cut a fade-in already under way: a click, broadband, keypad band included. So the audio
    // is held back lookAhead + merge samples (which covers the fade-out before a stretch too).
    this.delay = this.main.lookAhead + this.merge;
    this.held = new Float32Array(4 * this.delay + 1024);
  }

  /** Most samples one {@link process} or {@link flush} call can write (size `out` by this). */
  maxOutput(count: number): number {
    return this.heldCount + count;
  }

  /** Feeds the side chain's `x[0..count)` (analysed only). */
  sideChain(x: Float32Array, count: number): void {
    if (this.side === undefined) throw new Error('dtmf: side chain fed, but not configured');
    this.side.process(x, count);
  }

  /** Feeds the main stream's `x[0..count)`; writes the samples now safe to release to `out`; returns how many. */
  process(x: Float32Array, count: number, out: Float32Array): number {
    this.main.process(x, count);
    if (this.heldStart + this.heldCount + count > this.held.length) {
      const kept = this.held.subarray(this.heldStart, this.heldStart + this.heldCount);
      if (this.heldCount + count > this.held.length) {
        const grown = new Float32Array(this.heldCount + count + 1024);
        grown.set(kept);
        this.held = grown;
      } else this.held.copyWithin(0, this.heldStart, this.heldStart + this.heldCount);
      this.heldStart = 0;
    }
    this.held.set(x.subarray(0, count), this.heldStart + this.heldCount);
    this.heldCount += count;
    const known = Math.min(this.main.position, this.side?.position ?? Infinity);
    return this.release(Math.max(0, known - this.delay - this.emitted), out);
  }

  /** Ends a stretch of the stream (pause or stop): judges what the detectors still hold, releases everything. */
  flush(out: Float32Array): number {
    this.main.finish();
    this.side?.finish();
    return this.release(this.heldCount, out);
  }

  private addStretch(from: number, to: number): void {
    const s = this.stretches;
    let i = s.length;
    while (i > 0 && (s[i - 2] as number) > from) i -= 2;
    s.splice(i, 0, from, to);
    // Merge neighbours that overlap or sit within `merge` of each other.
    for (let j = 0; j + 2 < s.length;) {
      if ((s[j + 2] as number) <= (s[j + 1] as number) + this.merge) {
        s[j + 1] = Math.max(s[j + 1] as number, s[j + 3] as number);
        s.splice(j + 2, 2);
      } else j += 2;
    }
  }

  private release(count: number, out: Float32Array): number {
    const n = Math.min(count, this.heldCount);
    const s = this.stretches;
    const fade = this.fade;
    const held = this.held;
    const base = this.heldStart;
    let i = 0;
    while (i < n) {
      const at = this.emitted + i;
      while (s.length > 0 && at >= (s[1] as number) + fade) s.splice(0, 2);
      // Up to the next stretch's fade-out (or to the end), every gain is 1: a plain copy.
      const from = s.length > 0 ? (s[0] as number) : Infinity;
      const plain = Math.min(n, from - fade - this.emitted);
      if (i < plain) {
        out.set(held.subarray(base + i, base + plain), i);
        i = plain;
        continue;
      }
      // Through the stretch and its fades, sample by sample.
      const to = s[1] as number;
      const end = Math.min(n, to + fade - this.emitted);
      for (; i < end; i++) {
        const at = this.emitted + i;
        let gain = 1;
        if (at >= from && at < to) gain = 0;
        else if (at >= from - fade && at < from) gain = ramp((from - at) / fade);
        else if (at >= to) gain = ramp((at - to + 1) / fade);
        const v = held[base + i] as number;
        out[i] = gain === 1 ? v : v * gain;
      }
    }
    this.heldCount -= n;
    this.heldStart = this.heldCount === 0 ? 0 : this.heldStart + n;
    this.emitted += n;
    return n;
  }
}

/** Raised-cosine gain for a position 0..1 into a fade (0 at the silent end). */
function ramp(x: number): number {
  return 0.5 - 0.5 * Math.cos(Math.PI * Math.min(1, x));
}
