import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { applyMigrations } from './migrate';

/** The SQLite handle type used by every repository. */
export type Db = Database.Database;

/** File name of the database inside DATA_DIR. */
export const DATABASE_FILE = 'advisor-phone.sqlite';

/**
 * Opens (creating if needed) the SQLite database at `path` with WAL, foreign keys, secure delete and a busy timeout,
 * then applies pending migrations. Usable with a temp file in tests.
 */
export function openDatabase(path: string): Db {
  const isFile = path !== ':memory:' && path !== '';
  if (isFile) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const isNew = isFile && !existsSync(path);
  const db = new Database(path);
  // Password hashes and personal data: owner only (SQLite gives -wal / -shm the same mode).
  if (isNew) chmodSync(path, 0o600);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    // Deleted rows (wrapped data keys, personal data) are overwritten with zeros, not left in free pages.
    db.pragma('secure_delete = ON');
    applyMigrations(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** Opens `${dataDir}/advisor-phone.sqlite` (the CLI, demo seeding and the server all use this). */
export function openDataDirDatabase(dataDir: string): Db {
  return openDatabase(join(dataDir, DATABASE_FILE));
}
