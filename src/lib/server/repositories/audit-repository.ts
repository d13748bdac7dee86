import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open-database';
import type { AuditRowContent } from '../audit/audit-hash';

/** A stored audit row. */
export interface AuditRow extends AuditRowContent {
  hash: string;
}

interface AppendStatements {
  last: Statement;
  insert: Statement;
}

const statements = new WeakMap<Db, AppendStatements>();

/** The two statements every audit append runs, prepared once per connection (a sweep appends per recording). */
function append(db: Db): AppendStatements {
  let s = statements.get(db);
  if (!s) {
    s = {
      last: db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1'),
      insert: db.prepare(
        `INSERT INTO audit_log (id, at, actor_id, actor_name, role, action, target, purpose, result, detail,
           prev_hash, hash)
         VALUES (@id, @at, @actor_id, @actor_name, @role, @action, @target, @purpose, @result, @detail,
           @prev_hash, @hash)`
      )
    };
    statements.set(db, s);
  }
  return s;
}

/** The newest row's id and hash, or undefined for an empty log. */
export function lastAuditRow(db: Db): { id: number; hash: string } | undefined {
  return append(db).last.get() as { id: number; hash: string } | undefined;
}

/** Inserts one row with its id given explicitly (the id is covered by the hash). */
export function insertAuditRow(db: Db, row: AuditRow): void {
  append(db).insert.run(row);
}

/** Rows in chain order, optionally from an id onward (for verification and the DPO's views). */
export function listAuditRows(db: Db, fromId = 0, limit = 1000): AuditRow[] {
  return db
    .prepare('SELECT * FROM audit_log WHERE id >= ? ORDER BY id LIMIT ?')
    .all(fromId, limit) as AuditRow[];
}
