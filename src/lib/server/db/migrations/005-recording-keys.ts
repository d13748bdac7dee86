import type { Migration } from './migration';

/**
 * Crypto-erasure (see storage/data-keys.ts): `recording_keys` holds each recording's data key, wrapped under
 * the master key. The row is deleted in the same transaction that erases or expires the recording, which
 * makes its audio unreadable at once; the files are unlinked afterwards from `audio_purges`. The database runs
 * with `secure_delete` on, so a deleted row's bytes are overwritten in the file rather than left in a free
 * page.
 *
 * Recordings created before this migration have no row: their files (format version 1) stay encrypted under
 * the master key and are gone only once unlinked, as before.
 */
export const migration005: Migration = {
  id: 5,
  name: 'recording-keys',
  sql: `
    CREATE TABLE recording_keys (
      recording_id TEXT PRIMARY KEY,
      wrapped_key BLOB NOT NULL CHECK (length(wrapped_key) = 65),
      created_at TEXT NOT NULL
    ) WITHOUT ROWID;
  `
};
