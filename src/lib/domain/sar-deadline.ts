/**
 * Subject access request (SAR) time limits, as the UK ICO calculates them (pure; dates are `YYYY-MM-DD`).
 *
 * - Due date: the day of receipt plus one calendar month, i.e. the same day number in the next month, or that
 *   month's last day when it has no such day (31 Jan -> 28 Feb, or 29 Feb in a leap year).
 * - Extension: by up to two further months (a total of at most three months from receipt) when the request is
 *   complex or one of several from the same person; it needs a reason, must be decided while the current time
 *   limit is still running, and can only move the due date later.
 *
 * Not modelled: the ICO also lets a due date that falls on a weekend or bank holiday move to the next working
 * day; this module always returns the calendar date, which is never later than the legal limit.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Largest extension, in months beyond the first month. */
export const MAX_SAR_EXTENSION_MONTHS = 2;

/** A calendar date `YYYY-MM-DD`. */
export type IsoDate = string;

/** Whether `text` is a real calendar date in `YYYY-MM-DD` form (rejects 2025-02-30). */
export function isIsoDate(text: unknown): text is IsoDate {
  if (typeof text !== 'string') return false;
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parse(date: IsoDate): [number, number, number] {
  if (!isIsoDate(date)) throw new RangeError(`expected a date YYYY-MM-DD, was "${date}"`);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return [y, m, d];
}

function format(y: number, m: number, d: number): IsoDate {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** `date` plus `months` calendar months, clamped to the last day of the target month. */
export function addCalendarMonths(date: IsoDate, months: number): IsoDate {
  if (!Number.isInteger(months) || months < 0) throw new RangeError(`months must be >= 0, was ${months}`);
  const [y, m, d] = parse(date);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return format(year, month, Math.min(d, daysInMonth(year, month)));
}

/** The due date of a SAR received on `receivedOn`: one calendar month later. */
export function sarDueDate(receivedOn: IsoDate): IsoDate {
  return addCalendarMonths(receivedOn, 1);
}

/** The UTC calendar date of an instant. */
export function utcDate(now: Date): IsoDate {
  return now.toISOString().slice(0, 10);
}

/** The deadline in force: the extended one when there is one. */
export function effectiveDueDate(c: { dueOn: IsoDate; extendedDueOn: IsoDate | null }): IsoDate {
  return c.extendedDueOn ?? c.dueOn;
}

/** A case's dates as far as extension is concerned. */
export interface SarDates {
  receivedOn: IsoDate;
  dueOn: IsoDate;
  extendedDueOn: IsoDate | null;
}

/** The outcome of {@link extendSarDeadline}. */
export type SarExtension =
  | { ok: true; extendedDueOn: IsoDate }
  | { ok: false; error: 'bad_months' | 'reason_required' | 'too_late' | 'not_later'; detail: string };

/**
 * Extends a case to `months` months beyond its first month (1 or 2), counted from the day of receipt.
 * Refuses without a reason, after the deadline in force has passed (`today` later than it), or when the
 * result would not be later than the deadline in force (an extension never shortens).
 */
export function extendSarDeadline(
  dates: SarDates,
  months: number,
  reason: string,
  today: IsoDate
): SarExtension {
  if (!Number.isInteger(months) || months < 1 || months > MAX_SAR_EXTENSION_MONTHS) {
    return { ok: false, error: 'bad_months', detail: `Extend by 1 or ${MAX_SAR_EXTENSION_MONTHS} months.` };
  }
  if (reason.trim() === '') {
    return { ok: false, error: 'reason_required', detail: 'An extension needs a reason.' };
  }
  const current = effectiveDueDate(dates);
  parse(today);
  if (today > current) {
    return { ok: false, error: 'too_late', detail: `The time limit ended on ${current}.` };
  }
  const extendedDueOn = addCalendarMonths(dates.receivedOn, 1 + months);
  if (extendedDueOn <= current) {
    return { ok: false, error: 'not_later', detail: `The case is already due on ${current}.` };
  }
  return { ok: true, extendedDueOn };
}
