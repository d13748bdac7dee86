import { describe, expect, it } from 'vitest';
import { startRepeatingJob } from '../../src/lib/server/services/sweep-timer';

/** A manual timer queue. */
function fakeTimers() {
  const pending: { fn: () => void; ms: number; id: number }[] = [];
  let next = 0;
  return {
    pending,
    setTimer: (fn: () => void, ms: number) => {
      const t = { fn, ms, id: next++ };
      pending.push(t);
      return { unref: () => undefined, id: t.id };
    },
    clearTimer: (t: unknown) => {
      const i = pending.findIndex((p) => p.id === (t as { id: number }).id);
      if (i >= 0) pending.splice(i, 1);
    },
    fire: () => pending.shift()?.fn()
  };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('startRepeatingJob', () => {
  it('runs after the first delay, then every interval once the previous run settled, errors included', async () => {
    const timers = fakeTimers();
    const errors: unknown[] = [];
    let runs = 0;
    const job = startRepeatingJob({
      intervalMinutes: 60,
      firstDelayMs: 1000,
      run: async () => {
        runs++;
        if (runs === 2) throw new Error('disk full');
      },
      onError: (e) => errors.push(e),
      ...timers
    });
    expect(timers.pending.map((p) => p.ms)).toEqual([1000]);
    timers.fire();
    expect(job.running).toBe(true);
    expect(timers.pending).toHaveLength(0);
    await settle();
    expect(timers.pending.map((p) => p.ms)).toEqual([3_600_000]);
    timers.fire();
    await settle();
    expect(errors).toHaveLength(1);
    expect(timers.pending).toHaveLength(1);
    job.stop();
    expect(timers.pending).toHaveLength(0);
    expect(runs).toBe(2);
  });

  it('schedules nothing when the interval is 0', () => {
    const timers = fakeTimers();
    startRepeatingJob({
      intervalMinutes: 0,
      firstDelayMs: 0,
      run: async () => 1,
      onError: () => {},
      ...timers
    });
    expect(timers.pending).toHaveLength(0);
  });
});
