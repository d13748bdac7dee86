/**
 * Finds keypad tones (DTMF) in a mono stream, to keep them out of recordings (DESIGN.md rule 8). It answers one
 * question only, "is a DTMF-like dual tone sounding here?", and never which key: no digit is ever decoded, so
 * none can be emitted, stored or logged.
 *
 * Goertzel filters ({@link KeypadSpectra}, in dtmf-spectra.ts; this module judges what they hand on) measure
 * the 8 keypad frequencies (4 row, 4 column) over 8 ms chunks. Each pair of
 * neighbouring chunks makes a rectangular window of {@link DtmfDetectorOptions.windowMs} (16 ms: 62.5 Hz bins,
 * enough to tell the row tones apart), so windows overlap by half and every 40 ms tone (the shortest a keypad
 * sends) fills at least three whole. A window is a hit when all the usual receiver checks pass:
 * - the strongest row and the strongest column tone are both above {@link DtmfDetectorOptions.minLevelDb};
 * - twist: they are within {@link DtmfDetectorOptions.maxTwistDb} of each other, either way;
 * - each is {@link DtmfDetectorOptions.purityDb} above the other tones of its group (one key, not a chord);
 * - together they carry {@link DtmfDetectorOptions.minShare} of the window's energy (speech and music spread
 *   theirs over many frequencies);
 * - both lie within {@link DtmfDetectorOptions.tolerance} of their keypad frequency (from the phase each turns
 *   between the window's two chunks), so sweeps and notes nearby do not count;
 * - last, their second harmonics are weak (voices and instruments have strong ones, keypads none). Only a window
 *   that has passed every other check gets this far (rare: only while a dual tone sounds), so these two powers
 *   are measured only then, by Goertzel over the window's samples, which the detector keeps: each sample costs
 *   the 8 keypad filters, not 16.
 *
 * Two hits in a row make a tone, and so does one window with {@link DtmfDetectorOptions.cleanShare}, or one
 * chunk-long span that is nothing but a row and a column tone, each on its keypad frequency and with nothing one
 * bin either side of it, where a voice's neighbouring harmonics would be (a fragment of a key a browser played
 * short). Those spans start every quarter chunk (2 ms), not only on the chunk grid: loaded browsers played 100 ms
 * keys as 15 ms, and once as 8 ms, of tone crossfaded with the voice, in which no span starting on a coarser grid
 * was clean at some alignments, and the keys reached recordings at -36 and -31 dB. The Goertzel work per sample
 * is the same; only the per-span bookkeeping grows. The detector then reports the stretch to mask, in absolute
 * sample positions: from 40 ms before the first hit (a browser's switch from voice to tone smears the onset over
 * 20-30 ms that no window accepts) to 32 ms after the last. A report can reach back
 * {@link DtmfDetector.lookAhead} samples before the newest sample fed, so whoever masks must hold audio back that
 * long.
 *
 * Pure and allocation-free per call: state is a few typed arrays, costing less than half the resampler.
 */

import { DTMF_COLUMNS_HZ, DTMF_ROWS_HZ } from './dtmf-keypad';
import { FREQS, KeypadSpectra, type SpectraSink } from './dtmf-spectra';

export { DTMF_COLUMNS_HZ, DTMF_ROWS_HZ };

/** Options of {@link DtmfDetector}; the defaults suit 8–48 kHz. */
export interface DtmfDetectorOptions {
  /** Rate of the stream, Hz. */
  sampleRate: number;
  /** Analysis window, ms (default 16). */
  windowMs?: number;
  /** Quietest tone counted, dB re a full-scale sine (default -42). */
  minLevelDb?: number;
  /**
   * Largest level difference between the row and the column tone as measured, dB (default 10: 8 dB of twist
   * plus the 2 dB a tone 1.5% off its nominal frequency loses in its filter).
   */
  maxTwistDb?: number;
  /** How far the strongest tone of a group must stand above the others of that group, dB (default 8). */
  purityDb?: number;
  /**
   * How far below the row tone its second harmonic must be, dB (default 4: that harmonic falls between two column
   * tones, one of which may leak into its filter up to 13 dB below itself, 8 dB of twist above the row tone).
   */
  rowHarmonicDb?: number;
  /** How far below the column tone its second harmonic must be, dB (default 10). */
  columnHarmonicDb?: number;
  /** Share of the window's energy the two tones must carry, 0–1 (default 0.6). */
  minShare?: number;
  /** Share above which one window is tone enough on its own, 0–1 (default 0.9). */
  cleanShare?: number;
  /** Share above which half a window (a chunk) is a fragment of a key, 0–1 (default 0.85). */
  fragmentShare?: number;
  /**
   * Whether to look for fragments of keys at all (default true). Only a browser playing received keys (RFC 4733)
   * cuts them short, so a stream whose remote audio another detector watches need not: each check passes on
   * some voices now and then, and this one most.
   */
  fragments?: boolean;
  /**
   * Largest offset of a tone from its keypad frequency, as a fraction (default 0.04: keypads keep within 1.5%;
   * the estimate, from the phase each tone turns between the window's two halves, strays by 2% in windows where
   * a browser's generated tone jumps phase).
   */
  tolerance?: number;
}

/** Receives a stretch to mask: samples `from` (inclusive) to `to` (exclusive), absolute positions. */
export type ToneSink = (from: number, to: number) => void;

const dbPower = (db: number): number => 10 ** (db / 10);

/** Streaming DTMF detector; see the module comment. */
export class DtmfDetector implements SpectraSink {
  /** Window length, samples (two chunks). */
  readonly window: number;
  /** Chunk length, samples: windows overlap by one chunk, so one ends every chunk. */
  readonly hop: number;
  /** How far before the newest sample fed a reported stretch may start, samples. */
  readonly lookAhead: number;
  /** Masked before the first window that holds a tone: the onset, smeared by a browser's switch-over. */
  private readonly preRoll: number;
  /** Masked after the last window that holds a tone: its tail. */
  private readonly hangover: number;
  private readonly spectra: KeypadSpectra;
  /** 2 cos 2ω at each keypad frequency ω: the Goertzel coefficient of its second harmonic. */
  private readonly harmonicCoef = new Float64Array(FREQS.length);
  /**
   * Goertzel coefficients one bin of a chunk (rate/hop Hz) below and above each keypad frequency, from 2f: where
   * a tone lasting a chunk has its spectrum's first nulls.
   */
  private readonly nullCoef = new Float64Array(2 * FREQS.length);
  /** The last chunk-long span's power at the keypad frequencies. */
  private readonly chunkPower = new Float64Array(FREQS.length);
  private readonly minAmp2: number;
  private readonly twist: number;
  private readonly purity: number;
  private readonly rowHarmonic: number;
  private readonly columnHarmonic: number;
  private readonly minShare: number;
  private readonly cleanShare: number;
  private readonly fragmentShare: number;
  /** Largest power beside a fragment's tone, one bin away, as a fraction of the tone's. */
  private readonly nullLimit = dbPower(-10);
  private readonly tolerance: number;
  private hits = 0;
  private runStart = 0;

  constructor(
    options: DtmfDetectorOptions,
    private readonly onTone: ToneSink
  ) {
    const rate = options.sampleRate;
    if (!(rate >= 8000)) throw new Error(`dtmf: sample rate must be at least 8000 Hz, was ${rate}`);
    const spectra = new KeypadSpectra(rate, options.windowMs ?? 16, options.fragments ?? true, this);
    this.spectra = spectra;
    this.hop = spectra.hop;
    this.window = spectra.window;
    this.preRoll = 5 * this.hop;
    this.hangover = 4 * this.hop;
    // The latest report comes at the end of a run's second window, which ends three chunks after the run began.
    this.lookAhead = this.preRoll + 3 * this.hop;
    FREQS.forEach((hz, f) => {
      const w = (2 * Math.PI * hz) / rate;
      this.harmonicCoef[f] = 2 * Math.cos(2 * w);
      this.nullCoef[2 * f] = 2 * Math.cos(w - (2 * Math.PI) / this.hop);
      this.nullCoef[2 * f + 1] = 2 * Math.cos(w + (2 * Math.PI) / this.hop);
    });
    this.minAmp2 = dbPower(options.minLevelDb ?? -42);
    this.twist = dbPower(options.maxTwistDb ?? 10);
    this.purity = dbPower(options.purityDb ?? 8);
    this.rowHarmonic = dbPower(-(options.rowHarmonicDb ?? 4));
    this.columnHarmonic = dbPower(-(options.columnHarmonicDb ?? 10));
    this.minShare = options.minShare ?? 0.6;
    this.cleanShare = options.cleanShare ?? 0.9;
    this.fragmentShare = options.fragmentShare ?? 0.85;
    this.tolerance = options.tolerance ?? 0.04;
  }

  /** Absolute position of the next sample (samples fed so far). */
  get position(): number {
    return this.spectra.position;
  }

  /** Feeds `x[0..count)`. */
  process(x: Float32Array, count: number): void {
    this.spectra.process(x, count);
  }

  /**
   * Ends a stretch of the stream (a pause, or the end): a tone still being confirmed is reported up to here,
   * the part-filled last window is judged too, and analysis starts afresh with the next sample.
   */
  finish(): void {
    if (this.hits > 0) this.onTone(this.runStart - this.preRoll, this.spectra.position + this.hangover);
    this.spectra.finish();
    this.hits = 0;
  }

  /** Judges the chunk-long span just ended ({@link SpectraSink.spanEnded}): a fragment of a key is reported. */
  spanEnded(re: Float64Array, im: Float64Array, energy: number): void {
    if (this.isFragment(re, im, energy)) {
      const pos = this.spectra.position;
      this.onTone(pos - this.hop - this.preRoll, pos + this.hangover);
    }
  }

  /**
   * Whether the chunk-long span just ended (spectrum `re`, `im`; `energy` in it) is nothing but a row and a column
   * tone: a fragment of a key too short for a whole window (a loaded browser has played a 100 ms key as 8 ms of
   * tone). Chunks are too short to tell neighbouring keypad tones apart, so level, twist and share are judged,
   * the share strictly; then each tone's frequency, from the phase it turns between the span's halves; last, the
   * spectrum one bin either side of each tone, which a tone leaves empty.
   */
  private isFragment(re: Float64Array, im: Float64Array, energy: number): boolean {
    const q = this.chunkPower;
    for (let f = 0; f < q.length; f++) q[f] = (re[f] as number) ** 2 + (im[f] as number) ** 2;
    const row = strongest(q, 0);
    const col = strongest(q, 4);
    const pr = q[row] as number;
    const pc = q[col] as number;
    const floor = (this.minAmp2 * this.hop * this.hop) / 4;
    if (pr < floor || pc < floor || pr > pc * this.twist || pc > pr * this.twist) return false;
    // Purity against the tones two or more steps away (the next one lies within the chunk's resolution):
    // a voice's harmonics, 100-300 Hz apart, light up several.
    for (let i = 0; i < 4; i++) {
      if (Math.abs(i - row) > 1 && (q[i] as number) * this.purity > pr) return false;
      if (Math.abs(i + 4 - col) > 1 && (q[i + 4] as number) * this.purity > pc) return false;
    }
    if ((2 * (pr + pc)) / this.hop < this.fragmentShare * energy) return false;
    // Each tone on its keypad frequency, from the phase it turns between the span's halves: a voice whose formants
    // sit on a keypad pair passes the checks above now and then; its harmonics seldom sit this close to both.
    if (!this.onFrequency(row, this.spectra.spanTurnHz(row))) return false;
    if (!this.onFrequency(col, this.spectra.spanTurnHz(col))) return false;
    return this.nullsClear(row, pr) && this.nullsClear(col, pc);
  }

  /** Whether a tone `offsetHz` from keypad frequency `f` is within the tolerance of it. */
  private onFrequency(f: number, offsetHz: number): boolean {
    return Math.abs(offsetHz) <= this.tolerance * (FREQS[f] as number);
  }

  /**
   * Whether the span's spectrum is empty one bin either side of the tone at filter `f` (power `p`), as a tone's
   * is: a voice whose harmonics put two of them on a keypad pair also has harmonics beside them.
   */
  private nullsClear(f: number, p: number): boolean {
    const limit = p * this.nullLimit;
    return (
      this.spectra.recentPower(this.nullCoef[2 * f] as number, this.hop) <= limit &&
      this.spectra.recentPower(this.nullCoef[2 * f + 1] as number, this.hop) <= limit
    );
  }

  /** Judges the window just ended ({@link SpectraSink.windowEnded}). */
  windowEnded(length: number, energy: number, final: boolean): void {
    const share = this.dualToneShare(length, energy);
    if (share === 0) {
      this.hits = 0;
      return;
    }
    if (this.hits++ === 0) this.runStart = this.spectra.position - length;
    // Two windows in a row make a tone; one alone only when nothing else sounds in it (a browser's 50 ms key
    // can give just one clean window between its switch-over from the voice and back).
    if (this.hits >= 2 || share >= this.cleanShare || final) {
      this.onTone(this.runStart - this.preRoll, this.spectra.position + this.hangover);
    }
  }

  /** The share of the window's energy in a keypad dual tone that passes every check; 0 when none does. */
  private dualToneShare(length: number, energy: number): number {
    const p = this.spectra.power;
    const row = strongest(p, 0);
    const col = strongest(p, 4);
    const pr = p[row] as number;
    const pc = p[col] as number;
    // A sine of amplitude A over L samples gives Goertzel power A²L²/4 and energy A²L/2.
    const floor = (this.minAmp2 * length * length) / 4;
    if (pr < floor || pc < floor) return 0;
    if (pr > pc * this.twist || pc > pr * this.twist) return 0;
    for (let i = 0; i < 4; i++) {
      if (i !== row && (p[i] as number) * this.purity > pr) return 0;
      if (i + 4 !== col && (p[i + 4] as number) * this.purity > pc) return 0;
    }
    const share = (2 * (pr + pc)) / length / energy;
    if (!(share >= this.minShare)) return 0;
    if (!this.onFrequency(row, this.spectra.windowTurnHz(row))) return 0;
    if (!this.onFrequency(col, this.spectra.windowTurnHz(col))) return 0;
    // Second harmonics: a row tone's falls among the column tones, whose leakage it must tolerate.
    if (this.harmonicPower(row, length) > pr * this.rowHarmonic) return 0;
    return this.harmonicPower(col, length) > pc * this.columnHarmonic ? 0 : share;
  }

  /**
   * The power of the second harmonic of keypad frequency `f` in the window just ended (its last `length`
   * samples), by Goertzel over the kept samples: |Σ x[n]·e^{-j2ωn}|², as the chunks' spectra would give it.
   */
  private harmonicPower(f: number, length: number): number {
    return this.spectra.recentPower(this.harmonicCoef[f] as number, length);
  }
}

/** Index of the strongest of the 4 powers from `from`. */
function strongest(p: Float64Array, from: number): number {
  let best = from;
  for (let i = from + 1; i < from + 4; i++) if ((p[i] as number) > (p[best] as number)) best = i;
  return best;
}
