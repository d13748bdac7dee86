/**
 * Streaming downmix + resampler: N input channels at the AudioContext's rate (48 000 or 44 100 Hz) to mono at
 * the target rate (16 000 Hz by default), through a Kaiser-windowed-sinc polyphase low-pass filter.
 *
 * The filter: cutoff halfway through a transition band that ends at the output Nyquist frequency (for 16 kHz:
 * passband to 6 kHz, stopband from 8 kHz), {@link ResamplerOptions.attenuationDb} deep (70 dB by default), so
 * nothing above the output Nyquist aliases back into the recording. Each of the L polyphase branches (L = output
 * rate / gcd of the rates) is normalised to unity DC gain.
 *
 * Stateful across blocks: the filter history is carried over, so block boundaries are invisible (the output for
 * any split of the input equals the output for the whole input). The output is aligned so that output sample n
 * is the input at time n · inRate/outRate; the price is a look-ahead of taps/2 input samples, which
 * {@link Resampler.flush} releases at the end. After N input samples and a flush, exactly ceil(N · out/in)
 * samples have come out.
 *
 * Allocation-free per block: every buffer is allocated in the constructor (for blocks up to `maxBlock` frames;
 * a larger block grows the buffer once).
 */

/** Options of {@link Resampler}. */
export interface ResamplerOptions {
  /** Input sample rate, Hz. */
  inputRate: number;
  /** Output sample rate, Hz (default 16 000). */
  outputRate?: number;
  /** Stopband attenuation the Kaiser window is designed for, dB (default 70). */
  attenuationDb?: number;
  /** Transition band width as a fraction of the output rate (default 0.125: 2 kHz at 16 kHz). */
  transitionFraction?: number;
  /** Largest block expected per call, frames (default 128, the Web Audio render quantum). */
  maxBlock?: number;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Modified Bessel function of the first kind, order 0 (power series). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

/** Polyphase downmixing resampler. See the module comment. */
export class Resampler {
  readonly inputRate: number;
  readonly outputRate: number;
  /** Taps per polyphase branch. */
  readonly taps: number;
  /** Upsampling factor L and decimation factor M: out/in = L/M. */
  private readonly up: number;
  private readonly down: number;
  private readonly coef: Float32Array;
  /** Per branch: the first non-zero tap and how many taps from there to the last non-zero one. */
  private readonly first: Int32Array;
  private readonly span: Int32Array;
  /**
   * Per branch, 1 when its non-zero taps read the same backwards (then each pair of inputs shares one multiply):
   * the single branch of an integer decimation (48 to 16 kHz), both branches of a 3:2 one (24 to 16 kHz: the
   * taps sit on the input samples and halfway between them), but not the off-centre branches of 44.1 kHz.
   */
  private readonly symmetric: Uint8Array;
  private buf: Float32Array;
  private len: number;
  /** Buffer index where the next output's window starts. */
  private pos = 0;
  /** Phase of the next output, 0 ≤ phase < L. */
  private phase = 0;
  private inputTotal = 0;
  private outputTotal = 0;
  private flushed = false;

  constructor(options: ResamplerOptions) {
    const inRate = options.inputRate;
    const outRate = options.outputRate ?? 16_000;
    if (!(Number.isInteger(inRate) && inRate > 0 && Number.isInteger(outRate) && outRate > 0)) {
      throw new Error(`resampler: rates must be positive integers, were ${inRate} and ${outRate}`);
    }
    this.inputRate = inRate;
    this.outputRate = outRate;
    const g = gcd(inRate, outRate);
    this.up = outRate / g;
    this.down = inRate / g;
    const atten = options.attenuationDb ?? 70;
    const nyquist = Math.min(inRate, outRate) / 2;
    const transition = (options.transitionFraction ?? 0.125) * Math.min(inRate, outRate);
    const cutoff = nyquist - transition / 2;
    const dw = (2 * Math.PI * transition) / inRate;
    const half = Math.ceil(Math.ceil((atten - 8) / (2.285 * dw) + 1) / 2);
    this.taps = 2 * half;
    const beta = atten > 50 ? 0.1102 * (atten - 8.7) : 0.5842 * (atten - 21) ** 0.4 + 0.07886 * (atten - 21);
    const i0beta = besselI0(beta);
    this.coef = new Float32Array(this.up * this.taps);
    const fc = cutoff / inRate;
    for (let p = 0; p < this.up; p++) {
      let sum = 0;
      const row = new Float64Array(this.taps);
      for (let k = 0; k < this.taps; k++) {
        const d = k - half + 1 - p / this.up;
        const r = d / half;
        const w = Math.abs(r) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - r * r)) / i0beta;
        const x = 2 * Math.PI * fc * d;
        row[k] = w * (d === 0 ? 1 : Math.sin(x) / x);
        sum += row[k] as number;
      }
      for (let k = 0; k < this.taps; k++) this.coef[p * this.taps + k] = (row[k] as number) / sum;
    }
    this.first = new Int32Array(this.up);
    this.span = new Int32Array(this.up);
    for (let p = 0; p < this.up; p++) {
      const row = this.coef.subarray(p * this.taps, (p + 1) * this.taps);
      let lo = 0;
      let hi = this.taps;
      while (lo < hi && row[lo] === 0) lo++;
      while (hi > lo && row[hi - 1] === 0) hi--;
      this.first[p] = lo;
      this.span[p] = hi - lo;
    }
    this.symmetric = new Uint8Array(this.up);
    for (let p = 0; p < this.up; p++) {
      const lo = p * this.taps + (this.first[p] as number);
      this.symmetric[p] = isSymmetric(this.coef.subarray(lo, lo + (this.span[p] as number))) ? 1 : 0;
    }
    this.buf = new Float32Array(this.taps + (options.maxBlock ?? 128));
    // half-1 zeros of history so that output 0 is centred on input sample 0.
    this.len = half - 1;
  }

  /** Input samples consumed so far. */
  get inputSamples(): number {
    return this.inputTotal;
  }

  /** Output samples produced so far. */
  get outputSamples(): number {
    return this.outputTotal;
  }

  /** Largest number of samples one call with `frames` input frames can produce (size `out` by this). */
  maxOutput(frames: number): number {
    return Math.ceil(((frames + this.taps) * this.up) / this.down) + 1;
  }

  /**
   * Downmixes `channels` (each `frames` long; none = silence) and resamples them into `out`, returning how
   * many samples were written. `out` must hold {@link maxOutput}(frames).
   */
  process(channels: readonly Float32Array[], frames: number, out: Float32Array): number {
    if (this.flushed) throw new Error('resampler: process after flush');
    this.ensure(frames);
    const buf = this.buf;
    const n = channels.length;
    if (n === 0) buf.fill(0, this.len, this.len + frames);
    else {
      const first = channels[0] as Float32Array;
      for (let i = 0; i < frames; i++) buf[this.len + i] = first[i] as number;
      for (let c = 1; c < n; c++) {
        const ch = channels[c] as Float32Array;
        for (let i = 0; i < frames; i++)
          buf[this.len + i] = (buf[this.len + i] as number) + (ch[i] as number);
      }
      if (n > 1) scale(buf, this.len, frames, n);
    }
    this.len += frames;
    this.inputTotal += frames;
    return this.drain(out);
  }

  /** Ends the stream: pushes the look-ahead through with zeros; returns the samples written to `out`. */
  flush(out: Float32Array): number {
    if (this.flushed) throw new Error('resampler: flushed twice');
    const wanted = Math.ceil((this.inputTotal * this.up) / this.down);
    const pad = this.taps / 2;
    this.ensure(pad);
    this.buf.fill(0, this.len, this.len + pad);
    this.len += pad;
    this.flushed = true;
    const written = this.drain(out, wanted - this.outputTotal);
    return written;
  }

  private ensure(frames: number): void {
    if (this.len + frames <= this.buf.length) return;
    const grown = new Float32Array(this.len + frames + this.taps);
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
  }

  /**
   * Writes every output whose window is complete (at most `limit`). Each branch's zero taps at the window's ends
   * are skipped. A symmetric branch ({@link symmetric}) adds the two inputs that meet the same tap from either
   * end first, halving the multiplies; any other branch runs the plain convolution. Four partial sums let the
   * multiply-adds overlap: the same taps as the plain convolution, only the order of the double-precision
   * additions differs.
   */
  private drain(out: Float32Array, limit = Infinity): number {
    const { buf, coef, taps, up, down, first, span, symmetric } = this;
    const len = this.len;
    let pos = this.pos;
    let phase = this.phase;
    let o = 0;
    while (pos + taps <= len && o < limit) {
      const lo = first[phase] as number;
      const n = span[phase] as number;
      const c0 = phase * taps + lo;
      out[o++] =
        symmetric[phase] === 1 ? foldedDot(coef, c0, buf, pos + lo, n) : dot(coef, c0, buf, pos + lo, n);
      phase += down;
      if (phase >= up) {
        pos += (phase / up) | 0;
        phase %= up;
      }
    }
    buf.copyWithin(0, pos, len);
    this.len = len - pos;
    this.pos = 0;
    this.phase = phase;
    this.outputTotal += o;
    return o;
  }
}

/** `coef[c..c+n) · buf[b..b+n)`, four partial sums. */
function dot(coef: Float32Array, c: number, buf: Float32Array, b: number, n: number): number {
  const end4 = c + (n & ~3);
  const end = c + n;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (; c < end4; c += 4, b += 4) {
    s0 += (coef[c] as number) * (buf[b] as number);
    s1 += (coef[c + 1] as number) * (buf[b + 1] as number);
    s2 += (coef[c + 2] as number) * (buf[b + 2] as number);
    s3 += (coef[c + 3] as number) * (buf[b + 3] as number);
  }
  for (; c < end; c++, b++) s0 += (coef[c] as number) * (buf[b] as number);
  return s0 + s1 + (s2 + s3);
}

/**
 * {@link dot} for taps `coef[c..c+n)` that read the same backwards: `coef[c+i] · (buf[b+i] + buf[b+n-1-i])`
 * over the first half, plus the middle tap when n is odd.
 */
function foldedDot(coef: Float32Array, c: number, buf: Float32Array, b: number, n: number): number {
  const pairs = n >> 1;
  const end4 = c + (pairs & ~3);
  const end = c + pairs;
  let a = b;
  let z = b + n - 1;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (; c < end4; c += 4, a += 4, z -= 4) {
    s0 += (coef[c] as number) * ((buf[a] as number) + (buf[z] as number));
    s1 += (coef[c + 1] as number) * ((buf[a + 1] as number) + (buf[z - 1] as number));
    s2 += (coef[c + 2] as number) * ((buf[a + 2] as number) + (buf[z - 2] as number));
    s3 += (coef[c + 3] as number) * ((buf[a + 3] as number) + (buf[z - 3] as number));
  }
  for (; c < end; c++, a++, z--) s0 += (coef[c] as number) * ((buf[a] as number) + (buf[z] as number));
  if (n & 1) s1 += (coef[c] as number) * (buf[a] as number);
  return s0 + s1 + (s2 + s3);
}

/** Whether `row` reads the same backwards, exactly. */
function isSymmetric(row: Float32Array): boolean {
  for (let i = 0, j = row.length - 1; i < j; i++, j--) if (row[i] !== row[j]) return false;
  return true;
}

/**
 * Divides `buf[from..from+count)` by `n`. For a power of two (the usual 2 channels) it multiplies by 1/n instead,
 * which gives the same bits (1/n is exact) at a fraction of a division's cost.
 */
function scale(buf: Float32Array, from: number, count: number, n: number): void {
  const end = from + count;
  if ((n & (n - 1)) === 0) {
    const inv = 1 / n;
    for (let i = from; i < end; i++) buf[i] = (buf[i] as number) * inv;
  } else for (let i = from; i < end; i++) buf[i] = (buf[i] as number) / n;
}
