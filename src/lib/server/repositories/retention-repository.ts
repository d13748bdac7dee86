import type { Db } from '../db/open-database';

/** A live recording past the retention cutoff, with the facts that may exempt it. */
export interface ExpiredCandidate {
  id: string;
  startedAt: string;
  underLegalHold: boolean;
  coveredByOpenSar: boolean;
}

/**
 * The next `limit` live recordings (status 'open' or 'complete') started at or before `cutoff`, in
 * (started_at, id) order after `after`, each flagged when under legal hold or matching a subject of an open
 * SAR case (its remote number is one of the case's phone numbers, or its advisor one of the case's advisors).
 */
export function listExpiredCandidates(
  db: Db,
  cutoff: string,
  after: { startedAt: string; id: string } | null,
  limit: number
): ExpiredCandidate[] {
  const rows = db
    .prepare(
      `SELECT r.id, r.started_at,
         EXISTS (SELECT 1 FROM legal_holds h WHERE h.recording_id = r.id) AS held,
         EXISTS (
           SELECT 1 FROM sar_subjects s JOIN sar_cases c ON c.id = s.case_id
           WHERE c.status = 'open' AND s.kind = 'phone' AND s.value = r.remote_number
         ) OR EXISTS (
           SELECT 1 FROM sar_subjects s JOIN sar_cases c ON c.id = s.case_id
           WHERE c.status = 'open' AND s.kind = 'advisor' AND s.user_id = r.advisor_id
         ) AS sar
       FROM recordings r
       WHERE r.started_at <= @cutoff
         AND r.status IN ('open', 'complete')
         AND (@afterStartedAt IS NULL OR (r.started_at, r.id) > (@afterStartedAt, @afterId))
       ORDER BY r.started_at, r.id
       LIMIT @limit`
    )
    .all({
      cutoff,
      afterStartedAt: after?.startedAt ?? null,
      afterId: after?.id ?? null,
      limit
    }) as { id: string; started_at: string; held: number; sar: number }[];
  return rows.map((r) => ({
    id: r.id,
    startedAt: r.started_at,
    underLegalHold: r.held === 1,
    coveredByOpenSar: r.sar === 1
  }));
}

/** Queues a recording's audio folder for removal (idempotent). Call it in the transaction that expires or erases. */
export function queueAudioPurge(db: Db, recordingId: string, now: string): void {
  db.prepare('INSERT OR IGNORE INTO audio_purges (recording_id, queued_at) VALUES (?, ?)').run(
    recordingId,
    now
  );
}

/** The oldest queued purges. */
export function listAudioPurges(db: Db, limit: number): string[] {
  return (
    db
      .prepare('SELECT recording_id FROM audio_purges ORDER BY queued_at, recording_id LIMIT ?')
      .all(limit) as {
      recording_id: string;
    }[]
  ).map((r) => r.recording_id);
}

/** Forgets purges whose folders the blob store has removed. */
export function deleteAudioPurges(db: Db, recordingIds: readonly string[]): void {
  const del = db.prepare('DELETE FROM audio_purges WHERE recording_id = ?');
  db.transaction(() => {
    for (const id of recordingIds) del.run(id);
  })();
}
