/**
 * Retention sweep rate for 100,000 expired recordings, and ingest p99 while it runs.
 *
 * Setup: a temp DATA_DIR with 100,000 recordings that started in 2020 (each with its wrapped data key, a segment
 * row, a timeline event and a small file in its own folder under audio/, seeded directly), plus 16 advisors.
 * The sweep runs as its own process (like `npm run sweep`) against the same database and files while the BUILT
 * server takes 40 KB segments from the 16 advisors.
 *
 * The sweep has two phases (services/retention-sweep.ts): erasure (data keys, personal data, timeline,
 * tombstones, audit rows; from its commit on the audio cannot be decrypted) and reclaim (unlinking the files).
 *
 * Figures and baselines, same run:
 * - sweep rate (recordings/s erased, from the sweep process's start line to its `erased` line, or to SIGTERM
 *   after 60 s if erasure is still running, counting the rows it expired) vs removing bare folders with `rm`
 *   and no database; goal >= 5,000/s.
 * - reclaim rate (folders/s unlinked after erasure, while ingest runs) vs the same bare `rm` (measured without
 *   ingest, so the ratio shows what the disk shared with uploads costs). The issue sets no goal for it: the
 *   audio is already undecryptable. Ours: >= 100 folders/s, so a day of a 1,000-advisor centre (~100,000
 *   recordings) is unlinked within about 17 minutes of the hourly sweep.
 * - ingest p99 while the sweep process runs (both phases) vs ingest p99 just before it; goal ratio <= 2.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDataDirDatabase } from '../src/lib/server/db/open-database';
import { loadRecordingConfig } from '../src/lib/server/recording-config';
import { REPO_ROOT, startBuiltApp } from './lib/app-server';
import { figure, type Benchmark } from './lib/figure';
import { mpegSegment, runIngestLoad } from './lib/ingest-load';
import { percentile } from './lib/percentile';
import { createRecordings, seedAdvisors } from './lib/seed-advisors';
import { seedAdvisorRow, seedRecordingRows, segmentKey } from './lib/seed-recordings';

/** `BENCH_SWEEP_RECORDINGS` lowers it on a slow disk; the goal is stated for 100,000. */
const EXPIRED = Number(process.env.BENCH_SWEEP_RECORDINGS ?? 100_000);
const BARE_FOLDERS = 20_000;
/** The sweep is stopped (safely) after this long so the benchmark stays bounded; its rate is what it did. */
const SWEEP_DEADLINE_MS = 60_000;
const ADVISORS = 16;

/** One small file per recording in the store's layout (content is irrelevant to deletion), 64 at a time. */
async function writeFiles(root: string, ids: readonly string[]): Promise<void> {
  const blob = Buffer.alloc(256, 7);
  mkdirSync(root, { recursive: true });
  for (let i = 0; i < ids.length; i += 64) {
    await Promise.all(
      ids.slice(i, i + 64).map(async (id) => {
        await mkdir(join(root, id));
        await writeFile(join(root, segmentKey(id)), blob);
      })
    );
  }
}

/** Folders per second removed by plain `rm` with bounded concurrency, no database: the floor of any sweep. */
async function bareRemovalRate(dir: string): Promise<number> {
  const ids = Array.from({ length: BARE_FOLDERS }, (_, i) => `f${i}`);
  await writeFiles(dir, ids);
  const t0 = performance.now();
  for (let i = 0; i < ids.length; i += 8) {
    await Promise.all(ids.slice(i, i + 8).map((id) => rm(join(dir, id), { recursive: true, force: true })));
  }
  return ids.length / ((performance.now() - t0) / 1000);
}

/** What the sweep process did until it finished or was stopped at the deadline. */
interface SweepRun {
  /** performance.now() at the start line, the `erased` line (0 if none) and the end. */
  startedAt: number;
  erasedAt: number;
  endedAt: number;
  /** From start to the `erased` line (or to the stop, if erasure never finished). */
  erasureSeconds: number;
  /** From the `erased` line to the end (or the stop); 0 when erasure never finished. */
  reclaimSeconds: number;
  erased: boolean;
  finished: boolean;
}

/** Runs the sweep process; stops it with SIGTERM after `deadlineMs` (the sweep is safe to interrupt). */
function runSweepProcess(dataDir: string, deadlineMs: number): Promise<SweepRun> {
  return new Promise((done, fail) => {
    let out = '';
    let started = 0;
    let erasedAt = 0;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'bench/lib/sweep-worker.ts', '2021-01-01T00:00:00Z'],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'inherit']
      }
    );
    const timer = setTimeout(() => child.kill('SIGTERM'), deadlineMs);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!started && out.startsWith('start\n')) started = performance.now();
      if (!erasedAt && /^erased \d+$/m.test(out)) erasedAt = performance.now();
    });
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const end = performance.now();
      const run = {
        startedAt: started,
        erasedAt,
        endedAt: end,
        erasureSeconds: ((erasedAt || end) - started) / 1000,
        reclaimSeconds: erasedAt ? (end - erasedAt) / 1000 : 0,
        erased: erasedAt > 0
      };
      if (code === 0) done({ ...run, finished: true });
      else if (signal === 'SIGTERM' && started) done({ ...run, finished: false });
      else fail(new Error(`sweep exited ${code ?? signal}`));
    });
  });
}

/** Rows the sweep expired, and folders still queued for unlinking. */
function countExpired(dataDir: string): { expired: number; queued: number } {
  const db = openDataDirDatabase(dataDir);
  const n = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
  try {
    return {
      expired: n("SELECT count(*) AS n FROM recordings WHERE status = 'expired'"),
      queued: n('SELECT count(*) AS n FROM audio_purges')
    };
  } finally {
    db.close();
  }
}

const benchmark: Benchmark = {
  name: 'sweep',
  async run() {
    const dataDir = mkdtempSync(join(tmpdir(), 'ap-bench-sweep-'));
    try {
      const bare = await bareRemovalRate(join(dataDir, 'bare'));
      const names = await seedAdvisors(dataDir, ADVISORS);
      const db = openDataDirDatabase(dataDir);
      let ids: string[];
      try {
        const owner = seedAdvisorRow(db, 'bench-old-advisor', 'north');
        const t0 = Date.parse('2020-01-01T00:00:00.000Z');
        ids = seedRecordingRows(db, {
          count: EXPIRED,
          advisorIds: [owner],
          startedAt: (i) => new Date(t0 + i * 60_000).toISOString(),
          remoteNumber: (i) => `+44770${String(i).padStart(7, '0')}`,
          withSegment: true,
          masterKey: loadRecordingConfig(process.env, dataDir).recordingKey
        });
      } finally {
        db.close();
      }
      await writeFiles(join(dataDir, 'audio'), ids);
      console.error(`sweep: seeded ${EXPIRED} expired recordings with their files`);

      const app = await startBuiltApp(dataDir);
      try {
        const targets = await createRecordings(app.url, names);
        const body = mpegSegment(40 * 1024);
        const quiet = await runIngestLoad({
          port: app.port,
          targets,
          body,
          durationMs: 6000,
          warmupMs: 1000
        });
        const sweep = runSweepProcess(dataDir, SWEEP_DEADLINE_MS);
        const busy = await runIngestLoad({
          port: app.port,
          targets,
          body,
          durationMs: 120_000,
          warmupMs: 0,
          firstSeq: 50_000,
          until: sweep
        });
        const run = await sweep;
        const { expired: deleted, queued } = countExpired(dataDir);
        if (run.finished && (deleted !== EXPIRED || queued !== 0)) {
          throw new Error(`sweep deleted ${deleted} of ${EXPIRED}, ${queued} folders left queued`);
        }
        const reclaimed = run.erased ? deleted - queued : 0;
        const p99Between = (from: number, to: number): string => {
          const ms = busy.uploads.filter((u) => u.at >= from && u.at < to).map((u) => u.ms);
          return ms.length ? `${percentile(ms, 0.99).toFixed(0)} ms (${ms.length} uploads)` : 'n/a';
        };
        console.error(
          `sweep: ingest p99 during erasure ${p99Between(run.startedAt, run.erasedAt || run.endedAt)}, ` +
            `during reclaim ${run.erasedAt ? p99Between(run.erasedAt, run.endedAt) : 'n/a'}`
        );
        console.error(
          `sweep: erased ${deleted} of ${EXPIRED} in ${run.erasureSeconds.toFixed(1)} s` +
            `${run.erased ? '' : ' (stopped at the deadline)'}, then unlinked ${reclaimed} folders in ` +
            `${run.reclaimSeconds.toFixed(1)} s${run.finished ? '' : ' (stopped at the deadline)'}; ` +
            `ingest quiet ${quiet.rate.toFixed(0)}/s p99 ` +
            `${quiet.p99.toFixed(0)} ms, during sweep ${busy.rate.toFixed(0)}/s p99 ${busy.p99.toFixed(0)} ms`
        );
        return [
          figure(
            `sweep rate (erasure: data keys, personal data, tombstones, audit), ${EXPIRED} expired recordings ` +
              'while ingest runs (baseline: bare folder removal, no database)',
            deleted / run.erasureSeconds,
            'recordings/s',
            bare,
            '>= 5000 recordings/s',
            (_ratio, value) => value >= 5000
          ),
          figure(
            'reclaim rate after erasure (unlinking the audio folders) while ingest runs ' +
              '(baseline: bare folder removal, no database)',
            run.reclaimSeconds > 0 ? reclaimed / run.reclaimSeconds : 0,
            'folders/s',
            bare,
            '>= 100 folders/s',
            (_ratio, value) => value >= 100
          ),
          figure(
            `ingest p99 while the sweep runs, ${ADVISORS} advisors (baseline: p99 just before)`,
            busy.p99,
            'ms',
            quiet.p99,
            'ratio <= 2',
            (ratio) => ratio <= 2
          )
        ];
      } finally {
        await app.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
};

export default benchmark;
