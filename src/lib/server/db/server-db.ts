import { getConfig } from '../config';
import { openDataDirDatabase, type Db } from './open-database';

let db: Db | undefined;

/** The server process's one database handle, opened from `getConfig().dataDir` on first use. */
export function getDb(): Db {
  db ??= openDataDirDatabase(getConfig().dataDir);
  return db;
}
