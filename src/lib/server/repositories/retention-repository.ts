import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open-database';

/** A live recording past the retention cutoff, with the facts that may exempt it. */
export interface ExpiredCandidate {
  id: string;
  /** Keyset position together with startedAt. */
  rowid: number;
  startedAt: string;
  underLegalHold: boolean;
  coveredByOpenSar: boolean;
}

/** Where the previous page of {@link listExpiredCandidates} ended. */
export interface CandidateCursor {
  startedAt: string;
  rowid: number;
}

/**
 * The next `limit` recordings with `status` started at or before `cutoff`, in (started_at, rowid) order after
 * `after` (the order of the index on (status, started_at), so no page sorts or rescans earlier rows), each
 * flagged when under legal hold or matching a subject of an open SAR case (its remote number is one of the
 * case's phone numbers, or its advisor one of the case's advisors).
 */
export function listExpiredCandidates(
  db: Db,
  status: 'open' | 'complete',
  cutoff: string,
  after: CandidateCursor | null,
  limit: number
): ExpiredCandidate[] {
  const rows = db
    .prepare(
      `SELECT r.rowid AS rowid, r.id, r.started_at,
         EXISTS (SELECT 1 FROM legal_holds h WHERE h.recording_id = r.id) AS held,
         EXISTS (
           SELECT 1 FROM sar_subjects s JOIN sar_cases c ON c.id = s.case_id
           WHERE c.status = 'open' AND s.kind = 'phone' AND s.value = r.remote_number
         ) OR EXISTS (
           SELECT 1 FROM sar_subjects s JOIN sar_cases c ON c.id = s.case_id
           WHERE c.status = 'open' AND s.kind = 'advisor' AND s.user_id = r.advisor_id
         ) AS sar
       FROM recordings r INDEXED BY recordings_status_started
       WHERE r.status = @status
         AND r.started_at <= @cutoff
         AND (r.started_at, r.rowid) > (@afterStartedAt, @afterRowid)
       ORDER BY r.started_at, r.rowid
       LIMIT @limit`
    )
    .all({
      status,
      cutoff,
      afterStartedAt: after?.startedAt ?? '',
      afterRowid: after?.rowid ?? 0,
      limit
    }) as { rowid: number; id: string; started_at: string; held: number; sar: number }[];
  return rows.map((r) => ({
    id: r.id,
    rowid: r.rowid,
    startedAt: r.started_at,
    underLegalHold: r.held === 1,
    coveredByOpenSar: r.sar === 1
  }));
}

interface PurgeStatements {
  queue: Statement;
  list: Statement;
  remove: Statement;
}

const statements = new WeakMap<Db, PurgeStatements>();

/** The purge queue's statements, prepared once per connection (the sweep runs them per recording). */
function purge(db: Db): PurgeStatements {
  let s = statements.get(db);
  if (!s) {
    s = {
      queue: db.prepare(
        'INSERT OR IGNORE INTO audio_purges (recording_id, queued_at) SELECT value, ? FROM json_each(?)'
      ),
      list: db.prepare('SELECT recording_id FROM audio_purges ORDER BY recording_id LIMIT ?'),
      remove: db.prepare('DELETE FROM audio_purges WHERE recording_id = ?')
    };
    statements.set(db, s);
  }
  return s;
}

/** Queues recordings' audio folders for removal (idempotent). Call it in the transaction that expires or erases. */
export function queueAudioPurges(db: Db, recordingIds: readonly string[], now: string): void {
  if (recordingIds.length > 0) purge(db).queue.run(now, JSON.stringify(recordingIds));
}

/**
 * Up to `limit` queued purges, in primary-key order (no sort: a queue of 100,000 sorted by time for every
 * batch of 500 made the reclaim quadratic; every entry is drained in the same run anyway).
 */
export function listAudioPurges(db: Db, limit: number): string[] {
  return (purge(db).list.all(limit) as { recording_id: string }[]).map((r) => r.recording_id);
}

/** Forgets purges whose folders the blob store has removed, in one transaction. */
export function deleteAudioPurges(db: Db, recordingIds: readonly string[]): void {
  const remove = purge(db).remove;
  db.transaction(() => {
    for (const id of recordingIds) remove.run(id);
  })();
}
