/**
 * The benchmark contract. A benchmark is a module `bench/<name>.ts` whose default export (or named export
 * `benchmark`) is a {@link Benchmark}; `npm run bench` (scripts/bench.ts) finds, runs and reports them.
 */

/** One measured figure, compared with a baseline measured in the same run. */
export interface Figure {
  /** What was measured, e.g. `scrypt N=2^15 r=8 p=1 hash time`. */
  name: string;
  /** The measurement. */
  value: number;
  /** Unit of value and baseline, e.g. `ms`, `hashes/s`. */
  unit: string;
  /** The same quantity for the reference implementation or setting, measured in the same run. */
  baseline: number;
  /** value / baseline. */
  ratio: number;
  /** The goal in words, including the numbers that decide `met`. */
  goal: string;
  /** Whether the goal was met in this run. */
  met: boolean;
}

/** A benchmark module's export. */
export interface Benchmark {
  name: string;
  run(): Promise<Figure[]>;
}

/** The keys of a Figure, in output order. */
export const FIGURE_KEYS = ['name', 'value', 'unit', 'baseline', 'ratio', 'goal', 'met'] as const;

/** Builds a figure with ratio = value / baseline and met decided by `meets(ratio, value)`. */
export function figure(
  name: string,
  value: number,
  unit: string,
  baseline: number,
  goal: string,
  meets: (ratio: number, value: number) => boolean
): Figure {
  const ratio = baseline === 0 ? Number.NaN : value / baseline;
  return { name, value, unit, baseline, ratio, goal, met: Number.isFinite(ratio) && meets(ratio, value) };
}

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of an empty list');
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * Times `fn` (after one warm-up call) until at least `minRuns` runs and `minMs` have passed; returns each run's
 * duration in ms.
 */
export async function timeRuns(fn: () => Promise<unknown>, minRuns = 5, minMs = 1000): Promise<number[]> {
  await fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minRuns || performance.now() - start < minMs) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times;
}

/**
 * Times several functions in rounds, each once per round in turn (after one warm-up call each), until at least
 * `minRounds` rounds and `minMs` have passed; returns each function's run durations in ms, in input order. On a
 * shared machine, the load that drifts over a measurement then weighs on every function alike, which timing
 * them one after the other does not.
 */
export async function timeInterleaved(
  fns: readonly (() => Promise<unknown>)[],
  minRounds = 5,
  minMs = 1000
): Promise<number[][]> {
  for (const fn of fns) await fn();
  const times = fns.map((): number[] => []);
  const start = performance.now();
  while ((times[0] as number[]).length < minRounds || performance.now() - start < minMs) {
    for (const [i, fn] of fns.entries()) {
      const t0 = performance.now();
      await fn();
      (times[i] as number[]).push(performance.now() - t0);
    }
  }
  return times;
}
