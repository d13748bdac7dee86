/**
 * Retention sweep CLI: `npm run sweep -- [--now ISO] [--dry-run]`. A thin shell over
 * src/lib/server/services/retention-sweep.ts with the server's DATA_DIR, database and encrypted store.
 *
 * Prints one JSON summary {now, retentionDays, examined, deleted, skippedHold, skippedSar, dryRun} on stdout
 * (with --dry-run, `deleted` counts what would be deleted and nothing changes). Safe to interrupt and re-run.
 * Exit codes: 0 done, 2 bad arguments or configuration, 1 the sweep failed (re-run it to finish).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/lib/server/config';
import { openDataDirDatabase } from '../src/lib/server/db/open-database';
import { loadRecordingConfig } from '../src/lib/server/recording-config';
import { runRetentionSweep } from '../src/lib/server/services/retention-sweep';
import { EncryptedFileStore } from '../src/lib/server/storage/encrypted-file-store';

const USAGE = 'usage: npm run sweep -- [--now 2025-06-01T00:00:00Z] [--dry-run]';
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/;

class UsageError extends Error {}

/** Parses the CLI arguments. @throws UsageError */
export function parseSweepArgs(
  args: string[],
  clock: () => Date = () => new Date()
): { now: Date; dryRun: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { now: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
      strict: true,
      allowPositionals: false
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const text = parsed.values.now;
  if (text !== undefined && (!ISO_UTC.test(text) || Number.isNaN(Date.parse(text)))) {
    throw new UsageError(`--now must be an ISO-8601 UTC time, got "${text}"`);
  }
  return { now: text === undefined ? clock() : new Date(text), dryRun: parsed.values['dry-run'] ?? false };
}

async function main(args: string[]): Promise<number> {
  let options;
  let config;
  try {
    options = parseSweepArgs(args);
    config = loadConfig();
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      console.error(`${err.message}\n${USAGE}`);
      return 2;
    }
    throw err;
  }
  const recording = loadRecordingConfig(process.env, config.dataDir);
  const db = openDataDirDatabase(config.dataDir);
  try {
    const summary = await runRetentionSweep(
      {
        db,
        store: new EncryptedFileStore(join(config.dataDir, 'audio'), recording.recordingKey),
        now: () => options.now,
        retentionDays: config.retentionDays
      },
      { dryRun: options.dryRun }
    );
    console.log(JSON.stringify(summary));
    return 0;
  } catch (err) {
    console.error('sweep failed (safe to re-run):', err);
    return 1;
  } finally {
    db.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
