/**
 * Finds keypad tones (DTMF) in a mono stream, to keep them out of recordings (DESIGN.md rule 8). It answers one
 * question only, "is a DTMF-like dual tone sounding here?", and never which key: no digit is ever decoded, so
 * none can be emitted, stored or logged.
 *
 * Goertzel filters measure the 8 keypad frequencies (4 row, 4 column) over 8 ms chunks. Each pair of
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

/** Row (low group) and column (high group) frequencies of the keypad, Hz. */
export const DTMF_ROWS_HZ = [697, 770, 852, 941] as const;
export const DTMF_COLUMNS_HZ = [1209, 1336, 1477, 1633] as const;

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

const FREQS = [...DTMF_ROWS_HZ, ...DTMF_COLUMNS_HZ];
/** Filters run on every sample: the keypad frequencies, rows then columns. */
const FILTERS = FREQS.length;
/** Quarters per chunk when fragments are looked for (fragment spans start every quarter); the ring's size. */
const QUARTERS = 4;

const dbPower = (db: number): number => 10 ** (db / 10);

/** Streaming DTMF detector; see the module comment. */
export class DtmfDetector {
  /** Window length, samples (two chunks). */
  readonly window: number;
  /** Chunk length, samples: windows overlap by one chunk, so one ends every chunk. */
  readonly hop: number;
  /**
   * A part of a chunk, samples: a quarter when fragments of keys are looked for (in chunk-long spans that start
   * every quarter), else the whole chunk.
   */
  private readonly part: number;
  /** How far before the newest sample fed a reported stretch may start, samples. */
  readonly lookAhead: number;
  /** Masked before the first window that holds a tone: the onset, smeared by a browser's switch-over. */
  private readonly preRoll: number;
  /** Masked after the last window that holds a tone: its tail. */
  private readonly hangover: number;
  private readonly rate: number;
  private readonly omega = new Float64Array(FILTERS);
  private readonly coef = new Float64Array(FILTERS);
  /** 2 cos 2ω at each keypad frequency ω: the Goertzel coefficient of its second harmonic. */
  private readonly harmonicCoef = new Float64Array(FILTERS);
  /**
   * Goertzel coefficients one bin of a chunk (rate/hop Hz) below and above each keypad frequency, from 2f: where
   * a tone lasting a chunk has its spectrum's first nulls.
   */
  private readonly nullCoef = new Float64Array(2 * FILTERS);
  /**
   * The last {@link window} samples fed since the stream began or was last finished, as a ring whose write
   * position is {@link recentAt}: the window just ended, for its second harmonics.
   */
  private readonly recent: Float32Array;
  private recentAt = 0;
  private readonly s1 = new Float64Array(FILTERS);
  private readonly s2 = new Float64Array(FILTERS);
  /**
   * The previous and the current chunk's spectrum at each filter (phase referred to the chunk's start). Swapped,
   * not copied, as each chunk closes.
   */
  private prevRe = new Float64Array(FILTERS);
  private prevIm = new Float64Array(FILTERS);
  private curRe = new Float64Array(FILTERS);
  private curIm = new Float64Array(FILTERS);
  /** The window's power at each keypad frequency. */
  private readonly power = new Float64Array(FILTERS);
  /**
   * The spectrum of the last chunk-long span (phase referred to its start), once {@link spanValid}: kept up to date
   * quarter by quarter.
   */
  private readonly spanRe = new Float64Array(FILTERS);
  private readonly spanIm = new Float64Array(FILTERS);
  private spanValid = false;
  /** The last chunk-long span's power at the keypad frequencies. */
  private readonly chunkPower = new Float64Array(FILTERS);
  /**
   * The spectra of the last {@link QUARTERS} parts closed, a ring: slot q's filter f at `QUARTERS·f + q` (phase
   * referred to the part's start), with their lengths and energies. {@link partAt} is the next slot.
   */
  private readonly partRe = new Float64Array(QUARTERS * FILTERS);
  private readonly partIm = new Float64Array(QUARTERS * FILTERS);
  private readonly partLength = new Int32Array(QUARTERS);
  private readonly partEnergy = new Float64Array(QUARTERS);
  private partAt = 0;
  /** Parts in the ring since the analysis (re)started, at most {@link QUARTERS}. */
  private ringHeld = 0;
  /** Parts of the current chunk closed so far. */
  private inChunk = 0;
  /** Per filter f, from 4f, for a whole part of L samples: cos ω, sin ω, cos ω(L-1), sin ω(L-1). */
  private readonly partTrig = new Float64Array(4 * FILTERS);
  /** Per filter f, from 2·QUARTERS·f + 2m: cos ωmL, sin ωmL, for m whole parts (m < QUARTERS). */
  private readonly shiftTrig = new Float64Array(2 * QUARTERS * FILTERS);
  /** Per filter f, from 2f, for a whole chunk of H samples: cos ωH, sin ωH. */
  private readonly hopTrig = new Float64Array(2 * FILTERS);
  private prevLength = 0;
  private prevEnergy = 0;
  private energy = 0;
  private filled = 0;
  private readonly minAmp2: number;
  private readonly twist: number;
  private readonly purity: number;
  private readonly rowHarmonic: number;
  private readonly columnHarmonic: number;
  private readonly minShare: number;
  private readonly cleanShare: number;
  private readonly fragmentShare: number;
  private readonly fragments: boolean;
  /** Largest power beside a fragment's tone, one bin away, as a fraction of the tone's. */
  private readonly nullLimit = dbPower(-10);
  /** Parts a chunk is closed in: {@link QUARTERS} when looking for fragments, else 1. */
  private readonly parts: number;
  private readonly tolerance: number;
  private pos = 0;
  private hits = 0;
  private runStart = 0;

  constructor(
    options: DtmfDetectorOptions,
    private readonly onTone: ToneSink
  ) {
    const rate = (this.rate = options.sampleRate);
    if (!(rate >= 8000)) throw new Error(`dtmf: sample rate must be at least 8000 Hz, was ${rate}`);
    this.fragments = options.fragments ?? true;
    // A chunk is closed in quarters when fragments are looked for (every 2 ms), else in one part.
    this.parts = this.fragments ? QUARTERS : 1;
    this.hop = QUARTERS * Math.round((rate * (options.windowMs ?? 16)) / (2000 * QUARTERS));
    this.part = this.hop / this.parts;
    this.window = 2 * this.hop;
    this.preRoll = 5 * this.hop;
    this.hangover = 4 * this.hop;
    // The latest report comes at the end of a run's second window, which ends three chunks after the run began.
    this.lookAhead = this.preRoll + 3 * this.hop;
    this.recent = new Float32Array(this.window);
    FREQS.forEach((hz, i) => {
      this.omega[i] = (2 * Math.PI * hz) / rate;
      this.harmonicCoef[i] = 2 * Math.cos((2 * Math.PI * 2 * hz) / rate);
    });
    for (let f = 0; f < FILTERS; f++) {
      const w = this.omega[f] as number;
      this.coef[f] = 2 * Math.cos(w);
      const end = w * (this.part - 1);
      this.partTrig.set([Math.cos(w), Math.sin(w), Math.cos(end), Math.sin(end)], 4 * f);
      for (let m = 0; m < QUARTERS; m++) {
        this.shiftTrig[2 * (QUARTERS * f + m)] = Math.cos(w * m * this.part);
        this.shiftTrig[2 * (QUARTERS * f + m) + 1] = Math.sin(w * m * this.part);
      }
      this.nullCoef[2 * f] = 2 * Math.cos(w - (2 * Math.PI) / this.hop);
      this.nullCoef[2 * f + 1] = 2 * Math.cos(w + (2 * Math.PI) / this.hop);
      this.hopTrig[2 * f] = Math.cos(w * this.hop);
      this.hopTrig[2 * f + 1] = Math.sin(w * this.hop);
    }
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
    return this.pos;
  }

  /** Feeds `x[0..count)`. */
  process(x: Float32Array, count: number): void {
    let at = 0;
    while (at < count) {
      const n = Math.min(count - at, this.part - this.filled);
      this.accumulate(x, at, n);
      at += n;
      this.pos += n;
      this.filled += n;
      if (this.filled === this.part) this.endPart(false);
    }
  }

  /**
   * Ends a stretch of the stream (a pause, or the end): a tone still being confirmed is reported up to here,
   * the part-filled last window is judged too, and analysis starts afresh with the next sample.
   */
  finish(): void {
    if (this.hits > 0) this.onTone(this.runStart - this.preRoll, this.pos + this.hangover);
    if (this.filled > 0) this.endPart(true);
    else if (this.inChunk > 0) this.closeChunk(true);
    this.hits = 0;
    this.prevLength = 0;
    this.ringHeld = 0;
    this.inChunk = 0;
    this.spanValid = false;
    this.filled = 0;
    this.energy = 0;
    this.recentAt = 0;
    this.s1.fill(0);
    this.s2.fill(0);
  }

  private accumulate(x: Float32Array, at: number, n: number): void {
    const { coef, s1: S1, s2: S2, recent } = this;
    const end = at + n;
    // All eight filters in one pass over the samples, with the energy and the copy kept for the harmonics: each
    // filter's recurrence is a chain of dependent multiply-adds, so running them side by side lets them overlap
    // (the same operations per filter, in the same order).
    const c0 = coef[0] as number;
    const c1 = coef[1] as number;
    const c2 = coef[2] as number;
    const c3 = coef[3] as number;
    const c4 = coef[4] as number;
    const c5 = coef[5] as number;
    const c6 = coef[6] as number;
    const c7 = coef[7] as number;
    let a1 = S1[0] as number;
    let a2 = S2[0] as number;
    let b1 = S1[1] as number;
    let b2 = S2[1] as number;
    let d1 = S1[2] as number;
    let d2 = S2[2] as number;
    let e1 = S1[3] as number;
    let e2 = S2[3] as number;
    let g1 = S1[4] as number;
    let g2 = S2[4] as number;
    let h1 = S1[5] as number;
    let h2 = S2[5] as number;
    let k1 = S1[6] as number;
    let k2 = S2[6] as number;
    let m1 = S1[7] as number;
    let m2 = S2[7] as number;
    let energy = this.energy;
    const to = this.recentAt - at;
    for (let i = at; i < end; i++) {
      const v = x[i] as number;
      const a0 = v + c0 * a1 - a2;
      const b0 = v + c1 * b1 - b2;
      const d0 = v + c2 * d1 - d2;
      const e0 = v + c3 * e1 - e2;
      const g0 = v + c4 * g1 - g2;
      const h0 = v + c5 * h1 - h2;
      const k0 = v + c6 * k1 - k2;
      const m0 = v + c7 * m1 - m2;
      a2 = a1;
      a1 = a0;
      b2 = b1;
      b1 = b0;
      d2 = d1;
      d1 = d0;
      e2 = e1;
      e1 = e0;
      g2 = g1;
      g1 = g0;
      h2 = h1;
      h1 = h0;
      k2 = k1;
      k1 = k0;
      m2 = m1;
      m1 = m0;
      energy += v * v;
      recent[to + i] = v;
    }
    S1[0] = a1;
    S2[0] = a2;
    S1[1] = b1;
    S2[1] = b2;
    S1[2] = d1;
    S2[2] = d2;
    S1[3] = e1;
    S2[3] = e2;
    S1[4] = g1;
    S2[4] = g2;
    S1[5] = h1;
    S2[5] = h2;
    S1[6] = k1;
    S2[6] = k2;
    S1[7] = m1;
    S2[7] = m2;
    this.energy = energy;
    this.recentAt = this.recentAt + n === recent.length ? 0 : this.recentAt + n;
  }

  /**
   * Closes the current part: its spectrum; then, once the chunk has all its parts, the chunk and the window it
   * ends; then, when parts are quarters (2 ms), the chunk-long span it ends (the last four quarters, which may
   * start in the previous chunk), judged as a fragment of a key, so fragments are looked for every 2 ms. Between
   * chunk ends the span slides: the oldest quarter leaves it and the new one joins (each chunk end sets it afresh,
   * so no rounding piles up).
   */
  private endPart(final: boolean): void {
    const length = this.filled;
    const { omega, s1, s2, partRe, partIm, partTrig: t, spanRe, spanIm, shiftTrig: shift } = this;
    const full = length === this.part;
    const q = this.partAt;
    // Only whole quarters slide the span (a part-filled one comes at a finish, which starts the analysis afresh),
    // and not at a chunk end, which sets it afresh.
    const slide = this.fragments && this.spanValid && full && this.inChunk < QUARTERS - 1;
    for (let f = 0; f < FILTERS; f++) {
      const at = QUARTERS * f + q;
      const k = 2 * QUARTERS * f;
      if (slide) {
        // span ← (span − the oldest quarter) · e^{jωL}: the other three, referred to the second's start.
        const a = (spanRe[f] as number) - (partRe[at] as number);
        const b = (spanIm[f] as number) - (partIm[at] as number);
        const c = shift[k + 2] as number;
        const sn = shift[k + 3] as number;
        spanRe[f] = a * c - b * sn;
        spanIm[f] = a * sn + b * c;
      }
      // Goertzel's last two states give the part's DFT, times e^{jω(L-1)}.
      const g = 4 * f;
      const a = (s1[f] as number) - (t[g] as number) * (s2[f] as number);
      const b = (t[g + 1] as number) * (s2[f] as number);
      const p = (omega[f] as number) * (length - 1);
      const cp = full ? (t[g + 2] as number) : Math.cos(p);
      const sp = full ? (t[g + 3] as number) : Math.sin(p);
      const re = a * cp + b * sp;
      const im = b * cp - a * sp;
      partRe[at] = re;
      partIm[at] = im;
      if (slide) {
        // ... + the new quarter · e^{-jω·3L}.
        const c = shift[k + 2 * (QUARTERS - 1)] as number;
        const sn = shift[k + 2 * (QUARTERS - 1) + 1] as number;
        spanRe[f] = (spanRe[f] as number) + re * c + im * sn;
        spanIm[f] = (spanIm[f] as number) + im * c - re * sn;
      }
      // (Reset here: cheaper than fill() on so few values, every part.)
      s1[f] = 0;
      s2[f] = 0;
    }
    this.partLength[q] = length;
    this.partEnergy[q] = this.energy;
    this.energy = 0;
    this.filled = 0;
    this.partAt = (q + 1) % QUARTERS;
    if (this.ringHeld < QUARTERS) this.ringHeld++;
    this.inChunk++;
    const spanWhole = this.fragments && full && this.ringHeld === QUARTERS;
    if (this.inChunk === this.parts || final) {
      const whole = this.inChunk === this.parts;
      this.closeChunk(final);
      // The chunk just closed (now in prev) is the span, when it has all four quarters.
      if (spanWhole && whole) {
        spanRe.set(this.prevRe);
        spanIm.set(this.prevIm);
        this.spanValid = true;
      }
    } else if (spanWhole && !this.spanValid) {
      this.combine(QUARTERS, spanRe, spanIm);
      this.spanValid = true;
    }
    if (spanWhole && this.isFragment(spanRe, spanIm, this.lastEnergy(QUARTERS))) {
      this.onTone(this.pos - this.hop - this.preRoll, this.pos + this.hangover);
    }
  }

  /** The energy of the last `n` parts. */
  private lastEnergy(n: number): number {
    let e = 0;
    for (let i = 1; i <= n; i++) e += this.partEnergy[(this.partAt - i + QUARTERS) % QUARTERS] as number;
    return e;
  }

  /**
   * `out` = the spectrum of the last `n` parts as one span: each part's, turned back by the samples before
   * it in the span, summed.
   */
  private combine(n: number, outRe: Float64Array, outIm: Float64Array): void {
    const { partRe, partIm, partLength, omega, shiftTrig: t } = this;
    const first = (this.partAt - n + QUARTERS) % QUARTERS;
    let whole = true;
    for (let i = 0; i < n - 1; i++) whole &&= partLength[(first + i) % QUARTERS] === this.part;
    for (let f = 0; f < FILTERS; f++) {
      let re = 0;
      let im = 0;
      let offset = 0;
      for (let i = 0; i < n; i++) {
        const q = (first + i) % QUARTERS;
        const qr = partRe[QUARTERS * f + q] as number;
        const qi = partIm[QUARTERS * f + q] as number;
        const c = whole ? (t[2 * (QUARTERS * f + i)] as number) : Math.cos((omega[f] as number) * offset);
        const s = whole ? (t[2 * (QUARTERS * f + i) + 1] as number) : Math.sin((omega[f] as number) * offset);
        re += qr * c + qi * s;
        im += qi * c - qr * s;
        offset += partLength[q] as number;
      }
      outRe[f] = re;
      outIm[f] = im;
    }
  }

  /** Closes the current chunk, of the last {@link inChunk} parts: its spectrum, then the window it ends. */
  private closeChunk(final: boolean): void {
    const n = this.inChunk;
    this.combine(n, this.curRe, this.curIm);
    let length = 0;
    for (let i = 1; i <= n; i++) length += this.partLength[(this.partAt - i + QUARTERS) % QUARTERS] as number;
    this.endChunk(final, length, this.lastEnergy(n));
  }

  /**
   * Closes the current chunk, of `length` samples holding `energy`, whose spectrum is in `cur`: judges the window
   * it ends (with the chunk before it).
   */
  private endChunk(final: boolean, length: number, energy: number): void {
    const { omega, curRe, curIm, prevRe, prevIm, power, hopTrig: t } = this;
    this.inChunk = 0;
    const total = this.prevLength + length;
    if (this.prevLength > 0) {
      const whole = this.prevLength === this.hop;
      for (let f = 0; f < FILTERS; f++) {
        const p = (omega[f] as number) * this.prevLength;
        const c = whole ? (t[2 * f] as number) : Math.cos(p);
        const s = whole ? (t[2 * f + 1] as number) : Math.sin(p);
        const re = (prevRe[f] as number) + (curRe[f] as number) * c + (curIm[f] as number) * s;
        const im = (prevIm[f] as number) + (curIm[f] as number) * c - (curRe[f] as number) * s;
        power[f] = re * re + im * im;
      }
      this.judge(total, this.prevEnergy + energy, final);
    }
    this.prevRe = curRe;
    this.prevIm = curIm;
    this.curRe = prevRe;
    this.curIm = prevIm;
    this.prevLength = length;
    this.prevEnergy = energy;
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
    for (let f = 0; f < FILTERS; f++) q[f] = (re[f] as number) ** 2 + (im[f] as number) ** 2;
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
    if (!this.onKeypadFrequency(row) || !this.onKeypadFrequency(col)) return false;
    return this.nullsClear(row, pr) && this.nullsClear(col, pc);
  }

  /**
   * Whether the tone at filter `f` in the last chunk-long span (whole quarters) lies within the tolerance of the
   * filter's frequency, from the phase it turns between the span's two halves. A voice whose formants sit on a
   * keypad pair passes the other checks now and then; its harmonics seldom sit this close to both tones.
   */
  private onKeypadFrequency(f: number): boolean {
    const { partRe: qr, partIm: qi, shiftTrig: t } = this;
    const at = (i: number) => QUARTERS * f + ((this.partAt + i) % QUARTERS);
    const c1 = t[2 * (QUARTERS * f + 1)] as number;
    const s1 = t[2 * (QUARTERS * f + 1) + 1] as number;
    // Each half: its first quarter, plus its second turned back by one quarter.
    const half = (i: number): [number, number] => {
      const r0 = qr[at(i)] as number;
      const i0 = qi[at(i)] as number;
      const r1 = qr[at(i + 1)] as number;
      const i1 = qi[at(i + 1)] as number;
      return [r0 + r1 * c1 + i1 * s1, i0 + i1 * c1 - r1 * s1];
    };
    const [aRe, aIm] = half(0);
    const [bRe, bIm] = half(2);
    return (
      Math.abs(this.turnHz(f, aRe, aIm, bRe, bIm, 2 * this.part)) <= this.tolerance * (FREQS[f] as number)
    );
  }

  /**
   * Whether the span's spectrum is empty one bin either side of the tone at filter `f` (power `p`), as a tone's
   * is: a voice whose harmonics put two of them on a keypad pair also has harmonics beside them.
   */
  private nullsClear(f: number, p: number): boolean {
    const limit = p * this.nullLimit;
    return (
      this.recentPower(this.nullCoef[2 * f] as number, this.hop) <= limit &&
      this.recentPower(this.nullCoef[2 * f + 1] as number, this.hop) <= limit
    );
  }

  private judge(length: number, energy: number, final: boolean): void {
    const share = this.dualToneShare(length, energy);
    if (share === 0) {
      this.hits = 0;
      return;
    }
    if (this.hits++ === 0) this.runStart = this.pos - length;
    // Two windows in a row make a tone; one alone only when nothing else sounds in it (a browser's 50 ms key
    // can give just one clean window between its switch-over from the voice and back).
    if (this.hits >= 2 || share >= this.cleanShare || final) {
      this.onTone(this.runStart - this.preRoll, this.pos + this.hangover);
    }
  }

  /** The share of the window's energy in a keypad dual tone that passes every check; 0 when none does. */
  private dualToneShare(length: number, energy: number): number {
    const p = this.power;
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
    const { prevRe, prevIm, curRe, curIm, prevLength } = this;
    const dr = this.turnHz(
      row,
      prevRe[row] as number,
      prevIm[row] as number,
      curRe[row] as number,
      curIm[row] as number,
      prevLength
    );
    const dc = this.turnHz(
      col,
      prevRe[col] as number,
      prevIm[col] as number,
      curRe[col] as number,
      curIm[col] as number,
      prevLength
    );
    if (Math.abs(dr) > this.tolerance * (FREQS[row] as number)) return 0;
    if (Math.abs(dc) > this.tolerance * (FREQS[col] as number)) return 0;
    // Second harmonics: a row tone's falls among the column tones, whose leakage it must tolerate.
    if (this.harmonicPower(row, length) > pr * this.rowHarmonic) return 0;
    return this.harmonicPower(col, length) > pc * this.columnHarmonic ? 0 : share;
  }

  /**
   * The power of the second harmonic of keypad frequency `f` in the window just ended (its last `length`
   * samples), by Goertzel over the kept samples: |Σ x[n]·e^{-j2ωn}|², as the chunks' spectra would give it.
   */
  private harmonicPower(f: number, length: number): number {
    return this.recentPower(this.harmonicCoef[f] as number, length);
  }

  /** Goertzel power, at the frequency whose coefficient (2 cos ω) is `c`, of the last `length` samples fed. */
  private recentPower(c: number, length: number): number {
    const recent = this.recent;
    let i = this.recentAt - length;
    if (i < 0) i += recent.length;
    let s1 = 0;
    let s2 = 0;
    for (let k = 0; k < length; k++) {
      const s0 = (recent[i] as number) + c * s1 - s2;
      s2 = s1;
      s1 = s0;
      if (++i === recent.length) i = 0;
    }
    return s1 * s1 + s2 * s2 - c * s1 * s2;
  }

  /**
   * How far (Hz) the tone at filter `f` lies from the filter's frequency: the phase it turned from a stretch
   * (spectrum a) to the one `gap` samples after it (spectrum b), beyond what the filter's own frequency turns.
   * Unambiguous within ±rate/(2·gap).
   */
  private turnHz(f: number, aRe: number, aIm: number, bRe: number, bIm: number, gap: number): number {
    // conj(a) · b · e^{-jω·gap}
    const re0 = aRe * bRe + aIm * bIm;
    const im0 = aRe * bIm - aIm * bRe;
    const p = (this.omega[f] as number) * gap;
    const re = re0 * Math.cos(p) + im0 * Math.sin(p);
    const im = im0 * Math.cos(p) - re0 * Math.sin(p);
    return (Math.atan2(im, re) * this.rate) / (2 * Math.PI * gap);
  }
}

/** Index of the strongest of the 4 powers from `from`. */
function strongest(p: Float64Array, from: number): number {
  let best = from;
  for (let i = from + 1; i < from + 4; i++) if ((p[i] as number) > (p[best] as number)) best = i;
  return best;
}
