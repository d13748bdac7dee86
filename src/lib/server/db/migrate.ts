import type Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations/index';

/**
 * Applies every migration not yet recorded in `schema_migrations`, all inside one IMMEDIATE transaction
 * (so two processes starting together cannot both apply one). Idempotent.
 * @returns ids of the migrations applied by this call.
 */
export function applyMigrations(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
  now: () => Date = () => new Date()
): number[] {
  const ids = migrations.map((m) => m.id);
  if (new Set(ids).size !== ids.length || ids.some((id, i) => i > 0 && id <= (ids[i - 1] ?? 0))) {
    throw new Error('migrations must have unique, ascending ids');
  }
  const run = db.transaction((): number[] => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`);
    const done = new Set(
      (db.prepare('SELECT id FROM schema_migrations').all() as { id: number }[]).map((r) => r.id)
    );
    const record = db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)');
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      db.exec(m.sql);
      record.run(m.id, m.name, now().toISOString());
      applied.push(m.id);
    }
    return applied;
  });
  return run.immediate();
}
