import { RecordingError } from './recording-error';

/** A UUID version 7, lower case, as the browser makes them. */
export const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PHONE = /^(\+?[0-9*#]{1,32}|anonymous)$/;
const LINE = /^[A-Za-z0-9+._:@-]{1,64}$/;
const CALL_ID = /^[\x21-\x7e]{1,200}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function bad(detail: string): never {
  throw new RecordingError('bad_request', detail);
}

/** @throws RecordingError bad_request unless `value` is a lower-case UUID v7. */
export function checkRecordingId(value: unknown): string {
  if (typeof value !== 'string' || !UUID_V7.test(value)) bad('id must be a lower-case UUID v7.');
  return value;
}

/** A timestamp `YYYY-MM-DDTHH:MM:SS(.sss)Z`, normalised to `toISOString()`. */
export function checkIsoTime(value: unknown, name: string): string {
  if (typeof value !== 'string' || !ISO_UTC.test(value) || Number.isNaN(Date.parse(value))) {
    bad(`${name} must be an ISO-8601 UTC time like 2025-03-01T09:00:00.000Z.`);
  }
  return new Date(value).toISOString();
}

/** A calendar date `YYYY-MM-DD` that exists. */
export function checkDate(value: unknown, name: string): string {
  if (typeof value !== 'string' || !DATE_ONLY.test(value)) bad(`${name} must be a date YYYY-MM-DD.`);
  const d = new Date(`${value}T00:00:00.000Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) bad(`${name} is not a real date.`);
  return value;
}

/** An integer from `min` to `max`, given as a number or (for headers and query strings) decimal digits. */
export function checkInt(value: unknown, name: string, min: number, max: number): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^[0-9]{1,12}$/.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    bad(`${name} must be an integer from ${min} to ${max}.`);
  return n;
}

/** Trimmed text of 1..`max` characters without control characters. */
export function checkText(value: unknown, name: string, max: number): string {
  if (typeof value !== 'string') bad(`${name} must be a string.`);
  const text = value.trim();
  // eslint-disable-next-line no-control-regex
  if (text.length === 0 || text.length > max || /[\x00-\x1f\x7f]/.test(text)) {
    bad(`${name} must be 1 to ${max} characters without control characters.`);
  }
  return text;
}

/** @throws RecordingError bad_request unless `value` is a phone number (digits, `+`, `*`, `#`) or 'anonymous'. */
export function checkPhoneNumber(value: unknown, name = 'remoteNumber'): string {
  if (typeof value !== 'string' || !PHONE.test(value)) bad(`${name} must be a phone number or "anonymous".`);
  return value;
}

/** Lower-cased 64-hex SHA-256. */
export function checkSha256(value: unknown, name: string): string {
  const text = typeof value === 'string' ? value.toLowerCase() : '';
  if (!SHA256_HEX.test(text)) bad(`${name} must be 64 hex digits (SHA-256).`);
  return text;
}

/** What `POST /api/recordings` creates. */
export interface NewRecordingInput {
  id: string;
  callId: string;
  direction: 'inbound' | 'outbound';
  remoteNumber: string;
  line: string;
  startedAt: string;
}

/** Validates the create body; `now` bounds startedAt (at most 10 minutes ahead). */
export function parseNewRecording(body: unknown, now: Date): NewRecordingInput {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) bad('Send a JSON object.');
  const b = body as Record<string, unknown>;
  const allowed = new Set(['id', 'callId', 'direction', 'remoteNumber', 'line', 'startedAt']);
  const extra = Object.keys(b).filter((k) => !allowed.has(k));
  if (extra.length > 0) bad(`Unknown field(s): ${extra.slice(0, 5).join(', ')}.`);
  const direction = b.direction;
  if (direction !== 'inbound' && direction !== 'outbound') bad('direction must be "inbound" or "outbound".');
  if (typeof b.callId !== 'string' || !CALL_ID.test(b.callId))
    bad('callId must be 1 to 200 visible ASCII characters.');
  if (typeof b.line !== 'string' || !LINE.test(b.line))
    bad('line must be 1 to 64 of A-Z a-z 0-9 + . _ : @ -.');
  const startedAt = checkIsoTime(b.startedAt, 'startedAt');
  if (Date.parse(startedAt) > now.getTime() + 10 * 60_000) bad('startedAt is in the future.');
  return {
    id: checkRecordingId(b.id),
    callId: b.callId,
    direction,
    remoteNumber: checkPhoneNumber(b.remoteNumber),
    line: b.line,
    startedAt
  };
}

/** Headers of a segment upload. */
export interface SegmentHeaders {
  sha256: string;
  startMs: number;
  durationMs: number;
}

/** Largest sequence number + 1. */
export const MAX_SEQ = 100_000;

/** Validates a `{seq}` path parameter: a non-negative decimal integer below {@link MAX_SEQ}. */
export function checkSeq(value: string): number {
  if (!/^[0-9]{1,5}$/.test(value)) bad(`seq must be an integer from 0 to ${MAX_SEQ - 1}.`);
  return Number(value);
}

/** Validates X-Segment-Sha256, X-Segment-Start-Ms and X-Segment-Duration-Ms. */
export function parseSegmentHeaders(headers: Headers): SegmentHeaders {
  return {
    sha256: checkSha256(headers.get('x-segment-sha256'), 'X-Segment-Sha256'),
    startMs: checkInt(headers.get('x-segment-start-ms'), 'X-Segment-Start-Ms', 0, 7 * 24 * 3600_000),
    durationMs: checkInt(headers.get('x-segment-duration-ms'), 'X-Segment-Duration-Ms', 1, 3600_000)
  };
}

/** Body of `POST /api/recordings/{id}/finish`. */
export interface FinishInput {
  segmentCount: number;
  durationMs: number;
  /** Decoded samples before the first captured one (optional; needed for gapless playback). */
  encoderDelaySamples?: number | null;
  /** Decoded samples after the last captured one (optional, only with `encoderDelaySamples`). */
  paddingSamples?: number | null;
}

/** Largest encoder delay or padding accepted, in samples (LAME's are about 1,100 and under one frame). */
const MAX_GAPLESS_SAMPLES = 65_535;

function optionalSamples(value: unknown, name: string): number | null {
  return value === undefined || value === null ? null : checkInt(value, name, 0, MAX_GAPLESS_SAMPLES);
}

export function parseFinish(body: unknown): FinishInput {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) bad('Send a JSON object.');
  const b = body as Record<string, unknown>;
  const segmentCount = checkInt(b.segmentCount, 'segmentCount', 0, MAX_SEQ);
  const durationMs = checkInt(b.durationMs, 'durationMs', 0, 7 * 24 * 3600_000);
  const encoderDelaySamples = optionalSamples(b.encoderDelaySamples, 'encoderDelaySamples');
  const paddingSamples = optionalSamples(b.paddingSamples, 'paddingSamples');
  if (paddingSamples !== null && encoderDelaySamples === null) {
    bad('paddingSamples needs encoderDelaySamples.');
  }
  return { segmentCount, durationMs, encoderDelaySamples, paddingSamples };
}
