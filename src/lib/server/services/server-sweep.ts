import { getConfig } from '../config';
import { getRecordingContext } from '../recordings/server-recordings';
import { runRetentionSweep, type SweepSummary } from './retention-sweep';
import { startRepeatingJob, type RepeatingJob } from './sweep-timer';

let job: RepeatingJob | undefined;

/** Runs one retention sweep with the server's database, blob store and clock. */
export function sweepNow(options: { dryRun?: boolean; now?: Date } = {}): Promise<SweepSummary> {
  const rc = getRecordingContext();
  const now = options.now;
  return runRetentionSweep(
    { db: rc.db, store: rc.store, now: now ? () => now : rc.now, retentionDays: getConfig().retentionDays },
    { dryRun: options.dryRun }
  );
}

/**
 * Starts the server's retention sweep timer (`SWEEP_INTERVAL_MINUTES`, 0 = off), first one minute after start.
 * Idempotent. Never call it while building or under test: `hooks.server.ts` checks both.
 */
export function startServerSweep(): void {
  if (job) return;
  job = startRepeatingJob({
    intervalMinutes: getConfig().sweepIntervalMinutes,
    firstDelayMs: 60_000,
    run: async () => {
      const summary = await sweepNow();
      if (summary.deleted > 0 || summary.examined > 0) {
        process.stdout.write(`retention sweep ${JSON.stringify(summary)}\n`);
      }
    },
    onError: (err) => console.error('retention sweep failed; it will be retried next interval', err)
  });
}

/** Stops the timer (tests and graceful shutdown). */
export function stopServerSweep(): void {
  job?.stop();
  job = undefined;
}
