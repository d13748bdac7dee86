import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { appendAudit, SYSTEM_ACTOR } from '../../src/lib/server/audit/append-audit';
import { verifyAuditChain } from '../../src/lib/server/audit/verify-audit-chain';
import { applyMigrations } from '../../src/lib/server/db/migrate';
import { openDatabase } from '../../src/lib/server/db/open-database';
import { MIGRATIONS } from '../../src/lib/server/db/migrations/index';
import { tempDb } from './helpers';

describe('openDatabase and migrations', () => {
  let env: ReturnType<typeof tempDb>;
  afterEach(() => env.cleanup());

  it('applies every migration once and records it', () => {
    env = tempDb();
    const rows = env.db.prepare('SELECT id, name FROM schema_migrations ORDER BY id').all();
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ id: m.id, name: m.name })));
  });

  it('is idempotent: a second run and a reopen apply nothing', () => {
    env = tempDb();
    expect(applyMigrations(env.db)).toEqual([]);
    env.db.close();
    const again = openDatabase(env.path);
    expect(applyMigrations(again)).toEqual([]);
    expect(again.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({
      n: MIGRATIONS.length
    });
    again.close();
  });

  it('uses WAL, foreign keys and a busy timeout, and keeps the file private', () => {
    env = tempDb();
    expect(env.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(env.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(env.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(statSync(env.path).mode & 0o777).toBe(0o600);
  });

  it('turns secure_delete on, so deleted rows (wrapped data keys) are overwritten in the file', () => {
    env = tempDb();
    expect(env.db.pragma('secure_delete', { simple: true })).toBe(1);
  });

  it('rebuilds the audit log without the unique hash index, keeping its rows, chain and triggers', () => {
    const db = new Database(':memory:');
    applyMigrations(
      db,
      MIGRATIONS.filter((m) => m.id < 6)
    );
    const now = new Date('2025-01-01T00:00:00.000Z');
    for (const action of ['login.success', 'recording.play', 'recording.erase']) {
      appendAudit(db, { actor: SYSTEM_ACTOR, action, result: 'ok', target: 'x' }, now);
    }
    const before = db.prepare('SELECT * FROM audit_log ORDER BY id').all();
    expect(applyMigrations(db)).toEqual([6]);
    expect(db.prepare('SELECT * FROM audit_log ORDER BY id').all()).toEqual(before);
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, rows: 3 });
    const indexes = db.prepare('SELECT name, "unique" AS u FROM pragma_index_list(\'audit_log\')').all();
    expect(indexes).toEqual(
      expect.arrayContaining([
        { name: 'audit_log_at', u: 0 },
        { name: 'audit_log_target', u: 0 }
      ])
    );
    expect(indexes).toHaveLength(2);
    expect(() => db.prepare("UPDATE audit_log SET result = 'denied'").run()).toThrow('append-only');
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow('append-only');
    appendAudit(db, { actor: SYSTEM_ACTOR, action: 'after', result: 'ok' }, now);
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, rows: 4 });
    db.close();
  });

  it('rolls a failing migration back completely', () => {
    env = tempDb();
    const bad = [...MIGRATIONS, { id: 999, name: 'broken', sql: 'CREATE TABLE t (x); SELECT nonsense(' }];
    expect(() => applyMigrations(env.db, bad)).toThrow();
    expect(env.db.prepare("SELECT name FROM sqlite_master WHERE name = 't'").get()).toBeUndefined();
    expect(env.db.prepare('SELECT id FROM schema_migrations WHERE id = 999').get()).toBeUndefined();
  });

  it('enforces the role check and unique, case-insensitive usernames', () => {
    env = tempDb();
    const insert = env.db.prepare(
      `INSERT INTO users (username, password_hash, role, display_name, created_at) VALUES (?, 'x', ?, 'X', 'now')`
    );
    insert.run('Carol', 'advisor');
    expect(() => insert.run('carol', 'advisor')).toThrow(/UNIQUE/);
    expect(() => insert.run('dave', 'boss')).toThrow(/CHECK/);
  });
});
