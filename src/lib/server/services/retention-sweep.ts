import { retentionCutoff, retentionDecision } from '../../domain/retention';
import { appendAudit, SYSTEM_ACTOR } from '../audit/append-audit';
import type { Db } from '../db/open-database';
import { recordingRepository } from '../repositories/recording-repository';
import {
  deleteAudioPurges,
  listAudioPurges,
  listExpiredCandidates,
  queueAudioPurge,
  type CandidateCursor
} from '../repositories/retention-repository';

/** The part of the blob store the sweep needs: removing a recording's folder for real (absent is fine). */
export interface AudioRemover {
  deletePrefix(prefix: string): Promise<void>;
  /**
   * Optional pair for batches: remove a folder without making the removal durable yet, then make many
   * removals durable at once (the file store: one directory fsync per batch instead of one per recording).
   */
  removePrefixUnsynced?(prefix: string): Promise<void>;
  syncRemovals?(prefixes: readonly string[]): Promise<void>;
}

/** Side effects and settings of {@link runRetentionSweep}. */
export interface SweepContext {
  db: Db;
  store: AudioRemover;
  now: () => Date;
  /** `RETENTION_DAYS`. */
  retentionDays: number;
  /** Recordings per transaction; default 500. */
  batchSize?: number;
  /** Folders removed at once; default 8. */
  deleteConcurrency?: number;
}

/** What a sweep did (or, with dryRun, would do). Printed by `npm run sweep` as JSON. */
export interface SweepSummary {
  now: string;
  retentionDays: number;
  /** Live recordings past the retention period that were looked at. */
  examined: number;
  /** Deleted (dry run: would be deleted). */
  deleted: number;
  /** Kept because under legal hold. */
  skippedHold: number;
  /** Kept because covered by an open subject access request case. */
  skippedSar: number;
  dryRun: boolean;
}

const DEFAULT_BATCH = 500;
const LIVE_STATUSES = ['open', 'complete'] as const;

/**
 * Removes queued audio folders (left by this sweep's batches, by erasure, or by an earlier run that was
 * interrupted) and forgets each queue entry only after its folder is gone.
 * @returns how many folders were removed.
 */
export async function drainAudioPurges(ctx: SweepContext): Promise<number> {
  const batch = ctx.batchSize ?? DEFAULT_BATCH;
  const concurrency = ctx.deleteConcurrency ?? 8;
  let removed = 0;
  for (;;) {
    const ids = listAudioPurges(ctx.db, batch);
    if (ids.length === 0) return removed;
    const store = ctx.store;
    const unsynced = store.removePrefixUnsynced?.bind(store);
    const sync = store.syncRemovals?.bind(store);
    const remove = unsynced && sync ? unsynced : (id: string) => store.deletePrefix(id);
    const done: string[] = [];
    try {
      for (let i = 0; i < ids.length; i += concurrency) {
        const slice = ids.slice(i, i + concurrency);
        await Promise.all(slice.map(remove));
        done.push(...slice);
      }
    } finally {
      // Forget only what is confirmed gone (and durably so), also when a removal failed part-way; if the
      // batch's sync fails, nothing is forgotten and the next drain removes the folders again.
      if (unsynced && sync && done.length > 0) await sync(done);
      deleteAudioPurges(ctx.db, done);
      removed += done.length;
    }
  }
}

/**
 * The retention sweep: for every live recording past `retentionDays` (started at or before now minus the
 * period), unless under legal hold or covered by an open SAR case, removes its personal data and audio and
 * leaves a tombstone, with one audit row per deletion (actor `system`).
 *
 * Crash safety, step by step:
 * 1. One IMMEDIATE transaction per batch clears the personal data columns, deletes the segment and timeline
 *    rows, writes the tombstone and audit row, and queues the recording's audio folder in `audio_purges`.
 * 2. The folders are removed from the blob store (their parent folder synced once per batch); only then are
 *    their queue entries deleted.
 *
 * A crash inside step 1 rolls the batch back (the next run picks it up again); a crash during or after step 2
 * leaves queue entries that the next run drains first. Personal data never outlives its row's transaction,
 * and no audio folder ever loses the queue entry that points at it. Re-running is therefore always safe.
 * Held rows are re-checked inside each batch transaction, so a hold placed mid-sweep is honoured.
 */
export async function runRetentionSweep(
  ctx: SweepContext,
  options: { dryRun?: boolean } = {}
): Promise<SweepSummary> {
  const dryRun = options.dryRun ?? false;
  const now = ctx.now();
  const nowIso = now.toISOString();
  const cutoff = retentionCutoff(now, ctx.retentionDays);
  const limit = ctx.batchSize ?? DEFAULT_BATCH;
  const summary: SweepSummary = {
    now: nowIso,
    retentionDays: ctx.retentionDays,
    examined: 0,
    deleted: 0,
    skippedHold: 0,
    skippedSar: 0,
    dryRun
  };
  if (!dryRun) await drainAudioPurges(ctx);
  const repo = recordingRepository(ctx.db);
  for (const status of LIVE_STATUSES) {
    let after: CandidateCursor | null = null;
    for (;;) {
      const batch = (): number => {
        const rows = listExpiredCandidates(ctx.db, status, cutoff, after, limit);
        for (const row of rows) {
          summary.examined++;
          const decision = retentionDecision(row, now, ctx.retentionDays);
          if (decision === 'held') summary.skippedHold++;
          else if (decision === 'sar') summary.skippedSar++;
          else if (decision === 'delete' && dryRun) summary.deleted++;
          else if (decision === 'delete') {
            // The candidate was read in this same transaction, so it is still live and not held.
            repo.removeRecordingData(row.id, {
              status: 'expired',
              at: nowIso,
              reason: null,
              reference: null
            });
            queueAudioPurge(ctx.db, row.id, nowIso);
            summary.deleted++;
            appendAudit(
              ctx.db,
              {
                actor: SYSTEM_ACTOR,
                action: 'recording.expire',
                target: row.id,
                result: 'ok',
                detail: { startedOn: row.startedAt.slice(0, 10), retentionDays: ctx.retentionDays }
              },
              now
            );
          }
        }
        const last = rows[rows.length - 1];
        if (last) after = { startedAt: last.startedAt, rowid: last.rowid };
        return rows.length;
      };
      const count = dryRun ? batch() : ctx.db.transaction(batch).immediate();
      if (!dryRun) await drainAudioPurges(ctx);
      if (count < limit) break;
      // Let the server answer requests between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return summary;
}
