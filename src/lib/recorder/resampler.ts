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
      if (n > 1) for (let i = 0; i < frames; i++) buf[this.len + i] = (buf[this.len + i] as number) / n;
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

  private drain(out: Float32Array, limit = Infinity): number {
    const { buf, coef, taps, up, down } = this;
    let pos = this.pos;
    let phase = this.phase;
    let o = 0;
    while (pos + taps <= this.len && o < limit) {
      const base = phase * taps;
      let s = 0;
      for (let k = 0; k < taps; k++) s += (coef[base + k] as number) * (buf[pos + k] as number);
      out[o++] = s;
      phase += down;
      pos += Math.floor(phase / up);
      phase %= up;
    }
    buf.copyWithin(0, pos, this.len);
    this.len -= pos;
    this.pos = 0;
    this.phase = phase;
    this.outputTotal += o;
    return o;
  }
}
