import { RecordingError } from '../recordings/recording-error';
import { checkInt, checkText } from '../recordings/recording-validation';
import { checkTimeOrDate } from '../recordings/search-query';
import type { AuditQuery } from './audit-query-service';

const PARAMS = new Set(['from', 'to', 'actor', 'action', 'cursor', 'limit']);

/** Validates `GET /api/audit` query parameters. @throws RecordingError bad_request */
export function parseAuditQuery(params: URLSearchParams): AuditQuery {
  for (const key of params.keys()) {
    if (!PARAMS.has(key)) throw new RecordingError('bad_request', `Unknown parameter "${key.slice(0, 40)}".`);
  }
  const get = (k: string) => {
    const v = params.get(k);
    return v === null || v === '' ? undefined : v;
  };
  const query: AuditQuery = { limit: 100 };
  const from = get('from');
  if (from !== undefined) query.from = checkTimeOrDate(from, 'from');
  const to = get('to');
  if (to !== undefined) query.to = checkTimeOrDate(to, 'to');
  const actor = get('actor');
  if (actor !== undefined) query.actor = checkText(actor, 'actor', 64);
  const action = get('action');
  if (action !== undefined) {
    if (!/^[a-z0-9.-]{1,64}$/.test(action))
      throw new RecordingError('bad_request', 'action must be like recording.play.');
    query.action = action;
  }
  const cursor = get('cursor');
  if (cursor !== undefined) query.cursor = checkInt(cursor, 'cursor', 1, Number.MAX_SAFE_INTEGER);
  const limit = get('limit');
  if (limit !== undefined) query.limit = checkInt(limit, 'limit', 1, 500);
  return query;
}
