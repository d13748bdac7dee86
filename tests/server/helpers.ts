import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/lib/server/db/open-database';
import type { ScryptParams } from '../../src/lib/server/auth/password';
import type { UserAdminContext } from '../../src/lib/server/services/user-admin';

/** Cheap scrypt for tests; the format and code path are the production ones. */
export const FAST_SCRYPT: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };

/** A temp dir with a fresh migrated database; call `cleanup()` in afterEach. */
export function tempDb(): { dir: string; path: string; db: Db; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ap-test-'));
  const path = join(dir, 'advisor-phone.sqlite');
  const db = openDatabase(path);
  return {
    dir,
    path,
    db,
    cleanup: () => {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** A settable clock. */
export function fakeClock(start = '2025-03-01T09:00:00.000Z') {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advance: (ms: number) => {
      t += ms;
    }
  };
}

export function adminContext(db: Db, now: () => Date): UserAdminContext {
  return {
    db,
    now,
    actor: { id: null, name: 'test', role: 'system' },
    reservedNumbers: ['5000', '7000'],
    hashParams: FAST_SCRYPT
  };
}
