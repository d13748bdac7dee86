/**
 * Tone levels for tests and measurements (unit tests and the end-to-end proofs; not used by the app): Goertzel
 * levels in dB re a full-scale sine, over a whole signal or in short windows, and the loudest keypad tone.
 */
import { DTMF_COLUMNS_HZ, DTMF_ROWS_HZ } from './dtmf-detector';

/** Level in dB (full-scale sine = 0) of `hz` over the whole of `pcm`, by Goertzel. */
export function toneLevelDb(pcm: Float32Array, hz: number, rate = 16000): number {
  return goertzelLevelDb(pcm, 0, pcm.length, hz, rate);
}

/**
 * Levels in dB (full-scale sine = 0) of `hz` in successive 100 ms windows of `pcm` (overlapping by half). A short
 * burst such as a keypad tone shows at about its own level in its window, where the whole-file
 * {@link toneLevelDb} would average it away. The windows are Blackman-Harris: a strong tone 50 Hz away or more
 * (the advisor's 1000 Hz beside 941 Hz) leaks in below -90 dB.
 */
export function toneLevelsDb(pcm: Float32Array, hz: number, rate = 16000): number[] {
  const n = Math.round(rate / 10);
  const a = [0.35875, 0.48829, 0.14128, 0.01168];
  const window = Float32Array.from({ length: n }, (_, i) =>
    a.reduce((w, c, k) => w + (k % 2 ? -c : c) * Math.cos((2 * Math.PI * k * i) / (n - 1)), 0)
  );
  const levels: number[] = [];
  for (let at = 0; at + n <= pcm.length; at += n >> 1) {
    levels.push(goertzelLevelDb(pcm, at, n, hz, rate, window));
  }
  return levels;
}

/** The loudest level of `hz` in any window of {@link toneLevelsDb}. */
export function peakToneLevelDb(pcm: Float32Array, hz: number): number {
  return Math.max(-180, ...toneLevelsDb(pcm, hz));
}

/** The median level of `hz` over the windows of {@link toneLevelsDb}: is the tone there most of the time? */
export function medianToneLevelDb(pcm: Float32Array, hz: number): number {
  const levels = toneLevelsDb(pcm, hz).sort((a, b) => a - b);
  return levels[levels.length >> 1] ?? -180;
}

function goertzelLevelDb(
  pcm: Float32Array,
  start: number,
  length: number,
  hz: number,
  rate: number,
  window?: Float32Array
): number {
  const k = (2 * Math.PI * hz) / rate;
  const coeff = 2 * Math.cos(k);
  let s1 = 0;
  let s2 = 0;
  let gain = 0;
  for (let i = 0; i < length; i++) {
    const w = window === undefined ? 1 : (window[i] as number);
    gain += w;
    const s0 = (pcm[start + i] as number) * w + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  const amplitude = (2 * Math.sqrt(Math.max(power, 0))) / gain;
  return 20 * Math.log10(Math.max(amplitude, 1e-9));
}

/**
 * How loud the loudest keypad tone in `pcm` is, in dB: per window of {@link toneLevelsDb}, the level of the
 * weaker of the strongest row and the strongest column tone (a key sounds both at once), then the peak over
 * all windows. A lone row or column frequency does not count: beside the advisor's 1000 Hz, 941 Hz reads
 * about -37 dB from that voice alone (MP3 coding noise, and the voice cut and resumed around masked keys).
 * Windows whose index is in `skip` are left out (see {@link dropoutWindows}).
 */
export function keypadPeakDb(pcm: Float32Array, skip: ReadonlySet<number> = new Set()): number {
  const strongest = (freqs: readonly number[]) => {
    const levels = freqs.map((hz) => toneLevelsDb(pcm, hz));
    return (levels[0] as number[]).map((_, w) => Math.max(...levels.map((l) => l[w] as number)));
  };
  const rows = strongest(DTMF_ROWS_HZ);
  const cols = strongest(DTMF_COLUMNS_HZ);
  return Math.max(-180, ...rows.flatMap((r, w) => (skip.has(w) ? [] : [Math.min(r, cols[w] as number)])));
}

/**
 * The windows of {@link toneLevelsDb} that hold a dropout of one steady test tone: an 8 ms frame where `hz`
 * lies `dipDb` or more below its median while `steadyHz` stays within 3 dB of its own. A capture device that
 * misses a buffer under load gives such a gap in its tone, and the gap clicks: broadband, keypad frequencies
 * included, so {@link keypadPeakDb} reads it as a key. Keys and masking do not look like this: a key a browser
 * plays replaces the other voice (`steadyHz`), and a masked stretch silences both.
 */
export function dropoutWindows(
  pcm: Float32Array,
  hz: number,
  steadyHz: number,
  dipDb = 12,
  rate = 16000
): Set<number> {
  const frame = Math.round(rate / 125);
  const hann = Float32Array.from(
    { length: frame },
    (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / frame)
  );
  const frames: [number, number, number][] = [];
  for (let at = 0; at + frame <= pcm.length; at += frame >> 1) {
    frames.push([
      at,
      goertzelLevelDb(pcm, at, frame, hz, rate, hann),
      goertzelLevelDb(pcm, at, frame, steadyHz, rate, hann)
    ]);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1] ?? -180;
  const tone = median(frames.map((f) => f[1]));
  const steady = median(frames.map((f) => f[2]));
  const windowLength = Math.round(rate / 10);
  const hop = windowLength >> 1;
  const windows = new Set<number>();
  for (const [at, level, other] of frames) {
    if (level > tone - dipDb || Math.abs(other - steady) > 3) continue;
    // Every window that overlaps the frame.
    const first = Math.max(0, Math.ceil((at + frame - windowLength) / hop));
    for (let w = first; w * hop < at + frame; w++) windows.add(w);
  }
  return windows;
}
