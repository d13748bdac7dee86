import { createHash } from 'node:crypto';

/** prev_hash of the first audit row. */
export const GENESIS_HASH = '0'.repeat(64);

/** An audit row as stored, without its own hash. Field order does not matter: the JSON is canonical. */
export interface AuditRowContent {
  id: number;
  at: string;
  actor_id: number | null;
  actor_name: string | null;
  role: string | null;
  action: string;
  target: string | null;
  purpose: string | null;
  result: string;
  detail: string | null;
  prev_hash: string;
}

/** JSON with keys sorted at every level, no white space; `undefined` becomes null. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** hash = SHA-256 hex over prev_hash + canonical JSON of the row (every column except `hash`). */
export function auditRowHash(row: AuditRowContent): string {
  const content: AuditRowContent = {
    id: row.id,
    at: row.at,
    actor_id: row.actor_id,
    actor_name: row.actor_name,
    role: row.role,
    action: row.action,
    target: row.target,
    purpose: row.purpose,
    result: row.result,
    detail: row.detail,
    prev_hash: row.prev_hash
  };
  return createHash('sha256')
    .update(row.prev_hash + canonicalJson(content))
    .digest('hex');
}
