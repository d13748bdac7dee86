import { describe, expect, it } from 'vitest';
import { dtmfTone, mixInto, tone } from './test-helpers';
import { dropoutWindows, keypadPeakDb } from './tone-levels';

const RATE = 16_000;

/** Two seconds of the caller's 440 Hz and the advisor's 1000 Hz, both at -12 dB; `edit` changes them in place. */
function call(edit: (caller: Float32Array, advisor: Float32Array) => void): Float32Array {
  const caller = tone(RATE, 2, 440, 0.25);
  const advisor = tone(RATE, 2, 1000, 0.25);
  edit(caller, advisor);
  return mixInto(caller, advisor);
}

describe('dropoutWindows and keypadPeakDb: a click in one voice is not a key', () => {
  it("finds an 8 ms gap in the advisor's tone, which reads as a key until its windows are skipped", () => {
    const pcm = call((_, advisor) => advisor.fill(0, 16_000, 16_128));
    const gaps = dropoutWindows(pcm, 1000, 440);
    expect([...gaps].sort((a, b) => a - b)).toEqual([19, 20]);
    expect(keypadPeakDb(pcm)).toBeGreaterThan(-50);
    expect(keypadPeakDb(pcm, gaps)).toBeLessThan(-60);
  });

  it('finds nothing in a key that replaces the caller, nor in a stretch where both are silenced', () => {
    const key = call((caller) => {
      caller.fill(0, 16_000, 16_160);
      mixInto(caller, dtmfTone(RATE, '#', 0.01, -17), 16_000);
    });
    expect(dropoutWindows(key, 1000, 440).size).toBe(0);
    expect(keypadPeakDb(key)).toBeGreaterThan(-40);
    const masked = call((caller, advisor) => {
      caller.fill(0, 16_000, 17_600);
      advisor.fill(0, 16_000, 17_600);
    });
    expect(dropoutWindows(masked, 1000, 440).size).toBe(0);
  });
});
