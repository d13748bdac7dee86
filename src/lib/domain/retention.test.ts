import { describe, expect, it } from 'vitest';
import { expiresAt, isExpired, retentionCutoff, retentionDecision } from './retention';

const START = '2025-01-01T10:00:00.000Z';
const at = (iso: string) => new Date(iso);

describe('isExpired (90 days)', () => {
  it.each([
    ['2025-01-01T10:00:00.000Z', false, 'at the start'],
    ['2025-04-01T09:59:00.000Z', false, '89 d 23 h 59 m'],
    ['2025-04-01T09:59:59.999Z', false, '1 ms before 90 d'],
    ['2025-04-01T10:00:00.000Z', true, 'exactly 90 d'],
    ['2025-04-02T10:00:00.000Z', true, '91 d']
  ])('%s -> %s (%s)', (now, expired) => {
    expect(isExpired(START, at(now), 90)).toBe(expired);
  });

  it('counts days of 24 h in UTC', () => {
    expect(expiresAt(START, 90).toISOString()).toBe('2025-04-01T10:00:00.000Z');
    expect(expiresAt('2024-02-28T00:00:00Z', 1).toISOString()).toBe('2024-02-29T00:00:00.000Z');
  });

  it('agrees with the cutoff used by repositories', () => {
    const now = at('2025-04-01T10:00:00.000Z');
    expect(retentionCutoff(now, 90)).toBe(START);
    expect(START <= retentionCutoff(now, 90)).toBe(isExpired(START, now, 90));
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses retentionDays %s', (days) => {
    expect(() => isExpired(START, at(START), days)).toThrow(RangeError);
  });

  it('refuses a start that is not a time', () => {
    expect(() => expiresAt('yesterday', 90)).toThrow(RangeError);
  });
});

describe('retentionDecision', () => {
  const expired = at('2025-04-01T10:00:00.000Z');
  const young = at('2025-04-01T09:59:00.000Z');
  it.each([
    [young, false, false, 'keep'],
    [young, true, true, 'keep'],
    [expired, false, false, 'delete'],
    [expired, true, false, 'held'],
    [expired, false, true, 'sar'],
    [expired, true, true, 'held']
  ] as const)('now %s hold %s sar %s -> %s', (now, underLegalHold, coveredByOpenSar, decision) => {
    expect(retentionDecision({ startedAt: START, underLegalHold, coveredByOpenSar }, now, 90)).toBe(decision);
  });
});
