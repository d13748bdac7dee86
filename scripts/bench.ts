/**
 * `npm run bench [-- FILTER...]`: runs every benchmark module `bench/*.ts` (see bench/lib/figure.ts for the
 * contract), or only those whose file name contains one of the FILTER words.
 *
 * Output: one JSON object per figure per line, with exactly the keys name, value, unit, baseline, ratio, goal,
 * met (plus nothing else, so `grep '^{'` gives machine-readable results), then an aligned table. Exit code 1
 * when a benchmark threw or returned a malformed figure; an unmet goal is reported, not an error.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FIGURE_KEYS, type Benchmark, type Figure } from '../bench/lib/figure';

const BENCH_DIR = resolve(import.meta.dirname, '..', 'bench');

/** Benchmark files directly under `dir` (not lib/, not tests), optionally filtered by name. */
export function benchFiles(names: readonly string[], filters: readonly string[]): string[] {
  return names
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
    .sort();
}

function isBenchmark(v: unknown): v is Benchmark {
  const b = v as Partial<Benchmark> | null;
  return typeof b === 'object' && b !== null && typeof b.name === 'string' && typeof b.run === 'function';
}

/** Throws unless `f` is a Figure with the right types. */
export function checkFigure(f: unknown): Figure {
  const o = f as Record<string, unknown>;
  const ok =
    typeof o === 'object' &&
    o !== null &&
    typeof o.name === 'string' &&
    typeof o.value === 'number' &&
    typeof o.unit === 'string' &&
    typeof o.baseline === 'number' &&
    typeof o.ratio === 'number' &&
    typeof o.goal === 'string' &&
    typeof o.met === 'boolean';
  if (!ok) throw new Error(`malformed figure: ${JSON.stringify(f)}`);
  return o as unknown as Figure;
}

/** Rounds to 4 significant digits so the JSON stays readable; non-finite numbers become null in JSON. */
function round(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(4)) : x;
}

/** One JSON line with exactly the Figure keys, in contract order. */
export function figureJson(f: Figure): string {
  const rounded: Figure = { ...f, value: round(f.value), baseline: round(f.baseline), ratio: round(f.ratio) };
  return JSON.stringify(Object.fromEntries(FIGURE_KEYS.map((k) => [k, rounded[k]])));
}

function show(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1000 ? x.toFixed(0) : x.toPrecision(3);
}

/** An aligned text table of figures, numbers right-aligned. */
export function figureTable(rows: readonly Figure[]): string {
  const header = ['figure', 'value', 'unit', 'baseline', 'ratio', 'met', 'goal'];
  const cells = rows.map((f) => [
    f.name,
    show(f.value),
    f.unit,
    show(f.baseline),
    `${show(f.ratio)}x`,
    f.met ? 'yes' : 'NO',
    f.goal
  ]);
  const right = new Set([1, 3, 4]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]): string =>
    r
      .map((c, i) => (right.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

async function main(filters: string[]): Promise<number> {
  const files = benchFiles(readdirSync(BENCH_DIR), filters);
  if (files.length === 0) {
    console.error(`no benchmark in bench/ matches ${filters.join(' ')}`);
    return 1;
  }
  const figures: Figure[] = [];
  let failed = 0;
  for (const file of files) {
    try {
      const mod = (await import(pathToFileURL(join(BENCH_DIR, file)).href)) as Record<string, unknown>;
      const bench = mod.default ?? mod.benchmark;
      if (!isBenchmark(bench)) throw new Error('exports no { name, run() } as default or `benchmark`');
      console.error(`running ${bench.name} (${file}) ...`);
      for (const f of (await bench.run()).map(checkFigure)) {
        console.log(figureJson(f));
        figures.push(f);
      }
    } catch (err) {
      failed++;
      console.error(`bench/${file} failed:`, err);
    }
  }
  if (figures.length > 0) console.log(`\n${figureTable(figures)}`);
  return failed > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
