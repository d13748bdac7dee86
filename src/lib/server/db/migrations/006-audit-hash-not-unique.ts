import type { Migration } from './migration';

/**
 * `audit_log.hash` loses its UNIQUE constraint. Nothing looks rows up by hash (the chain is checked by walking
 * ids), but the unique index on 64 random hex characters made every append a write to a random page of an
 * ever-growing B-tree: about 50 µs of a 90 µs append at 100,000 rows, the largest cost of the retention
 * sweep's audit rows and a cost on every audited request. SQLite cannot drop a constraint's index, so the
 * table is rebuilt with the same rows, indexes and append-only triggers (the triggers are dropped first so
 * the copy and the drop of the old table are allowed).
 */
export const migration006: Migration = {
  id: 6,
  name: 'audit-hash-not-unique',
  sql: `
    DROP TRIGGER audit_log_no_update;
    DROP TRIGGER audit_log_no_delete;
    CREATE TABLE audit_log_rebuilt (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      actor_id INTEGER,
      actor_name TEXT,
      role TEXT,
      action TEXT NOT NULL,
      target TEXT,
      purpose TEXT,
      result TEXT NOT NULL,
      detail TEXT,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL
    );
    INSERT INTO audit_log_rebuilt SELECT id, at, actor_id, actor_name, role, action, target, purpose, result,
      detail, prev_hash, hash FROM audit_log ORDER BY id;
    DROP TABLE audit_log;
    ALTER TABLE audit_log_rebuilt RENAME TO audit_log;
    CREATE INDEX audit_log_at ON audit_log (at);
    CREATE INDEX audit_log_target ON audit_log (target);
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN
      SELECT RAISE(ABORT, 'audit_log is append-only');
    END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN
      SELECT RAISE(ABORT, 'audit_log is append-only');
    END;
  `
};
