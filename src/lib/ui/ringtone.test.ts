import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Ringtone, type RingtoneContext } from './ringtone';

/** A context that counts what the ringtone asks of it. */
function fakeContext() {
  const calls = { resume: 0, suspend: 0, oscillators: 0 };
  const param = { setValueAtTime: () => {}, linearRampToValueAtTime: () => {}, value: 0 };
  const ctx = {
    currentTime: 0,
    destination: {},
    createGain: () => ({ gain: param, connect: () => {} }),
    createOscillator: () => {
      calls.oscillators++;
      return { frequency: { value: 0 }, connect: () => {}, start: () => {}, stop: () => {} };
    },
    resume: async () => void calls.resume++,
    suspend: async () => void calls.suspend++
  } as unknown as RingtoneContext;
  return { ctx, calls };
}

describe('Ringtone', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('runs its context only while ringing, and reuses it for the next ring', () => {
    const { ctx, calls } = fakeContext();
    const make = vi.fn(() => ctx);
    const ring = new Ringtone(make);
    ring.start();
    expect(calls).toMatchObject({ resume: 1, suspend: 0, oscillators: 4 });
    vi.advanceTimersByTime(3000);
    expect(calls.oscillators).toBe(8);
    ring.stop();
    expect(calls.suspend).toBe(1);
    vi.advanceTimersByTime(9000);
    expect(calls.oscillators).toBe(8);
    ring.start();
    expect(calls).toMatchObject({ resume: 2, suspend: 1, oscillators: 12 });
    expect(make).toHaveBeenCalledTimes(1);
  });

  it('suspends once however often it is told to stop, and never before it rang', () => {
    const { ctx, calls } = fakeContext();
    const ring = new Ringtone(() => ctx);
    ring.stop();
    ring.start();
    ring.start();
    ring.stop();
    ring.stop();
    expect(calls).toMatchObject({ resume: 1, suspend: 1 });
  });

  it('stays silent when no context can be made', () => {
    const ring = new Ringtone(() => {
      throw new Error('no audio');
    });
    expect(() => ring.start()).not.toThrow();
    expect(() => ring.stop()).not.toThrow();
  });
});
