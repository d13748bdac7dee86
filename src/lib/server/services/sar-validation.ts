import { isIsoDate, MAX_SAR_EXTENSION_MONTHS, utcDate } from '../../domain/sar-deadline';

/** Why a SAR operation was refused; each maps to one HTTP status in {@link sarErrorStatus}. */
export type SarErrorCode =
  | 'bad_request'
  | 'not_found'
  | 'duplicate_reference'
  | 'case_closed'
  | 'too_late'
  | 'not_later'
  | 'unknown_advisor';

const STATUS: Record<SarErrorCode, number> = {
  bad_request: 400,
  not_found: 404,
  duplicate_reference: 409,
  case_closed: 409,
  too_late: 409,
  not_later: 409,
  unknown_advisor: 400
};

/** Thrown by the SAR services before anything changed. */
export class SarError extends Error {
  constructor(
    readonly code: SarErrorCode,
    readonly detail: string
  ) {
    super(detail);
    this.name = 'SarError';
  }
}

/** The HTTP status of a {@link SarError} code. */
export function sarErrorStatus(code: SarErrorCode): number {
  return STATUS[code];
}

function bad(detail: string): never {
  throw new SarError('bad_request', detail);
}

const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
const PHONE = /^\+?[0-9*#]{1,32}$/;
const USERNAME = /^[A-Za-z0-9._-]{1,64}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function object(body: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) bad('Send a JSON object.');
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length > 0) bad(`Unknown field(s): ${extra.slice(0, 5).join(', ')}.`);
  return body as Record<string, unknown>;
}

/** Trimmed text of 1..max characters without control characters. */
export function checkSarText(value: unknown, name: string, max: number): string {
  if (typeof value !== 'string') bad(`${name} must be a string.`);
  const text = value.trim();
  // eslint-disable-next-line no-control-regex
  if (text.length === 0 || text.length > max || /[\x00-\x1f\x7f]/.test(text)) {
    bad(`${name} must be 1 to ${max} characters without control characters.`);
  }
  return text;
}

/** Body of `POST /api/sar`. */
export interface OpenSarInput {
  reference: string;
  receivedOn: string;
}

/** `{reference, receivedOn}`; receivedOn a real date, not after today (UTC). */
export function parseOpenSar(body: unknown, now: Date): OpenSarInput {
  const b = object(body, ['reference', 'receivedOn']);
  if (typeof b.reference !== 'string' || !REFERENCE.test(b.reference)) {
    bad('reference must be 1 to 64 of A-Z a-z 0-9 . _ / - and start with a letter or digit.');
  }
  if (!isIsoDate(b.receivedOn)) bad('receivedOn must be a real date YYYY-MM-DD.');
  if (b.receivedOn > utcDate(now)) bad('receivedOn is in the future.');
  return { reference: b.reference, receivedOn: b.receivedOn };
}

/** Body of `POST /api/sar/{id}/extend`. */
export interface ExtendSarInput {
  months: number;
  reason: string;
}

export function parseExtendSar(body: unknown): ExtendSarInput {
  const b = object(body, ['months', 'reason']);
  if (
    !Number.isInteger(b.months) ||
    (b.months as number) < 1 ||
    (b.months as number) > MAX_SAR_EXTENSION_MONTHS
  ) {
    bad(`months must be 1 or ${MAX_SAR_EXTENSION_MONTHS}.`);
  }
  return { months: b.months as number, reason: checkSarText(b.reason, 'reason', 500) };
}

/** Body of `POST /api/sar/{id}/subjects`: at least one phone number or advisor username. */
export interface SarSubjectsInput {
  phones: string[];
  advisors: string[];
}

function list(value: unknown, name: string, check: (s: string) => string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 50) bad(`${name} must be an array of at most 50 strings.`);
  return [
    ...new Set(value.map((v) => (typeof v === 'string' ? check(v) : bad(`${name} must hold strings.`))))
  ];
}

/**
 * `{phones?: string[], advisors?: string[]}`. Phone numbers lose spaces, dashes, dots and brackets so they
 * compare equal to the numbers recordings store (`+`, digits, `*`, `#`).
 */
export function parseSarSubjects(body: unknown): SarSubjectsInput {
  const b = object(body, ['phones', 'advisors']);
  const phones = list(b.phones, 'phones', (s) => {
    const n = s.trim().replace(/[\s\-.()]/g, '');
    if (!PHONE.test(n)) bad(`"${s.slice(0, 40)}" is not a phone number.`);
    return n;
  });
  const advisors = list(b.advisors, 'advisors', (s) => {
    if (!USERNAME.test(s)) bad(`"${s.slice(0, 40)}" is not a username.`);
    return s;
  });
  if (phones.length + advisors.length === 0) bad('Give at least one phone number or advisor.');
  return { phones, advisors };
}

/** Body of `POST /api/sar/{id}/erase`. */
export interface SarEraseInput {
  reason: string;
}

export function parseSarErase(body: unknown): SarEraseInput {
  const b = object(body, ['reason']);
  return { reason: checkSarText(b.reason, 'reason', 500) };
}

/** Body of `POST /api/sar/{id}/close`: `{}` or `{note}`. */
export function parseSarClose(body: unknown): { note: string | null } {
  const b = object(body, ['note']);
  return { note: b.note === undefined || b.note === null ? null : checkSarText(b.note, 'note', 1000) };
}

/** A case id from the path: a positive decimal integer. @throws SarError bad_request */
export function checkSarId(value: string): number {
  if (!/^[1-9][0-9]{0,11}$/.test(value)) bad('The case id must be a positive integer.');
  return Number(value);
}

/** Filter of the recordings list and the export: `from`, `to` (ISO-8601 UTC, `to` exclusive), cursor, limit. */
export interface SarRecordingFilter {
  from: string | null;
  to: string | null;
}

function time(value: string | null, name: string): string | null {
  if (value === null || value === '') return null;
  if (!ISO_UTC.test(value) || Number.isNaN(Date.parse(value))) {
    bad(`${name} must be an ISO-8601 UTC time like 2025-03-01T00:00:00Z.`);
  }
  return new Date(value).toISOString();
}

/** Reads `from` and `to` from query parameters. */
export function parseSarFilter(params: URLSearchParams): SarRecordingFilter {
  const from = time(params.get('from'), 'from');
  const to = time(params.get('to'), 'to');
  if (from && to && from >= to) bad('from must be before to.');
  return { from, to };
}
