/**
 * Cost of keeping keypad tones out of recordings: the capture worklet's DTMF masker (two Goertzel detectors,
 * on the mix and on the remote legs, plus its delay line, src/lib/recorder/dtmf-masker.ts) and the cheap
 * side-chain resampler that feeds it, against the worklet's main resampler (24 kHz stereo -> 16 kHz mono,
 * windowed-sinc), timed in the same run on the same 60 s of audio, in turn round after round (so the machine's
 * drifting load weighs on each alike), fed as the worklet feeds them: one 128-frame render quantum of the capture
 * context at a time (so 85 or 86 samples at 16 kHz per masker call).
 *
 * Figures: ms of CPU per second of audio, and the ratio to the main resampler. Goal: the masker and its
 * side-chain resampler together cost at most as much as the main resampler (ratio <= 1), so keeping keypad
 * tones out at most doubles the worklet's work, which stays a fraction of a percent of one core.
 */
import { DtmfMasker } from '../src/lib/recorder/dtmf-masker';
import { Resampler } from '../src/lib/recorder/resampler';
import { figure, median, timeInterleaved, type Benchmark } from './lib/figure';

const SECONDS = 60;
/** The capture context's rate (CAPTURE_SAMPLE_RATE in src/lib/recorder/recorder.ts). */
const IN_RATE = 24_000;
const OUT_RATE = 16_000;
const QUANTUM = 128;

/** A 440 Hz + 1000 Hz mix at 24 kHz with a keyed digit (697 + 1209 Hz) of 100 ms every second. */
function input(): Float32Array {
  const x = new Float32Array(IN_RATE * SECONDS);
  for (let i = 0; i < x.length; i++) {
    const t = i / IN_RATE;
    const keyed = t % 1 < 0.1;
    x[i] =
      0.25 * Math.sin(2 * Math.PI * 1000 * t) +
      (keyed
        ? 0.15 * (Math.sin(2 * Math.PI * 697 * t) + Math.sin(2 * Math.PI * 1209 * t))
        : 0.25 * Math.sin(2 * Math.PI * 440 * t));
  }
  return x;
}

/** Runs `step` over the input in render quanta. */
function quanta(x: Float32Array, step: (q: Float32Array) => void): void {
  for (let at = 0; at + QUANTUM <= x.length; at += QUANTUM) step(x.subarray(at, at + QUANTUM));
}

const benchmark: Benchmark = {
  name: 'dtmf-masker',
  async run() {
    const x = input();
    const at16k = new Float32Array((x.length * OUT_RATE) / IN_RATE + 1024);
    /** How many 16 kHz samples each quantum gave: what the worklet hands the masker per call. */
    const perQuantum: number[] = [];
    {
      const r = new Resampler({ inputRate: IN_RATE });
      let n = 0;
      quanta(x, (q) => {
        const got = r.process([q, q], QUANTUM, at16k.subarray(n));
        perQuantum.push(got);
        n += got;
      });
    }
    const mainResampler = async () => {
      const r = new Resampler({ inputRate: IN_RATE });
      const out = new Float32Array(r.maxOutput(QUANTUM));
      quanta(x, (q) => r.process([q, q], QUANTUM, out));
    };
    /** The masker fed like the worklet feeds it; the side chain resampled (true) or reusing the mix (false). */
    const masking = (resample: boolean) => async () => {
      const side = new Resampler({ inputRate: IN_RATE, attenuationDb: 40, transitionFraction: 0.25 });
      const sideOut = new Float32Array(side.maxOutput(QUANTUM));
      const m = new DtmfMasker({ sampleRate: OUT_RATE, sideChain: true });
      const out = new Float32Array(m.maxOutput(QUANTUM));
      let at = 0;
      let k = 0;
      quanta(x, (q) => {
        const n = perQuantum[k++] ?? 0;
        const mix = at16k.subarray(at, at + n);
        if (resample) m.sideChain(sideOut, side.process([q], QUANTUM, sideOut));
        else m.sideChain(mix, n);
        m.process(mix, n, out);
        at += n;
      });
    };
    const perSecond = (ms: number) => ms / SECONDS;
    const [resamplerMs, maskerMs, detectorsMs] = (
      await timeInterleaved([mainResampler, masking(true), masking(false)], 7, 6000)
    ).map((times) => perSecond(median(times))) as [number, number, number];
    return [
      figure(
        'DTMF masker + side-chain resampler vs main resampler, CPU per second of audio',
        maskerMs,
        'ms/s',
        resamplerMs,
        'ratio <= 1 (keeping keypad tones out costs no more than resampling)',
        (ratio) => ratio <= 1
      ),
      figure(
        'DTMF detectors (mix + side chain) and delay line alone vs main resampler, CPU per second of audio',
        detectorsMs,
        'ms/s',
        resamplerMs,
        'ratio <= 1',
        (ratio) => ratio <= 1
      )
    ];
  }
};

export default benchmark;
