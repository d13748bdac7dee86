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

/** One scalar column as canonicalJson writes it. */
function scalar(value: string | number | null | undefined): string {
  return value === null || value === undefined ? 'null' : JSON.stringify(value);
}

/**
 * canonicalJson of a row's content (every column except `hash`), written out in its sorted key order: the
 * same string as `canonicalJson` of the row object, without sorting keys for every row appended.
 */
export function auditRowCanonical(row: AuditRowContent): string {
  return (
    `{"action":${scalar(row.action)},"actor_id":${scalar(row.actor_id)},` +
    `"actor_name":${scalar(row.actor_name)},"at":${scalar(row.at)},"detail":${scalar(row.detail)},` +
    `"id":${scalar(row.id)},"prev_hash":${scalar(row.prev_hash)},"purpose":${scalar(row.purpose)},` +
    `"result":${scalar(row.result)},"role":${scalar(row.role)},"target":${scalar(row.target)}}`
  );
}

/** hash = SHA-256 hex over prev_hash + canonical JSON of the row (every column except `hash`). */
export function auditRowHash(row: AuditRowContent): string {
  return createHash('sha256')
    .update(row.prev_hash + auditRowCanonical(row))
    .digest('hex');
}
