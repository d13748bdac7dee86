/**
 * Child process of the sweep benchmark: runs one retention sweep over DATA_DIR with the encrypted store (as
 * `npm run sweep` does). Prints `start` when the sweep begins, `erased <deleted>` when every expired
 * recording's data key and personal data are gone (phase 1), and `{"summary": …, "ms": …}` when the files
 * are unlinked too (phase 2); the benchmark may stop it with SIGTERM before that (the sweep is safe to
 * interrupt). Run with
 * `node --import tsx bench/lib/sweep-worker.ts <now ISO>`.
 */
import { join } from 'node:path';
import { openDataDirDatabase } from '../../src/lib/server/db/open-database';
import { loadRecordingConfig } from '../../src/lib/server/recording-config';
import { runRetentionSweep } from '../../src/lib/server/services/retention-sweep';
import { EncryptedFileStore } from '../../src/lib/server/storage/encrypted-file-store';

const dataDir = process.env.DATA_DIR ?? '';
const now = new Date(process.argv[2] ?? '');
const db = openDataDirDatabase(dataDir);
const store = new EncryptedFileStore(
  join(dataDir, 'audio'),
  loadRecordingConfig(process.env, dataDir).recordingKey
);
process.stdout.write('start\n');
const t0 = performance.now();
const summary = await runRetentionSweep(
  {
    db,
    store,
    now: () => now,
    retentionDays: 90
  },
  { onErased: (s) => process.stdout.write(`erased ${s.deleted}\n`) }
);
const ms = performance.now() - t0;
db.close();
console.log(JSON.stringify({ summary, ms }));
