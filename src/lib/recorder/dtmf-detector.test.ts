import { describe, expect, it } from 'vitest';
import { DtmfDetector } from './dtmf-detector';
import { concatSamples, DTMF_KEYS, dtmfTone, mixInto, tone, vowel } from './test-helpers';

const RATE = 16_000;
const silence = (seconds: number) => new Float32Array(Math.round(RATE * seconds));

/**
 * A key's tones at -18 dBFS each, with their second harmonics `rowDb` and `columnDb` below them, over a 300 Hz
 * tone 4 dB below them: enough that no chunk-long span is a fragment of a key (those are judged without the
 * harmonics), so only whole windows, harmonics included, decide.
 */
function keyWithHarmonics(key: string, seconds: number, rowDb: number, columnDb: number): Float32Array {
  const row = DTMF_KEYS.findIndex((r) => r.includes(key));
  const col = (DTMF_KEYS[row] as string).indexOf(key);
  const amp = 10 ** (-18 / 20);
  const x = mixInto(dtmfTone(RATE, key, seconds, -18), tone(RATE, seconds, 300, amp * 10 ** (-4 / 20)));
  mixInto(x, tone(RATE, seconds, 2 * ([697, 770, 852, 941][row] as number), amp * 10 ** (rowDb / 20), 0.3));
  return mixInto(
    x,
    tone(RATE, seconds, 2 * ([1209, 1336, 1477, 1633][col] as number), amp * 10 ** (columnDb / 20), 2)
  );
}

/** The stretches a detector reports for `x`, fed in calls of `sizes` samples in turn, finished at `finishAt`. */
function reports(
  x: Float32Array,
  sizes: readonly number[] = [85],
  finishAt: readonly number[] = []
): number[] {
  const seen: number[] = [];
  const d = new DtmfDetector({ sampleRate: RATE }, (from, to) => seen.push(from, to));
  const stops = [...finishAt, x.length];
  let call = 0;
  for (let at = 0; at < x.length;) {
    // One call of the next size, split where the stream is finished.
    const end = Math.min(at + (sizes[call++ % sizes.length] as number), x.length);
    while (at < end) {
      const stop = Math.min(end, stops.find((f) => f > at) as number);
      d.process(x.subarray(at, stop), stop - at);
      if (stops.includes(stop)) d.finish();
      at = stop;
    }
  }
  return seen;
}

describe('DtmfDetector: second harmonics, measured only when every other check has passed', () => {
  it('rejects a keypad pair whose row or column tone has a strong second harmonic, as a voice or instrument has', () => {
    for (const key of ['1', '5', '9', '#', 'D']) {
      const clean = concatSamples([silence(0.1), keyWithHarmonics(key, 0.1, -20, -20), silence(0.1)]);
      expect(reports(clean).length, `${key} with weak harmonics`).toBeGreaterThan(0);
      for (const [rowDb, columnDb] of [
        [-2, -20],
        [-20, -3]
      ] as const) {
        const x = concatSamples([silence(0.1), keyWithHarmonics(key, 0.1, rowDb, columnDb), silence(0.1)]);
        expect(reports(x), `${key}: harmonics ${rowDb} / ${columnDb} dB`).toEqual([]);
      }
    }
  });

  it('judges the short last window at a finish on its own samples: weak harmonics pass, strong ones do not', () => {
    for (let ms = 24; ms <= 48; ms += 1) {
      const clean = concatSamples([silence(0.1), keyWithHarmonics('#', ms / 1000, -20, -20)]);
      expect(reports(clean).length, `${ms} ms, weak harmonics`).toBeGreaterThan(0);
      const strong = concatSamples([silence(0.1), keyWithHarmonics('#', ms / 1000, -2, -20)]);
      expect(reports(strong), `${ms} ms, strong row harmonic`).toEqual([]);
    }
  });

  it('reports the same stretches whatever the sizes of the calls, across finishes', () => {
    const parts: Float32Array[] = [silence(0.05)];
    // Harmonics either side of the thresholds (-4 dB for a row tone, -10 dB for a column tone).
    const levels = [-20, -5, -3, -12, -8, -2, -30, -11, -9];
    levels.forEach((db, i) => {
      const key = DTMF_KEYS.join('')[(5 * i) % 16] as string;
      parts.push(keyWithHarmonics(key, 0.04 + 0.013 * i, i % 2 === 0 ? db : -20, i % 2 === 0 ? -20 : db));
      parts.push(silence(0.03 + 0.011 * i));
    });
    const x = concatSamples(parts);
    const finishAt = [4001, 9000, 9001, 13_333];
    const expected = reports(x, [x.length], finishAt);
    expect(expected.length).toBeGreaterThan(4);
    for (const sizes of [[1], [7], [85, 85, 86], [128], [300, 5, 1000], [2000]]) {
      expect(reports(x, sizes, finishAt), `calls of ${sizes.join(', ')}`).toEqual(expected);
    }
  });
});

describe('DtmfDetector: fragments of keys, looked for every quarter chunk', () => {
  it('finds a 10 ms burst of any key at every alignment, and none 5.5% off the keypad frequencies', () => {
    // 5.5% above each keypad frequency lies at least 4.5% from every keypad frequency: outside the tolerance.
    for (const key of DTMF_KEYS.join('')) {
      for (let offset = 0; offset < 128; offset += 8) {
        const burst = (detune: number) =>
          concatSamples([
            silence(0.1 + offset / RATE),
            dtmfTone(RATE, key, 0.01, -17, { detune }),
            silence(0.1)
          ]);
        expect(reports(burst(0)).length, `${key} at offset ${offset}`).toBeGreaterThan(0);
        expect(reports(burst(0.055)), `${key} 5.5% off, at offset ${offset}`).toEqual([]);
      }
    }
  });

  it("finds none in 12 ms of a voice whose formants sit on a keypad pair: its other harmonics fill the pair's nulls", () => {
    // A female /a/ (formants 850 and 1220 Hz) on a pitch rising 120 -> 220 Hz, cut to 12 ms between silences as a
    // fragment would be: two of its harmonics pass every other check a fragment gets. A tone lasting the span has
    // no energy one bin (125 Hz) either side of it; the harmonics beside these put energy there.
    const voice = vowel(RATE, 1, 120, 220, [850, 1220, 2810], 0.3, 120);
    for (const at of [8000, 8160, 8320, 8480, 8640]) {
      const x = concatSamples([silence(0.1), voice.subarray(at, at + 192), silence(0.1)]);
      expect(reports(x), `from sample ${at}`).toEqual([]);
    }
  });
});
