import { describe, expect, it } from 'vitest';
import { describeEvent, readableTimeline, type StoredTimelineEvent } from './timeline-text';

const at = (s: number) => new Date(Date.UTC(2025, 2, 1, 9, 0, s)).toISOString();
const ev = (id: string, type: string, s: number, detail: Record<string, unknown> | null = null) =>
  ({ id, type, at: at(s), detail }) satisfies StoredTimelineEvent;

describe('describeEvent', () => {
  it('says why the audio paused', () => {
    expect(describeEvent('paused', { reason: 'payment' })).toMatch(/card-payment line/);
    expect(describeEvent('paused', { reason: 'hold' })).toBe('Paused: the call is on hold');
    expect(describeEvent('paused', { reason: 'manual' })).toMatch(/manual pause/);
    expect(describeEvent('paused', null)).toBe('Paused (not recorded why)');
    expect(describeEvent('paused', { reason: 'weird' })).toBe('Paused (weird)');
  });

  it('names the cause of a gap and the reason a recording ended', () => {
    expect(describeEvent('gap', { cause: 'reload' })).toMatch(/restarted/);
    expect(describeEvent('gap', { cause: 'page-hide' })).toMatch(/closed or reloaded/);
    expect(describeEvent('ended', { reason: 'transfer-completed' })).toBe(
      'Recording ended: the call was transferred'
    );
    expect(describeEvent('ended', { reason: 'uncertain' })).toMatch(/fail closed/);
  });

  it('tells transfers apart, payment first', () => {
    expect(describeEvent('transfer-requested', { transfer: 'blind', payment: false })).toBe(
      'Blind transfer requested'
    );
    expect(describeEvent('transfer-requested', { transfer: 'blind', payment: true })).toBe(
      'Transfer to the payment line requested'
    );
    expect(describeEvent('consultation-started', { payment: true })).toMatch(/payment line/);
  });

  it('shows an unknown kind plainly', () => {
    expect(describeEvent('mystery', null)).toBe('Event: mystery');
    expect(describeEvent('hold', null)).toBe('Call put on hold');
  });
});

describe('readableTimeline', () => {
  it('places events in the audio and says how long audio is missing', () => {
    const lines = readableTimeline([
      ev('e5', 'ended', 100, { reason: 'call-ended' }),
      ev('e1', 'started', 0),
      ev('e2', 'hold', 30),
      ev('e3', 'paused', 30, { reason: 'hold' }),
      ev('e4', 'resumed', 95)
    ]);
    expect(lines.map((l) => [l.id, l.audio, l.audioAtMs, l.missingMs])).toEqual([
      ['e1', 'starts', 0, null],
      ['e2', null, 30_000, null],
      ['e3', 'stops', 30_000, 65_000],
      ['e4', 'starts', 30_000, null],
      ['e5', 'stops', 35_000, null]
    ]);
  });

  it('has no audio position before the recording starts, and a gap with no resume stays open', () => {
    const lines = readableTimeline([
      ev('a', 'hold', 0),
      ev('b', 'started', 5),
      ev('c', 'gap', 20, { cause: 'reconnect' }),
      ev('d', 'ended', 20, { reason: 'uncertain' })
    ]);
    expect(lines[0]?.audioAtMs).toBeNull();
    expect(lines[2]).toMatchObject({ audio: 'stops', audioAtMs: 15_000, missingMs: null });
    expect(lines[3]).toMatchObject({ audio: 'stops', missingMs: null });
  });
});
