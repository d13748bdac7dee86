/**
 * The Goertzel filter bank under {@link DtmfDetector}: the spectrum of a mono stream at the 8 keypad frequencies,
 * streamed. It cuts the stream into chunks (8 ms at the default 16 ms window); each pair of neighbouring chunks
 * makes a window, so windows overlap by half. When fragments of keys are looked for, each chunk is closed in
 * quarters (2 ms) and a chunk-long span starting at every quarter is handed on too. It keeps the last window's
 * samples, for measuring other frequencies (second harmonics, a tone's nulls) only when they are needed.
 *
 * It judges nothing: it hands each span and each window to a {@link SpectraSink}, which reads their spectra from
 * it. Pure and allocation-free per call.
 */
import { DTMF_COLUMNS_HZ, DTMF_ROWS_HZ } from './dtmf-keypad';

/** The keypad frequencies, rows then columns: one filter each. */
export const FREQS: readonly number[] = [...DTMF_ROWS_HZ, ...DTMF_COLUMNS_HZ];
/** Filters run on every sample. */
const FILTERS = FREQS.length;
/** Quarters per chunk when fragments are looked for (fragment spans start every quarter); the ring's size. */
const QUARTERS = 4;

/** What the bank hands on, as it closes them. */
export interface SpectraSink {
  /**
   * A chunk-long span of whole quarters ended (spectrum `re`, `im`, phase referred to its start; `energy` in it).
   */
  spanEnded(re: Float64Array, im: Float64Array, energy: number): void;
  /**
   * A window of `length` samples holding `energy` ended; its power at each keypad frequency is in
   * {@link KeypadSpectra.power}. `final` when it ends at a finish, part-filled.
   */
  windowEnded(length: number, energy: number, final: boolean): void;
}

/** Streaming Goertzel bank at the keypad frequencies; see the module comment. */
export class KeypadSpectra {
  /** Window length, samples (two chunks). */
  readonly window: number;
  /** Chunk length, samples: windows overlap by one chunk, so one ends every chunk. */
  readonly hop: number;
  /**
   * A part of a chunk, samples: a quarter when fragments of keys are looked for (in chunk-long spans that start
   * every quarter), else the whole chunk.
   */
  private readonly part: number;
  /** Parts a chunk is closed in: {@link QUARTERS} when looking for fragments, else 1. */
  private readonly parts: number;
  private readonly rate: number;
  private readonly omega = new Float64Array(FILTERS);
  private readonly coef = new Float64Array(FILTERS);
  /**
   * The last {@link window} samples fed since the stream began or was last finished, as a ring whose write
   * position is {@link recentAt}.
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
  /** The last window's power at each keypad frequency. */
  readonly power = new Float64Array(FILTERS);
  /**
   * The spectrum of the last chunk-long span (phase referred to its start), once {@link spanValid}: kept up to date
   * quarter by quarter.
   */
  private readonly spanRe = new Float64Array(FILTERS);
  private readonly spanIm = new Float64Array(FILTERS);
  private spanValid = false;
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
  private pos = 0;

  /**
   * A bank for a stream at `rate` Hz, with windows of `windowMs`; `fragments`: close chunks in quarters and hand
   * on every chunk-long span.
   */
  constructor(
    rate: number,
    windowMs: number,
    private readonly fragments: boolean,
    private readonly sink: SpectraSink
  ) {
    this.rate = rate;
    // A chunk is closed in quarters when fragments are looked for (every 2 ms), else in one part.
    this.parts = fragments ? QUARTERS : 1;
    this.hop = QUARTERS * Math.round((rate * windowMs) / (2000 * QUARTERS));
    this.part = this.hop / this.parts;
    this.window = 2 * this.hop;
    this.recent = new Float32Array(this.window);
    for (let f = 0; f < FILTERS; f++) {
      const w = (this.omega[f] = (2 * Math.PI * (FREQS[f] as number)) / rate);
      this.coef[f] = 2 * Math.cos(w);
      const end = w * (this.part - 1);
      this.partTrig.set([Math.cos(w), Math.sin(w), Math.cos(end), Math.sin(end)], 4 * f);
      for (let m = 0; m < QUARTERS; m++) {
        this.shiftTrig[2 * (QUARTERS * f + m)] = Math.cos(w * m * this.part);
        this.shiftTrig[2 * (QUARTERS * f + m) + 1] = Math.sin(w * m * this.part);
      }
      this.hopTrig[2 * f] = Math.cos(w * this.hop);
      this.hopTrig[2 * f + 1] = Math.sin(w * this.hop);
    }
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
   * Ends a stretch of the stream: the part-filled last window is handed on too (`final`), and analysis starts
   * afresh with the next sample.
   */
  finish(): void {
    if (this.filled > 0) this.endPart(true);
    else if (this.inChunk > 0) this.closeChunk(true);
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
    if (spanWhole) this.sink.spanEnded(spanRe, spanIm, this.lastEnergy(QUARTERS));
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
   * Closes the current chunk, of `length` samples holding `energy`, whose spectrum is in `cur`: hands on the
   * window it ends (with the chunk before it).
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
      this.sink.windowEnded(total, this.prevEnergy + energy, final);
    }
    this.prevRe = curRe;
    this.prevIm = curIm;
    this.curRe = prevRe;
    this.curIm = prevIm;
    this.prevLength = length;
    this.prevEnergy = energy;
  }

  /**
   * How far (Hz) the tone at filter `f` in the last chunk-long span (whole quarters) lies from the filter's
   * frequency: from the phase it turns between the span's two halves.
   */
  spanTurnHz(f: number): number {
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
    return this.turnHz(f, aRe, aIm, bRe, bIm, 2 * this.part);
  }

  /** How far (Hz) the tone at filter `f` in the window just ended lies from the filter's frequency. */
  windowTurnHz(f: number): number {
    const { prevRe, prevIm, curRe, curIm } = this;
    return this.turnHz(
      f,
      prevRe[f] as number,
      prevIm[f] as number,
      curRe[f] as number,
      curIm[f] as number,
      this.prevLength
    );
  }

  /** Goertzel power, at the frequency whose coefficient (2 cos ω) is `c`, of the last `length` samples fed. */
  recentPower(c: number, length: number): number {
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
