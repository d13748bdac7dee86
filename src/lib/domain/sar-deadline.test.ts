import { describe, expect, it } from 'vitest';
import {
  addCalendarMonths,
  effectiveDueDate,
  extendSarDeadline,
  isIsoDate,
  sarDueDate,
  utcDate
} from './sar-deadline';

describe('sarDueDate (one calendar month)', () => {
  it.each([
    ['2025-01-15', '2025-02-15'],
    ['2025-01-28', '2025-02-28'],
    ['2025-01-29', '2025-02-28'],
    ['2025-01-31', '2025-02-28'],
    ['2024-01-31', '2024-02-29'],
    ['2024-01-30', '2024-02-29'],
    ['2025-02-28', '2025-03-28'],
    ['2024-02-29', '2024-03-29'],
    ['2025-03-31', '2025-04-30'],
    ['2025-08-31', '2025-09-30'],
    ['2025-12-31', '2026-01-31'],
    ['2025-12-01', '2026-01-01']
  ])('received %s -> due %s', (received, due) => {
    expect(sarDueDate(received)).toBe(due);
  });
});

describe('addCalendarMonths', () => {
  it.each([
    ['2025-01-31', 0, '2025-01-31'],
    ['2025-01-31', 3, '2025-04-30'],
    ['2025-11-30', 3, '2026-02-28'],
    ['2023-11-29', 3, '2024-02-29'],
    ['2025-10-31', 14, '2026-12-31']
  ])('%s + %i -> %s', (date, months, result) => {
    expect(addCalendarMonths(date, months)).toBe(result);
  });
  it.each(['2025-02-30', '2025-13-01', '2025-1-01', '', '2025-01-01T00:00:00Z'])('refuses %j', (date) => {
    expect(isIsoDate(date)).toBe(false);
    expect(() => addCalendarMonths(date, 1)).toThrow(RangeError);
  });
  it('refuses negative or fractional months', () => {
    expect(() => addCalendarMonths('2025-01-01', -1)).toThrow(RangeError);
    expect(() => addCalendarMonths('2025-01-01', 0.5)).toThrow(RangeError);
  });
});

describe('extendSarDeadline', () => {
  const dates = { receivedOn: '2025-01-31', dueOn: '2025-02-28', extendedDueOn: null };
  it.each([
    [1, '2025-02-10', { ok: true, extendedDueOn: '2025-03-31' }],
    [2, '2025-02-28', { ok: true, extendedDueOn: '2025-04-30' }],
    [0, '2025-02-10', { ok: false, error: 'bad_months' }],
    [3, '2025-02-10', { ok: false, error: 'bad_months' }],
    [1.5, '2025-02-10', { ok: false, error: 'bad_months' }],
    [1, '2025-03-01', { ok: false, error: 'too_late' }]
  ])('by %s months on %s', (months, today, outcome) => {
    expect(extendSarDeadline(dates, months, 'complex request', today)).toMatchObject(outcome);
  });

  it('needs a reason', () => {
    expect(extendSarDeadline(dates, 1, '  ', '2025-02-01')).toMatchObject({ error: 'reason_required' });
  });

  it('extends a second time up to two months in total, never shortening', () => {
    const once = { ...dates, extendedDueOn: '2025-03-31' };
    expect(extendSarDeadline(once, 2, 'more data found', '2025-03-31')).toEqual({
      ok: true,
      extendedDueOn: '2025-04-30'
    });
    expect(extendSarDeadline(once, 1, 'again', '2025-03-01')).toMatchObject({ error: 'not_later' });
    expect(effectiveDueDate(once)).toBe('2025-03-31');
    expect(effectiveDueDate(dates)).toBe('2025-02-28');
  });

  it('takes the UTC calendar date of an instant', () => {
    expect(utcDate(new Date('2025-03-31T23:59:59.999Z'))).toBe('2025-03-31');
  });
});
