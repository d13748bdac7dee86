import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DtmfDetector } from './dtmf-detector';
import { DtmfMasker } from './dtmf-masker';
import {
  concatSamples,
  DTMF_KEYS,
  dtmfTone,
  goertzel,
  mixInto,
  note,
  sweep,
  tone,
  vowel
} from './test-helpers';
import { keypadPeakDb, medianToneLevelDb } from './tone-levels';

const RATE = 16_000;
const KEYS = DTMF_KEYS.join('').split('');
const silence = (seconds: number) => new Float32Array(Math.round(RATE * seconds));

/** Runs `main` (and `side`, if given) through a masker in `chunk`-sample calls, then flushes it. */
function mask(main: Float32Array, side?: Float32Array, chunk = 43): Float32Array {
  const m = new DtmfMasker({ sampleRate: RATE, sideChain: side !== undefined });
  const out = new Float32Array(main.length);
  const scratch = new Float32Array(m.maxOutput(chunk) + m.delay);
  let written = 0;
  for (let at = 0; at < main.length; at += chunk) {
    const n = Math.min(chunk, main.length - at);
    if (side) m.sideChain(side.subarray(at, at + n), n);
    const got = m.process(main.subarray(at, at + n), n, scratch);
    out.set(scratch.subarray(0, got), written);
    written += got;
  }
  const tail = new Float32Array(m.maxOutput(0));
  const rest = m.flush(tail);
  expect(written + rest).toBe(main.length); // nothing added, nothing dropped
  out.set(tail.subarray(0, rest), written);
  return out;
}

/** Runs `main` through a masker and returns the whole output, flush included. */
function maskAll(main: Float32Array, side?: Float32Array): Float32Array {
  const m = new DtmfMasker({ sampleRate: RATE, sideChain: side !== undefined });
  const out = new Float32Array(m.maxOutput(main.length));
  if (side) m.sideChain(side, side.length);
  let n = m.process(main, main.length, out);
  n += m.flush(out.subarray(n));
  return out.subarray(0, n);
}

const energy = (x: Float32Array, from = 0, to = x.length) => {
  let e = 0;
  for (let i = from; i < to; i++) e += (x[i] as number) ** 2;
  return e;
};
const levelDb = (x: Float32Array, hz: number) => 10 * Math.log10(Math.max(goertzel(x, RATE, hz) * 4, 1e-30));
const rowCol = (key: string): [number, number] => {
  const row = DTMF_KEYS.findIndex((r) => r.includes(key));
  const col = (DTMF_KEYS[row] as string).indexOf(key);
  return [[697, 770, 852, 941][row] as number, [1209, 1336, 1477, 1633][col] as number];
};

/**
 * Asserts every sample from `from` to `to` is silent and the key's tones are below `maxDb` in the whole output
 * (far below by default: with nothing else sounding, nothing of them is left).
 */
function expectMasked(
  out: Float32Array,
  from: number,
  to: number,
  key: string,
  label: string,
  maxDb = -100
): void {
  let loud = -1;
  for (let i = from; i < to; i++) if (out[i] !== 0 && loud < 0) loud = i;
  expect(loud, `${label}: sample ${loud - from} of the tone left`).toBe(-1);
  for (const hz of rowCol(key)) expect(levelDb(out, hz), `${label}: ${hz} Hz`).toBeLessThan(maxDb);
}

describe('DtmfMasker: keypad tones are silenced', { timeout: 60_000 }, () => {
  it('masks all 16 keys at -30 to -6 dBFS, 40 ms and longer, from their first sample to their last', () => {
    let offset = 0;
    for (const key of KEYS) {
      for (const level of [-30, -24, -18, -12, -6]) {
        for (const ms of [40, 55, 100, 250]) {
          // Every alignment of the tone against the analysis windows comes up over the loop.
          offset = (offset + 37) % 256;
          const before = 0.2 + offset / RATE;
          const input = concatSamples([silence(before), dtmfTone(RATE, key, ms / 1000, level), silence(0.2)]);
          const from = Math.round(before * RATE);
          const out = mask(input);
          expectMasked(out, from, from + Math.round((ms / 1000) * RATE), key, `${key} ${level} dB ${ms} ms`);
        }
      }
    }
  });

  it('masks fragments of keys from 16 ms, as a browser pressed for time plays 50 ms keys', () => {
    let offset = 0;
    for (const key of KEYS) {
      for (const ms of [16, 20, 30]) {
        offset = (offset + 29) % 128;
        const before = 0.2 + offset / RATE;
        const voice = tone(RATE, 0.5, 440, 0.25);
        const from = Math.round(before * RATE);
        const burst = dtmfTone(RATE, key, ms / 1000, -18);
        // The voice fades out into the burst and comes back after it, as a jitter buffer's concealment does.
        const input = Float32Array.from(voice, (v, i) => (i < from ? v * Math.min(1, (from - i) / 800) : 0));
        mixInto(input, burst, from);
        mixInto(input, voice.subarray(from + burst.length), from + burst.length);
        expectMasked(mask(input), from, from + burst.length, key, `${key} ${ms} ms`, -60);
      }
    }
  });

  it('masks a keyed number: 17 keys of 100 ms with 70 ms gaps, over quiet background hum', () => {
    const keys = '4929123456789012#';
    const parts: Float32Array[] = [silence(0.3)];
    for (const key of keys) parts.push(dtmfTone(RATE, key, 0.1, -18), silence(0.07));
    const input = mixInto(concatSamples([...parts, silence(0.3)]), tone(RATE, 3.5, 120, 0.003));
    const out = mask(input);
    for (const hz of [697, 770, 852, 941, 1209, 1336, 1477]) expect(levelDb(out, hz)).toBeLessThan(-60);
    // Between keys shorter than the fades and hangover, the hum is gone too; before and after, it is kept.
    expect(energy(out, 0, 3500)).toBeCloseTo(energy(input, 0, 3500), 9);
  });

  it('masks keys off their nominal frequencies by 1.5% and with 6 dB twist either way', () => {
    for (const key of ['1', '5', '9', '#', 'D', '3', '*']) {
      for (const [detune, twistDb] of [
        [0.015, 6],
        [-0.015, -6],
        [0.015, -6],
        [-0.015, 6]
      ] as const) {
        const input = concatSamples([
          silence(0.2),
          dtmfTone(RATE, key, 0.06, -20, { detune, twistDb }),
          silence(0.2)
        ]);
        expectMasked(mask(input), 3200, 3200 + 960, key, `${key} detune ${detune} twist ${twistDb}`);
      }
    }
  });

  it("masks a caller's keys while the advisor talks over them, thanks to the remote side chain", () => {
    const advisor = tone(RATE, 1, 1000, 10 ** (-12 / 20));
    const remote = concatSamples([silence(0.4), dtmfTone(RATE, '7', 0.1, -17), silence(0.5)]);
    const mixed = mixInto(Float32Array.from(advisor), remote);
    // In the mix alone the keys carry too small a share of the energy to count as keypad tones ...
    expect(energy(maskAll(mixed))).toBe(energy(mixed));
    // ... in the remote legs alone they are clear, and the mix is silenced over them.
    const out = mask(mixed, remote);
    // What is left at the keys' frequencies is the advisor's tone faded out and in around the gap.
    expectMasked(out, 6400, 8000, '7', 'side chain', -60);
    expect(energy(out, 0, 5000)).toBe(energy(mixed, 0, 5000));
  });

  it("masks keys as Chromium plays them: a recorded call's remote audio, under the advisor's voice", () => {
    // 3 s of what a call's remote track carried while the caller sent RFC 4733 events (2580* at 50 ms with
    // 50 ms gaps, then 1397 at 100 ms with 70 ms gaps) between stretches of their 440 Hz. The browser's switch
    // from voice to tone and back smears each key's first and last 20-30 ms: the reason for the pre-roll,
    // the hangover and the single clean window.
    const bytes = readFileSync(new URL('./fixtures/chromium-received-keys-16k.s16le', import.meta.url));
    const remote = Float32Array.from(
      new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2),
      (v) => v / 32768
    );
    const mixed = mixInto(tone(RATE, remote.length / RATE, 1000, 0.25), remote);
    expect(keypadPeakDb(mixed)).toBeGreaterThan(-25);
    const out = mask(mixed, remote);
    expect(keypadPeakDb(out)).toBeLessThan(-60);
    expect(medianToneLevelDb(out, 440)).toBeGreaterThan(-30);
    expect(medianToneLevelDb(out, 1000)).toBeGreaterThan(-15);
  });

  it('masks keys a loaded browser plays as 8-18 ms fragments crossfaded with the voice, at every alignment', () => {
    // In end-to-end runs whole keys (100 ms sent) reached recordings as fragments the browser played under load:
    // once about 15 ms of tone crossfaded over ~5 ms each way with the caller's voice (-36 dB in the recording),
    // once 8 ms of tone with ~1.5 ms crossfades (-31 dB). Fragments are looked for in 8 ms spans; spans that
    // started only every 8 ms, then every 4 ms, missed them at some alignments.
    const cases: [number, number][] = [
      [15, 80],
      [18, 80],
      [11, 24],
      [12, 32]
    ];
    for (const key of ['2', '6', '*', 'D']) {
      for (const [ms, fade] of cases) {
        for (let offset = 0; offset < 128; offset += 4) {
          const from = 3200 + offset;
          const voice = tone(RATE, 0.5, 440, 0.25);
          const burst = dtmfTone(RATE, key, ms / 1000, -17);
          const end = from + burst.length;
          const remote = Float32Array.from(voice, (v, i) =>
            i < from ? v : i >= end - fade ? 0 : v * Math.max(0, (from + fade - i) / fade)
          );
          mixInto(remote, burst, from);
          mixInto(
            remote,
            voice.subarray(end - fade).map((v, i) => v * Math.min(1, i / fade)),
            end - fade
          );
          const mixed = mixInto(tone(RATE, 0.5, 1000, 0.25), remote);
          const out = mask(mixed, remote);
          const label = `${key} ${ms} ms, ${fade}-sample fades, at offset ${offset}`;
          const loud = out.subarray(from, end).findIndex((x) => x !== 0);
          expect(loud, `${label}: sample ${loud} of it left`).toBe(-1);
          expect(keypadPeakDb(out), label).toBeLessThan(-60);
        }
      }
    }
  });

  it('masks the 8 ms fragment of a key that reached a recording, under the advisor, at every alignment', () => {
    // The remote audio of an end-to-end call around a `#` the caller's browser sent as 100 ms and the advisor's
    // played, under load, as ~8 ms of tone crossfaded with the caller's 440 Hz over ~1.5 ms each way: taken from
    // the recording as stored (MP3, 16 kHz), with the advisor's steady 1000 Hz subtracted. The recording held it
    // at -31 dB.
    const bytes = readFileSync(new URL('./fixtures/chromium-key-fragment-16k.s16le', import.meta.url));
    const fixture = Float32Array.from(
      new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2),
      (v) => v / 32768
    );
    // The key sounds from 0.214 s to 0.232 s.
    const [keyFrom, keyTo] = [3424, 3712];
    for (let offset = 0; offset < 128; offset += 2) {
      const remote = fixture.subarray(offset);
      const mixed = mixInto(tone(RATE, remote.length / RATE, 1000, 0.25), remote);
      if (offset === 0) expect(keypadPeakDb(mixed.subarray(1600))).toBeGreaterThan(-40);
      const out = mask(mixed, remote);
      const loud = out.subarray(keyFrom - offset, keyTo - offset).findIndex((x) => x !== 0);
      expect(loud, `offset ${offset}: sample ${loud} of the key left`).toBe(-1);
      // (From 0.1 s on: the excerpt's abrupt start splatters across the band.)
      expect(keypadPeakDb(out.subarray(1600)), `offset ${offset}`).toBeLessThan(-60);
      expect(medianToneLevelDb(out, 440), `offset ${offset}`).toBeGreaterThan(-20);
    }
  });

  it('merges stretches less than 100 ms apart, without a click: the voice between two keys goes too', () => {
    // Two keys on the same row (0 and *, 50 ms) with the caller's voice between them, the first key's row tone
    // lingering 25 ms into it at -24 dB as a browser's switch-over smears it (an end-to-end run read 941 Hz at
    // -24 dB in such a gap, and the gap reached the recording at -47 dB). Merged only once the audio after the
    // first stretch had begun to fade in, the cut made a click; now the masker holds audio back long enough.
    for (const gapMs of [60, 80, 100, 120, 150]) {
      const voice = tone(RATE, 1, 440, 0.25);
      const a = 6400;
      const b = a + 800 + Math.round((gapMs / 1000) * RATE);
      const remote = Float32Array.from(voice, (v, i) =>
        (i >= a && i < a + 800) || (i >= b && i < b + 800) ? 0 : v
      );
      mixInto(remote, dtmfTone(RATE, '0', 0.05, -17), a);
      mixInto(remote, dtmfTone(RATE, '*', 0.05, -17), b);
      mixInto(
        remote,
        tone(RATE, 0.025, 941, 10 ** (-24 / 20)).map((v, i) => v * (1 - i / 400)),
        a + 800
      );
      const mixed = mixInto(tone(RATE, 1, 1000, 0.25), remote);
      const out = mask(mixed, remote);
      expect(keypadPeakDb(out), `${gapMs} ms apart`).toBeLessThan(-60);
      // Stretches reach 40 ms before and 32 ms after a key: up to 100 ms between them, one silence.
      const silent = out.subarray(a, b + 800).every((x) => x === 0);
      expect(silent, `${gapMs} ms apart`).toBe(gapMs - 72 <= 100);
    }
  });

  it('silences a tone still sounding, or only just begun, when the stream is flushed (pause or stop)', () => {
    for (const ms of [20, 30, 200]) {
      const input = concatSamples([silence(0.3), dtmfTone(RATE, '0', ms / 1000, -20)]);
      const out = mask(input);
      expectMasked(out, 4800, input.length, '0', `${ms} ms at the end`);
    }
  });

  it('holds audio back long enough to silence the onset: tones are reported well after they begin', () => {
    const reports: [number, number][] = [];
    const d = new DtmfDetector({ sampleRate: RATE }, (from, to) => reports.push([from, to]));
    const input = concatSamples([silence(0.1), dtmfTone(RATE, '5', 0.2, -20)]);
    let firstAt = -1;
    for (let at = 0; at < input.length; at += 16) {
      d.process(input.subarray(at, at + 16), 16);
      if (firstAt < 0 && reports.length > 0) firstAt = d.position;
    }
    const onset = 1600;
    // Known only a chunk or more after the onset; the stretch reaches back before it, within the look-ahead.
    expect(firstAt - onset).toBeGreaterThanOrEqual(d.hop);
    expect(reports[0]?.[0]).toBeLessThanOrEqual(onset);
    expect(firstAt - (reports[0]?.[0] as number)).toBeLessThanOrEqual(d.lookAhead);
    const masker = new DtmfMasker({ sampleRate: RATE });
    expect(masker.delay).toBeGreaterThanOrEqual(d.lookAhead);
    // Held back for the look-ahead and for merging stretches up to 100 ms apart (see DtmfMaskerOptions.mergeMs).
    expect(masker.delay / RATE).toBeLessThanOrEqual(0.17);
  });

  it('reports the same stretches whichever key is pressed: nothing tells the keys apart', () => {
    const stretches = KEYS.map((key) => {
      const seen: number[] = [];
      const d = new DtmfDetector({ sampleRate: RATE }, (from, to) => seen.push(from, to));
      const input = concatSamples([silence(0.1), dtmfTone(RATE, key, 0.1, -15), silence(0.1)]);
      d.process(input, input.length);
      d.finish();
      return seen.join(',');
    });
    expect(new Set(stretches).size).toBe(1);
  });
});

describe('DtmfMasker: everything else is kept', { timeout: 60_000 }, () => {
  /** Asserts the masker passes `input` through untouched (every sample, delayed). */
  function expectKept(input: Float32Array, label: string): void {
    const out = mask(input);
    const kept = energy(out) / energy(input);
    expect(kept, `${label}: ${(100 * kept).toFixed(2)}% of the energy kept`).toBe(1);
  }

  it('keeps the test tones (440, 700, 1000, 2500 Hz) alone and together, loud and quiet', () => {
    for (const amp of [0.5, 0.03]) {
      for (const hz of [440, 700, 1000, 2500]) expectKept(tone(RATE, 1, hz, amp), `${hz} Hz`);
      // A consultation: the colleague's 700 Hz (3 Hz from a row tone) beside the advisor's 1000 Hz.
      expectKept(mixInto(tone(RATE, 1, 700, amp), tone(RATE, 1, 1000, amp)), '700 + 1000 Hz');
      expectKept(mixInto(tone(RATE, 1, 440, amp), tone(RATE, 1, 1000, amp)), '440 + 1000 Hz');
    }
  });

  it('keeps sweeps across the keypad band, up and down', () => {
    expectKept(sweep(RATE, 2, 300, 3400), 'sweep up');
    expectKept(sweep(RATE, 0.5, 2000, 600), 'fast sweep down');
    expectKept(mixInto(sweep(RATE, 2, 600, 1700), tone(RATE, 2, 1000, 0.3)), 'sweep over a steady 1000 Hz');
  });

  it('keeps music-like chords, including notes that sit on keypad frequencies', () => {
    const chords: [string, number[]][] = [
      ['C major', [523.3, 659.3, 784]],
      ['A minor', [440, 523.3, 659.3]],
      ['F5 + D6 (a row tone, 3% below a column tone)', [698.5, 1174.7]],
      ['G5 + D#6 (2% above a row, 3% above a column tone)', [784, 1244.5]],
      ['A5 + F6', [880, 1396.9]],
      ['F5 + E6 as pure sines, one 2nd harmonic', [698.5, 1318.5, 1397]]
    ];
    for (const [name, notes] of chords) {
      const chord = new Float32Array(RATE);
      for (const hz of notes) mixInto(chord, note(RATE, 1, hz, 0.15));
      expectKept(chord, name);
    }
  });

  it('does mask what no receiver could tell from keys: a dual tone within tolerance of a keypad pair', () => {
    // F5 + E6 sit 0.2% and 1.3% from 697 + 1336 Hz: with weak harmonics, a keypad tone by every measure.
    const chord = mixInto(note(RATE, 0.5, 698.5, 0.15, 2), note(RATE, 0.5, 1318.5, 0.15, 1));
    const out = mask(concatSamples([silence(0.2), chord, silence(0.2)]));
    expect(energy(out, 3200, 11200)).toBe(0);
  });

  it('keeps speech-like voices: vowels on gliding pitches from 80 to 300 Hz', () => {
    const vowels: [string, [number, number, number]][] = [
      ['a', [730, 1090, 2440]],
      ['i', [270, 2290, 3010]],
      ['u', [300, 870, 2240]],
      ['e', [530, 1840, 2480]],
      ['o', [570, 840, 2410]]
    ];
    for (const [name, formants] of vowels) {
      for (const [from, to] of [
        [80, 140],
        [120, 220],
        [200, 300],
        [300, 180]
      ] as const) {
        expectKept(vowel(RATE, 1, from, to, formants, 0.3, from), `/${name}/ ${from}->${to} Hz`);
      }
    }
  });
});

describe('DtmfMasker: fragments of keys are looked for in the side chain only', () => {
  it("keeps the advisor's voice whole when a side chain watches the remote legs", () => {
    // A female /a/ (formants 850 and 1220 Hz, beside the 852 + 1209 Hz pair) on a rising pitch: 8 ms spans of it
    // pass every check a fragment of a key gets, now and then. Fragments are made only by a browser playing
    // received keys, so they are in the remote legs; the advisor's voice is in the main stream alone.
    const voice = vowel(RATE, 1, 200, 300, [850, 1220, 2810], 0.3, 200);
    expect(energy(mask(voice)) / energy(voice), 'without a side chain').toBeLessThan(0.9);
    expect(energy(mask(voice, new Float32Array(voice.length)))).toBe(energy(voice));
  });
});

describe('DtmfMasker: the silences and their fades', () => {
  it('applies the same raised-cosine fades and silences whatever the sizes of the calls', () => {
    // Two keys far enough apart (more than 100 ms) to make two stretches, over a steady tone.
    const input = mixInto(tone(RATE, 2.5, 440, 0.1, 0.5), dtmfTone(RATE, '5', 0.1, -18), 8000);
    mixInto(input, dtmfTone(RATE, '9', 0.06, -18), 24_000);
    const fade = 320; // 20 ms
    const reference = mask(input, undefined, 1);
    // Every sample is the input times a gain: 1, or 0 over each silence, or the fade's between them.
    const gains = Array.from(reference, (y, i) => y / (input[i] as number));
    const silences: [number, number][] = [];
    for (let i = 0; i < gains.length; i++) {
      if (gains[i] === 0 && gains[i - 1] !== 0) silences.push([i, i]);
      if (gains[i] === 0) (silences.at(-1) as [number, number])[1] = i + 1;
    }
    expect(silences.length).toBe(2);
    const expected = new Float64Array(gains.length).fill(1);
    for (const [from, to] of silences) {
      expected.fill(0, from, to);
      for (let k = 1; k <= fade; k++) {
        expected[from - k] = 0.5 - 0.5 * Math.cos((Math.PI * k) / fade);
        expected[to + k - 1] = 0.5 - 0.5 * Math.cos((Math.PI * k) / fade);
      }
    }
    // Where the input is near zero its ratio to the output says little; elsewhere it is the gain, to float32.
    const off = gains.findIndex((g, i) => {
      const e = expected[i] as number;
      return Math.abs(input[i] as number) >= 1e-3 && (e === 0 || e === 1 ? g !== e : Math.abs(g - e) > 1e-6);
    });
    expect(off, `gain at sample ${off}: ${gains[off]}, not ${expected[off]}`).toBe(-1);
    // Calls of any size, released in one copy up to a fade and sample by sample through it, give the same.
    for (const chunk of [7, 43, 85, 320, 1000, input.length]) {
      expect(mask(input, undefined, chunk), `calls of ${chunk}`).toEqual(reference);
    }
  });
});
