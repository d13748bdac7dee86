import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
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
