import { describe, expect, it } from 'vitest';
import { Resampler } from './resampler';
import { tone } from './test-helpers';

/** Runs `input` through a fresh resampler in blocks of the given sizes (cycled), then flushes. */
function run(inputRate: number, channels: Float32Array[], blocks: readonly number[] = [128]): Float32Array {
  const r = new Resampler({ inputRate });
  const total = (channels[0] as Float32Array).length;
  const out = new Float32Array(r.maxOutput(total) + 64);
  let written = 0;
  const scratch = new Float32Array(r.maxOutput(Math.max(...blocks)));
  for (let at = 0, b = 0; at < total; b++) {
    const n = Math.min(blocks[b % blocks.length] as number, total - at);
    const got = r.process(
      channels.map((c) => c.subarray(at, at + n)),
      n,
      scratch
    );
    out.set(scratch.subarray(0, got), written);
    written += got;
    at += n;
  }
  written += r.flush(out.subarray(written));
  return out.subarray(0, written);
}

/** Gain in dB of a tone at `hz` through the resampler, measured on the steady-state middle of the output. */
function gainDb(inputRate: number, hz: number): number {
  const amp = 0.5;
  const out = run(inputRate, [tone(inputRate, 0.5, hz, amp)]);
  const mid = out.subarray(1000, out.length - 1000);
  let s = 0;
  for (const x of mid) s += x * x;
  const outRms = Math.sqrt(s / mid.length);
  return 20 * Math.log10(outRms / (amp / Math.SQRT2));
}

describe.each([48_000, 44_100])('Resampler %i Hz -> 16 kHz', (inputRate) => {
  it('passes 300–6000 Hz within ±1 dB (measured ripple well under 0.1 dB)', () => {
    for (let hz = 300; hz <= 6000; hz += 300) {
      const g = gainDb(inputRate, hz);
      expect(Math.abs(g), `${hz} Hz: ${g.toFixed(3)} dB`).toBeLessThan(0.1);
    }
  });

  it('attenuates every tone from 8 kHz up to the input Nyquist by at least 50 dB', () => {
    const tones = [
      8000,
      8250,
      8500,
      9000,
      10_000,
      12_000,
      15_000,
      16_000,
      18_000,
      20_000,
      inputRate / 2 - 100
    ];
    for (const hz of tones) {
      const g = gainDb(inputRate, hz);
      expect(g, `${hz} Hz: ${g.toFixed(1)} dB`).toBeLessThan(-50);
    }
  });

  it('produces exactly ceil(N · 16000 / rate) samples over many odd blocks, the same as one block', () => {
    const n = inputRate * 3 + 17;
    const input = tone(inputRate, n / inputRate, 1000);
    const whole = run(inputRate, [input], [n]);
    const split = run(inputRate, [input], [128, 1, 127, 333, 64, 7, 129]);
    expect(whole.length).toBe(Math.ceil((n * 16000) / inputRate));
    expect(split.length).toBe(whole.length);
    let maxDiff = 0;
    for (let i = 0; i < whole.length; i++) maxDiff = Math.max(maxDiff, Math.abs(whole[i]! - split[i]!));
    expect(maxDiff).toBeLessThan(1e-6); // no clicks: block boundaries are invisible
  });

  it('keeps the time alignment: output n is input time n · in/out', () => {
    const input = tone(inputRate, 0.2, 500, 0.5);
    const out = run(inputRate, [input]);
    const ref = tone(16_000, out.length / 16_000, 500, 0.5);
    for (let i = 200; i < out.length - 200; i++) expect(Math.abs(out[i]! - ref[i]!)).toBeLessThan(1e-3);
  });
});

describe('Resampler downmix and edge cases', () => {
  it('averages channels and treats no channels as silence', () => {
    const a = tone(48_000, 0.1, 1000, 0.4);
    const b = new Float32Array(a.length);
    const mixed = run(48_000, [a, b]);
    const single = run(48_000, [tone(48_000, 0.1, 1000, 0.2)]);
    for (let i = 0; i < mixed.length; i++) expect(mixed[i]).toBeCloseTo(single[i]!, 6);
    const r = new Resampler({ inputRate: 48_000 });
    const out = new Float32Array(r.maxOutput(128));
    let got = 0;
    for (let i = 0; i < 10; i++) got += r.process([], 128, out);
    expect(got).toBeGreaterThan(0);
    expect(out.subarray(0, 40).every((x) => x === 0)).toBe(true);
  });
  it('rejects bad rates and use after flush', () => {
    expect(() => new Resampler({ inputRate: 0 })).toThrow(/positive integers/);
    const r = new Resampler({ inputRate: 48_000 });
    r.flush(new Float32Array(200));
    expect(() => r.process([], 128, new Float32Array(200))).toThrow(/after flush/);
  });
});
