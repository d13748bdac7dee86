import type { Db } from '../db/open-database';
import { insertAuditRow, lastAuditRow, type AuditRow } from '../repositories/audit-repository';
import { auditRowHash, GENESIS_HASH } from './audit-hash';

/** Who did something. `id` null for the CLI, the system, or an unknown username at login. */
export interface AuditActor {
  id: number | null;
  name: string | null;
  role: string | null;
}

/** The CLI / system actor used by scripts. */
export const SYSTEM_ACTOR: AuditActor = Object.freeze({ id: null, name: 'system', role: 'system' });

/** What to record. `result` is e.g. 'ok', 'denied', 'failed'. Never put audio, DTMF or card data here. */
export interface AuditEntry {
  actor: AuditActor;
  /** Dotted verb, e.g. 'login.success', 'user.add', 'recording.play'. */
  action: string;
  target?: string | null;
  purpose?: string | null;
  result: string;
  /** Free text or an object (stored as canonical-ish JSON). */
  detail?: string | Record<string, unknown> | null;
}

/**
 * Appends one row to the hash-chained audit log and returns it. Runs in its own IMMEDIATE transaction, or
 * inside the caller's transaction — call it inside the service's transaction so the change
 * and its audit row commit together.
 */
export function appendAudit(db: Db, entry: AuditEntry, now: Date): AuditRow {
  // Inside the caller's transaction no savepoint is needed: the one insert either happens or throws, and
  // the caller's transaction decides. (A sweep appends one row per recording, so a savepoint each costs.)
  if (db.inTransaction) return appendRow(db, entry, now);
  return db.transaction(() => appendRow(db, entry, now)).immediate();
}

/**
 * Appends many rows in order (the sweep: one per expired recording), reading the chain's head once. Call it
 * inside the caller's transaction, like {@link appendAudit}.
 */
export function appendAuditRows(db: Db, entries: readonly AuditEntry[], now: Date): void {
  if (!db.inTransaction) throw new Error('appendAuditRows runs inside the caller transaction');
  let last = lastAuditRow(db);
  for (const entry of entries) last = chainRow(db, entry, now, last);
}

function appendRow(db: Db, entry: AuditEntry, now: Date): AuditRow {
  return chainRow(db, entry, now, lastAuditRow(db));
}

function chainRow(
  db: Db,
  entry: AuditEntry,
  now: Date,
  last: { id: number; hash: string } | undefined
): AuditRow {
  const detail =
    entry.detail === undefined || entry.detail === null
      ? null
      : typeof entry.detail === 'string'
        ? entry.detail
        : JSON.stringify(entry.detail);
  const content = {
    id: (last?.id ?? 0) + 1,
    at: now.toISOString(),
    actor_id: entry.actor.id,
    actor_name: entry.actor.name,
    role: entry.actor.role,
    action: entry.action,
    target: entry.target ?? null,
    purpose: entry.purpose ?? null,
    result: entry.result,
    detail,
    prev_hash: last?.hash ?? GENESIS_HASH
  };
  const row: AuditRow = { ...content, hash: auditRowHash(content) };
  insertAuditRow(db, row);
  return row;
}
