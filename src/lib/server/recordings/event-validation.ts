import { TIMELINE_KINDS } from '$lib/domain/timeline-kinds';
import { RecordingError } from './recording-error';
import { checkIsoTime } from './recording-validation';

/** Timeline event types the browser sends: exactly the policy's kinds (DESIGN "Recording policy" 9). */
export const EVENT_TYPES = TIMELINE_KINDS;

export type RecordingEventType = (typeof EVENT_TYPES)[number];

/** One timeline event as validated. `detail` is a small flat-ish JSON object, never digits or card data. */
export interface RecordingEventInput {
  id: string;
  type: RecordingEventType;
  at: string;
  detail: Record<string, unknown> | null;
}

/** At most this many events per request. */
export const MAX_EVENTS_PER_REQUEST = 200;
/** Largest `detail` as JSON. */
export const MAX_DETAIL_BYTES = 1024;

const EVENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Keys that could carry keypad digits or card data; refused anywhere in a detail (DESIGN rule 8). */
const FORBIDDEN_KEY = /dtmf|digit|card|pan$|^pan|cvv|cvc|expiry|tone/i;
/** A run of 8+ digits in a value looks like a card number or keyed digits. */
const DIGIT_RUN = /[0-9]{8,}/;

function bad(detail: string): never {
  throw new RecordingError('bad_request', detail);
}

function checkDetailValue(value: unknown, depth: number): void {
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) bad('detail numbers must be finite.');
    if (DIGIT_RUN.test(String(Math.abs(value)))) bad('detail must not carry long digit sequences.');
    return;
  }
  if (typeof value === 'string') {
    if (DIGIT_RUN.test(value.replace(/[\s-]/g, ''))) bad('detail must not carry long digit sequences.');
    return;
  }
  if (depth >= 2 || typeof value !== 'object') bad('detail may nest objects or arrays at most two levels.');
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [key, inner] of entries) {
    if (FORBIDDEN_KEY.test(key))
      bad(`detail key "${key.slice(0, 40)}" is not allowed (no digits or card data).`);
    checkDetailValue(inner, depth + 1);
  }
}

/** Validates the body of `POST /api/recordings/{id}/events`: an array of 1..200 events. */
export function parseEvents(body: unknown): RecordingEventInput[] {
  if (!Array.isArray(body) || body.length === 0 || body.length > MAX_EVENTS_PER_REQUEST) {
    bad(`Send a JSON array of 1 to ${MAX_EVENTS_PER_REQUEST} events.`);
  }
  return body.map((raw: unknown, i): RecordingEventInput => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) bad(`event ${i} must be an object.`);
    const e = raw as Record<string, unknown>;
    if (typeof e.id !== 'string' || !EVENT_ID.test(e.id))
      bad(`event ${i}: id must be 1 to 64 of A-Z a-z 0-9 _ -.`);
    if (typeof e.type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(e.type)) {
      bad(`event ${i}: type must be one of ${EVENT_TYPES.join(', ')}.`);
    }
    const detail = e.detail ?? null;
    if (detail !== null) {
      if (typeof detail !== 'object' || Array.isArray(detail)) bad(`event ${i}: detail must be an object.`);
      checkDetailValue(detail, 0);
      if (Buffer.byteLength(JSON.stringify(detail)) > MAX_DETAIL_BYTES) {
        bad(`event ${i}: detail must be at most ${MAX_DETAIL_BYTES} bytes of JSON.`);
      }
    }
    return {
      id: e.id,
      type: e.type as RecordingEventType,
      at: checkIsoTime(e.at, `event ${i}: at`),
      detail: detail as Record<string, unknown> | null
    };
  });
}
