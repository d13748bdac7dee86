/**
 * Fast seeding of recordings for the sweep and search benchmarks: rows go in through single prepared
 * statements inside one transaction per 50,000 rows, skipping the ingest path (which the ingest benchmark
 * measures on its own).
 */
import type { Db } from '../../src/lib/server/db/open-database';
import { newDataKey, wrapDataKey } from '../../src/lib/server/storage/data-keys';

/** A UUID v7-shaped id from a number (deterministic, sorts with n). */
export function seededId(n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `01900000-0000-7000-8000-${hex}`;
}

/** Inserts an advisor row directly (no password hashing) and returns its id. */
export function seedAdvisorRow(db: Db, username: string, team: string): number {
  return Number(
    db
      .prepare(
        `INSERT INTO users (username, password_hash, role, team, display_name, created_at)
         VALUES (?, 'x', 'advisor', ?, ?, '2020-01-01T00:00:00.000Z')`
      )
      .run(username, team, username).lastInsertRowid
  );
}

/** What each seeded recording looks like. */
export interface SeedSpec {
  count: number;
  /** First n (ids are seededId(first + i)). */
  first?: number;
  advisorIds: readonly number[];
  startedAt: (i: number) => string;
  remoteNumber: (i: number) => string;
  /** Also insert one segment row (key `<id>/00000-0000000000000000.seg`) and one timeline event. */
  withSegment?: boolean;
  /** Also give each recording a data key wrapped under this master key, as the ingest service does. */
  masterKey?: Buffer;
}

/**
 * Inserts `spec.count` complete recordings; @returns their ids in order. The recordings indexes are dropped
 * during the load and rebuilt afterwards (a sorted build is far quicker than a million random inserts), with
 * synchronous=OFF and a large page cache; both settings are restored.
 */
export function seedRecordingRows(db: Db, spec: SeedSpec): string[] {
  const indexes = db
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'recordings' AND sql IS NOT NULL`
    )
    .all() as { name: string; sql: string }[];
  const synchronous = db.pragma('synchronous', { simple: true }) as number;
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  for (const ix of indexes) db.exec(`DROP INDEX ${ix.name}`);
  try {
    return insertRows(db, spec);
  } finally {
    for (const ix of indexes) db.exec(ix.sql);
    db.pragma(`synchronous = ${synchronous}`);
  }
}

function insertRows(db: Db, spec: SeedSpec): string[] {
  const rec = db.prepare(
    `INSERT INTO recordings (id, advisor_id, team, call_id, direction, remote_number, line, started_at,
       created_at, upload_token_hash, finished_at, expected_segment_count, duration_ms, status)
     VALUES (?, ?, 'north', ?, 'inbound', ?, '5000', ?, ?, ?, ?, 1, 10000, 'complete')`
  );
  const seg = db.prepare(
    `INSERT INTO recording_segments (recording_id, seq, sha256, size, start_ms, duration_ms, blob_key, stored_at)
     VALUES (?, 0, ?, 200, 0, 10000, ?, ?)`
  );
  const ev = db.prepare(
    `INSERT INTO recording_events (recording_id, event_id, type, at, detail_json) VALUES (?, 'e1', 'ended', ?, NULL)`
  );
  const key = db.prepare(
    'INSERT INTO recording_keys (recording_id, wrapped_key, created_at) VALUES (?, ?, ?)'
  );
  const ids: string[] = [];
  const first = spec.first ?? 0;
  const sha = 'ab'.repeat(32);
  for (let start = 0; start < spec.count; start += 50_000) {
    db.transaction(() => {
      for (let i = start; i < Math.min(spec.count, start + 50_000); i++) {
        const n = first + i;
        const id = seededId(n);
        const at = spec.startedAt(i);
        const advisor = spec.advisorIds[i % spec.advisorIds.length] as number;
        rec.run(id, advisor, `c${n}`, spec.remoteNumber(i), at, at, n.toString(16).padStart(64, '0'), at);
        if (spec.masterKey) key.run(id, wrapDataKey(spec.masterKey, id, newDataKey()), at);
        if (spec.withSegment) {
          seg.run(id, sha, segmentKey(id), at);
          ev.run(id, at);
        }
        ids.push(id);
      }
    })();
  }
  return ids;
}

/** The blob key of a seeded recording's one segment. */
export function segmentKey(id: string): string {
  return `${id}/00000-0000000000000000.seg`;
}
