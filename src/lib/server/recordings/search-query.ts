import type { RecordingQuery } from './read-service';
import { RecordingError } from './recording-error';
import { checkDate, checkInt, checkIsoTime, checkPhoneNumber, checkText } from './recording-validation';

const SEARCH_PARAMS = new Set(['number', 'advisor', 'team', 'from', 'to', 'cursor', 'limit']);
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A date (start of that UTC day) or an ISO-8601 UTC time. */
export function checkTimeOrDate(value: string, name: string): string {
  return value.length === 10 ? `${checkDate(value, name)}T00:00:00.000Z` : checkIsoTime(value, name);
}

function bad(detail: string): never {
  throw new RecordingError('bad_request', detail);
}

/**
 * Validates `GET /api/recordings` query parameters; unknown or repeated ones are refused so a typo such as
 * `phone=` cannot silently widen a search.
 * @throws RecordingError bad_request
 */
export function parseSearchQuery(params: URLSearchParams): RecordingQuery {
  const seen = new Set<string>();
  for (const key of params.keys()) {
    if (!SEARCH_PARAMS.has(key)) bad(`Unknown parameter "${key.slice(0, 40)}".`);
    if (seen.has(key)) bad(`Parameter "${key}" given twice.`);
    seen.add(key);
  }
  const get = (k: string) => {
    const v = params.get(k);
    return v === null || v === '' ? undefined : v;
  };
  const query: RecordingQuery = { limit: 50 };
  const number = get('number');
  if (number !== undefined) query.number = checkPhoneNumber(number, 'number');
  const advisor = get('advisor');
  if (advisor !== undefined) {
    if (!USERNAME.test(advisor)) bad('advisor must be a username.');
    query.advisor = advisor;
  }
  const team = get('team');
  if (team !== undefined) query.team = checkText(team, 'team', 64);
  const from = get('from');
  if (from !== undefined) query.from = checkTimeOrDate(from, 'from');
  const to = get('to');
  if (to !== undefined) query.to = checkTimeOrDate(to, 'to');
  const cursor = get('cursor');
  if (cursor !== undefined) {
    if (!/^[A-Za-z0-9_-]{1,300}$/.test(cursor)) bad('cursor is not one this server made.');
    query.cursor = cursor;
  }
  const limit = get('limit');
  if (limit !== undefined) query.limit = checkInt(limit, 'limit', 1, 200);
  return query;
}
