/**
 * Ingest throughput and p99 latency: many simulated advisors upload 40 KB segments concurrently (one in flight
 * each, as the browser's uploader does per recording) to the BUILT server (`node build/index.js` over a temp
 * DATA_DIR; advisors seeded through the user-admin service, recordings created through the API). Baseline: a
 * bare node:http server on the same machine that writes the same bytes to a new file with fsync, under the
 * same load.
 *
 * Goals on the 2-core reference machine: >= 500 segments/s, p99 < 200 ms, and >= 50% of the bare server's
 * throughput.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBuiltApp, startChild } from './lib/app-server';
import { figure, type Benchmark, type Figure } from './lib/figure';
import { mpegSegment, runIngestLoad, type LoadResult } from './lib/ingest-load';
import { createRecordings, seedAdvisors } from './lib/seed-advisors';

/** Simulated advisors uploading at once. */
export const ADVISORS = 32;
const SEGMENT_BYTES = 40 * 1024;
const WARMUP_MS = 1500;
const MEASURE_MS = 8000;

/**
 * Temp folders of both runs, removed only after both: removing the bare run's thousands of files right
 * before the app run made the app's file creates several times dearer. On an ext4 without a journal (the
 * reference machine's) the inode allocator skips, one by one, inodes freed less than 60 s ago (longer while
 * their inode table block is dirty), so every create walked the bare run's freshly freed inodes (perf: half
 * of the writer threads' CPU in ext4 find_inode_bit / recently_deleted). That is a cost of the harness, not
 * of steady ingest; the server meets it only in the minute after a mass removal (a retention sweep).
 */
function tempDir(made: string[], prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Runs the load against the bare fsync server. */
async function bareRun(body: Buffer, made: string[]): Promise<LoadResult> {
  const dir = tempDir(made, 'ap-bench-bare-');
  const bare = await startChild(
    ['--import', 'tsx', 'bench/lib/bare-ingest-server.ts'],
    { BARE_DIR: dir },
    '/'
  );
  try {
    const targets = Array.from({ length: ADVISORS }, (_, i) => ({ path: `/bare/${i}`, headers: {} }));
    return await runIngestLoad({
      port: bare.port,
      targets,
      body,
      durationMs: MEASURE_MS,
      warmupMs: WARMUP_MS
    });
  } finally {
    await bare.stop();
  }
}

/** Runs the load against the built app. */
async function appRun(body: Buffer, made: string[]): Promise<LoadResult> {
  const dataDir = tempDir(made, 'ap-bench-ingest-');
  const names = await seedAdvisors(dataDir, ADVISORS);
  const app = await startBuiltApp(dataDir);
  try {
    const targets = await createRecordings(app.url, names);
    return await runIngestLoad({
      port: app.port,
      targets,
      body,
      durationMs: MEASURE_MS,
      warmupMs: WARMUP_MS
    });
  } finally {
    await app.stop();
  }
}

/** The three ingest figures from an app run and a bare run. */
export function ingestFigures(app: LoadResult, bare: LoadResult, label: string): Figure[] {
  return [
    figure(
      `ingest throughput, ${label} (bare fsync server as baseline)`,
      app.rate,
      'segments/s',
      bare.rate,
      '>= 500 segments/s and ratio >= 0.5 of the bare server',
      (ratio, value) => value >= 500 && ratio >= 0.5
    ),
    figure(
      `ingest p99 latency, ${label} (bare fsync server as baseline)`,
      app.p99,
      'ms',
      bare.p99,
      'p99 < 200 ms',
      (_ratio, value) => value < 200
    )
  ];
}

const benchmark: Benchmark = {
  name: 'ingest',
  async run() {
    const body = mpegSegment(SEGMENT_BYTES);
    const made: string[] = [];
    try {
      const bare = await bareRun(body, made);
      const app = await appRun(body, made);
      if (app.failed > 0) console.error('ingest: non-201 answers', app.statuses);
      console.error(
        `ingest: app ${app.ok} ok p50 ${app.p50.toFixed(1)} ms; bare ${bare.ok} ok p50 ${bare.p50.toFixed(1)} ms`
      );
      return ingestFigures(app, bare, `${ADVISORS} advisors, ${body.length} B segments`);
    } finally {
      for (const dir of made) rmSync(dir, { recursive: true, force: true });
    }
  }
};

export default benchmark;
