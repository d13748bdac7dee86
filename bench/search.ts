/**
 * Search latency by phone number over 1,000,000 recordings: the recordings repository's own search query
 * (`status IN ('open','complete') AND remote_number = ? ORDER BY started_at DESC, id DESC LIMIT 50`) on a
 * temp SQLite file seeded with one prepared statement per row inside large transactions. About 5 recordings
 * per number across 200,000 numbers, 8 advisors, 180 days.
 *
 * Baseline, same run: the same query after `DROP INDEX recordings_remote_number` (what it costs without the
 * index: a scan). Goal: p99 < 20 ms with the index.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/lib/server/db/open-database';
import { recordingRepository } from '../src/lib/server/repositories/recording-repository';
import { figure, median, type Benchmark } from './lib/figure';
import { percentile } from './lib/percentile';
import { seedAdvisorRow, seedRecordingRows } from './lib/seed-recordings';

const RECORDINGS = 1_000_000;
const NUMBERS = 200_000;
const QUERIES = 1000;
const BASELINE_QUERIES = 5;

const number = (k: number): string => `+44770${String(k).padStart(7, '0')}`;

/** A deterministic pseudo-random sequence (LCG), so runs query the same numbers. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const benchmark: Benchmark = {
  name: 'search',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'ap-bench-search-'));
    const db = openDatabase(join(dir, 'search.sqlite'));
    try {
      const advisors = Array.from({ length: 8 }, (_, i) => seedAdvisorRow(db, `adv${i}`, 'north'));
      const t0 = Date.parse('2025-01-01T00:00:00.000Z');
      const seedStart = performance.now();
      seedRecordingRows(db, {
        count: RECORDINGS,
        advisorIds: advisors,
        startedAt: (i) => new Date(t0 + Math.floor((i * 180 * 86_400_000) / RECORDINGS)).toISOString(),
        remoteNumber: (i) => number((i * 7919) % NUMBERS)
      });
      db.exec('ANALYZE');
      console.error(
        `search: seeded ${RECORDINGS} rows in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`
      );
      const repo = recordingRepository(db);
      const random = lcg(42);
      const query = () => repo.search({ remoteNumber: number(Math.floor(random() * NUMBERS)) }, null, 50);
      for (let i = 0; i < 50; i++) query();
      const times: number[] = [];
      let found = 0;
      for (let i = 0; i < QUERIES; i++) {
        const q0 = performance.now();
        found += query().length;
        times.push(performance.now() - q0);
      }
      db.exec('DROP INDEX recordings_remote_number');
      const scans: number[] = [];
      for (let i = 0; i < BASELINE_QUERIES; i++) {
        const q0 = performance.now();
        query();
        scans.push(performance.now() - q0);
      }
      console.error(`search: ${(found / QUERIES).toFixed(1)} recordings per number on average`);
      return [
        figure(
          `search by phone number, p99 of ${QUERIES}, ${RECORDINGS} recordings (baseline: same query without its index)`,
          percentile(times, 0.99),
          'ms',
          median(scans),
          'p99 < 20 ms',
          (_ratio, value) => value < 20
        ),
        figure(
          `search by phone number, median, ${RECORDINGS} recordings (baseline: same query without its index)`,
          median(times),
          'ms',
          median(scans),
          'informational: median < 20 ms',
          (_ratio, value) => value < 20
        )
      ];
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
};

export default benchmark;
