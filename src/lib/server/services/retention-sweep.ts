import { retentionCutoff, retentionDecision } from '../../domain/retention';
import { appendAuditRows, SYSTEM_ACTOR, type AuditEntry } from '../audit/append-audit';
import type { Db } from '../db/open-database';
import { forgetDataKeys } from '../recordings/recording-keys';
import { recordingRepository } from '../repositories/recording-repository';
import {
  deleteAudioPurges,
  listAudioPurges,
  listExpiredCandidates,
  queueAudioPurges,
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
  /** Recordings per transaction; default 200 (about 20 ms of holding the write lock on the reference machine). */
  batchSize?: number;
  /**
   * After each erasure batch, the sweep leaves the database alone for this fraction of the time the batch held
   * the write lock (default 0.5), so other writers — uploads in the server, or the server while the CLI
   * sweeps — get the lock between batches instead of polling against back-to-back transactions.
   */
  yieldRatio?: number;
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
  /** Audio folders unlinked by this run: this run's deletions and any an earlier run or erasure left queued. */
  audioFoldersRemoved: number;
  dryRun: boolean;
}

const DEFAULT_BATCH = 200;
const DEFAULT_YIELD_RATIO = 0.5;
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

/** Optional hooks of {@link runRetentionSweep}. */
export interface SweepOptions {
  dryRun?: boolean;
  /**
   * Called once every expired recording's data key and personal data are gone (its audio unreadable from then
   * on), before the files are unlinked. The benchmark times the two phases apart with it.
   */
  onErased?: (summary: SweepSummary) => void;
}

/**
 * The retention sweep: for every live recording past `retentionDays` (started at or before now minus the
 * period), unless under legal hold or covered by an open SAR case, destroys its data key, removes its
 * personal data and timeline and leaves a tombstone, with one audit row per deletion (actor `system`); then
 * unlinks the audio files.
 *
 * Two phases, for speed and crash safety:
 * 1. Erasure. One IMMEDIATE transaction per batch of candidates deletes the batch's wrapped data keys (from
 *    that commit on, the audio cannot be decrypted: crypto-erasure, see storage/data-keys.ts), segment and
 *    timeline rows, clears the personal columns, writes tombstones and audit rows, and queues each
 *    recording's audio folder in `audio_purges`. Set statements per batch keep this at thousands per second.
 * 2. Reclaim. The queued folders are unlinked (their parent synced once per batch), and only then are their
 *    queue entries deleted; finally the WAL is checkpointed and truncated, so no old page holding a deleted
 *    key lingers there.
 *
 * A crash inside a batch rolls it back (the next run picks it up again); a crash after it leaves queue entries
 * that the next run's reclaim removes. Personal data and keys never outlive their batch's transaction, and no
 * audio folder ever loses the queue entry that points at it, so re-running is always safe. Held rows are
 * re-checked inside each batch transaction, so a hold placed mid-sweep is honoured. Recordings made before
 * per-recording keys (no key row) are unreadable only once phase 2 has unlinked their files.
 */
export async function runRetentionSweep(
  ctx: SweepContext,
  options: SweepOptions = {}
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
    audioFoldersRemoved: 0,
    dryRun
  };
  const repo = recordingRepository(ctx.db);
  for (const status of LIVE_STATUSES) {
    let after: CandidateCursor | null = null;
    for (;;) {
      const batch = (): number => {
        const rows = listExpiredCandidates(ctx.db, status, cutoff, after, limit);
        const expired: string[] = [];
        const audits: AuditEntry[] = [];
        for (const row of rows) {
          summary.examined++;
          const decision = retentionDecision(row, now, ctx.retentionDays);
          if (decision === 'held') summary.skippedHold++;
          else if (decision === 'sar') summary.skippedSar++;
          else if (decision === 'delete') {
            summary.deleted++;
            expired.push(row.id);
            audits.push({
              actor: SYSTEM_ACTOR,
              action: 'recording.expire',
              target: row.id,
              result: 'ok',
              detail: { startedOn: row.startedAt.slice(0, 10), retentionDays: ctx.retentionDays }
            });
          }
        }
        // The candidates were read in this same transaction, so they are still live and not held.
        if (!dryRun) {
          repo.removeRecordingData(expired, { status: 'expired', at: nowIso, reason: null, reference: null });
          forgetDataKeys(expired);
          queueAudioPurges(ctx.db, expired, nowIso);
          appendAuditRows(ctx.db, audits, now);
        }
        const last = rows[rows.length - 1];
        if (last) after = { startedAt: last.startedAt, rowid: last.rowid };
        return rows.length;
      };
      const began = performance.now();
      const count = dryRun ? batch() : ctx.db.transaction(batch).immediate();
      if (count < limit) break;
      // Let other writers (and this server's requests) have the database between batches.
      const pauseMs = dryRun ? 0 : (performance.now() - began) * (ctx.yieldRatio ?? DEFAULT_YIELD_RATIO);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
  if (dryRun) return summary;
  options.onErased?.(summary);
  summary.audioFoldersRemoved = await drainAudioPurges(ctx);
  ctx.db.pragma('wal_checkpoint(TRUNCATE)');
  return summary;
}
