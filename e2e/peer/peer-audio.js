// Pure audio analysis for the test peer: RMS, Goertzel tone levels, dominant frequency (FFT), DTMF detection.

const DTMF_LOW = [697, 770, 852, 941];
const DTMF_HIGH = [1209, 1336, 1477, 1633];
const DTMF_KEYS = ['123A', '456B', '789C', '*0#D'];

function hann(n) {
  const w = new Float32Array(n);
  for (let i = 0; i < n; i += 1) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
  return w;
}

function db(x) {
  return 20 * Math.log10(Math.max(x, 1e-9));
}

/** Amplitude (1.0 = full-scale sine) of `freq` in pcm[start, start+n) using a Hann-windowed Goertzel. */
function toneAmplitude(pcm, start, n, window, freq, sampleRate) {
  const k = (2 * Math.PI * freq) / sampleRate;
  const coeff = 2 * Math.cos(k);
  let s1 = 0;
  let s2 = 0;
  let wsum = 0;
  for (let i = 0; i < n; i += 1) {
    const s0 = pcm[start + i] * window[i] + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
    wsum += window[i];
  }
  const re = s1 - s2 * Math.cos(k);
  const im = s2 * Math.sin(k);
  return (2 * Math.sqrt(re * re + im * im)) / wsum;
}

function fftMagnitudes(input) {
  const n = input.length;
  const re = Float64Array.from(input);
  const im = new Float64Array(n);
  for (let i = 1, j = 0; i < n; i += 1) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k += 1) {
        const wr = Math.cos(ang * k);
        const wi = Math.sin(ang * k);
        const ar = re[i + k + len / 2];
        const ai = im[i + k + len / 2];
        const tr = ar * wr - ai * wi;
        const ti = ar * wi + ai * wr;
        re[i + k + len / 2] = re[i + k] - tr;
        im[i + k + len / 2] = im[i + k] - ti;
        re[i + k] += tr;
        im[i + k] += ti;
      }
    }
  }
  const mags = new Float64Array(n / 2);
  for (let i = 0; i < n / 2; i += 1) mags[i] = Math.hypot(re[i], im[i]);
  return mags;
}

/**
 * @param {Float32Array} pcm
 * @param {number} sampleRate
 * @param {number[]} freqs
 */
export function analyse(pcm, sampleRate, freqs) {
  let sum = 0;
  for (let i = 0; i < pcm.length; i += 1) sum += pcm[i] * pcm[i];
  const rms = Math.sqrt(sum / Math.max(pcm.length, 1));
  const window = hann(pcm.length);
  /** @type {Record<string, number>} */
  const energies = {};
  for (const f of freqs) energies[String(f)] = db(toneAmplitude(pcm, 0, pcm.length, window, f, sampleRate));
  let dominantHz = 0;
  let size = 1;
  while (size * 2 <= Math.min(pcm.length, 32768)) size *= 2;
  if (size >= 1024) {
    const w = hann(size);
    const frame = new Float32Array(size);
    const start = pcm.length - size;
    for (let i = 0; i < size; i += 1) frame[i] = pcm[start + i] * w[i];
    const mags = fftMagnitudes(frame);
    let best = 1;
    for (let i = 2; i < mags.length; i += 1) if (mags[i] > mags[best]) best = i;
    // Parabolic interpolation around the peak bin.
    const a = mags[best - 1] ?? 0;
    const b = mags[best];
    const c = mags[best + 1] ?? 0;
    const denom = a - 2 * b + c;
    const delta = denom === 0 ? 0 : (0.5 * (a - c)) / denom;
    dominantHz = ((best + delta) * sampleRate) / size;
  }
  return { rmsDbfs: db(rms), dominantHz: Math.round(dominantHz * 10) / 10, energies, samples: pcm.length };
}

/**
 * Detect DTMF digits in pcm: 60 ms frames, 20 ms hop, both groups above -40 dB, each group's winner 8 dB over
 * the rest of its group, digit kept when seen in 2+ consecutive frames.
 */
export function detectDtmf(pcm, sampleRate) {
  const n = Math.round(sampleRate * 0.06);
  const hop = Math.round(sampleRate * 0.02);
  const window = hann(n);
  const digits = [];
  let last = null;
  let run = 0;
  let peakLowDb = -200;
  let peakHighDb = -200;
  let framesWithDigit = 0;
  for (let start = 0; start + n <= pcm.length; start += hop) {
    const low = DTMF_LOW.map((f) => toneAmplitude(pcm, start, n, window, f, sampleRate));
    const high = DTMF_HIGH.map((f) => toneAmplitude(pcm, start, n, window, f, sampleRate));
    const li = low.indexOf(Math.max(...low));
    const hi = high.indexOf(Math.max(...high));
    const lowDb = db(low[li]);
    const highDb = db(high[hi]);
    peakLowDb = Math.max(peakLowDb, lowDb);
    peakHighDb = Math.max(peakHighDb, highDb);
    const lowClear = low.every((v, i) => i === li || db(v) < lowDb - 8);
    const highClear = high.every((v, i) => i === hi || db(v) < highDb - 8);
    const key = lowDb > -40 && highDb > -40 && lowClear && highClear ? DTMF_KEYS[li][hi] : null;
    if (key) framesWithDigit += 1;
    if (key && key === last) {
      run += 1;
      if (run === 2) digits.push(key);
    } else {
      run = key ? 1 : 0;
    }
    last = key;
  }
  return {
    digits: digits.join(''),
    /** Approximate time (ms) during which a DTMF pair was present. */
    detectedMs: framesWithDigit * 20,
    peakLowDb: Math.round(peakLowDb * 10) / 10,
    peakHighDb: Math.round(peakHighDb * 10) / 10
  };
}
