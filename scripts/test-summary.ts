/**
 * Sums the results of `scripts/test.sh` into one line.
 *
 * test.sh appends one tab-separated row per suite to a steps file:
 * `name  kind  exitCode  reportPath  seconds`, where kind is
 * - `check`: a static check (prettier, eslint, svelte-check, build) counts as ONE test, passed when it exits 0;
 * - `vitest`: counts come from Vitest's JSON reporter file;
 * - `playwright`: counts come from Playwright's JSON reporter file.
 * A runner with no readable report counts as 1 failed; a runner that exits non-zero although its report shows no
 * failure also counts 1 failed, so a red exit code is never summed into green.
 *
 * Usage: `tsx scripts/test-summary.ts <steps.tsv>`. Prints one line per suite, then as the very last line
 * `N passed, N failed` (`, N skipped` appended when anything was skipped). Exit code 1 when anything failed.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Test counts of one suite or of the whole run. */
export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

/** How a suite is counted, see the file comment. */
export type StepKind = 'check' | 'vitest' | 'playwright';

/** One row of the steps file written by scripts/test.sh. */
export interface Step {
  name: string;
  kind: StepKind;
  exitCode: number;
  reportPath: string;
  seconds: number;
}

/** A suite's counts plus a short note explaining anything unusual (no report, exit code disagreeing). */
export interface SuiteResult extends Counts {
  name: string;
  seconds: number;
  note: string;
}

const KINDS: readonly StepKind[] = ['check', 'vitest', 'playwright'];

function num(obj: Record<string, unknown>, key: string): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new Error(`expected a count in "${key}", was ${JSON.stringify(v)}`);
  }
  return v;
}

function record(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new Error(`expected ${what} to be an object`);
  return v as Record<string, unknown>;
}

/**
 * Counts from a Vitest 4 JSON report (Jest-compatible shape). Skipped = pending + todo. A test file that failed
 * before registering any test (import error, syntax error) has no assertion results; each counts as 1 failed.
 */
export function parseVitestReport(json: unknown): Counts {
  const r = record(json, 'the Vitest report');
  const files = Array.isArray(r.testResults) ? r.testResults : [];
  const brokenFiles = files.filter((f) => {
    const file = record(f, 'a Vitest file result');
    const tests = Array.isArray(file.assertionResults) ? file.assertionResults : [];
    return file.status === 'failed' && tests.length === 0;
  }).length;
  return {
    passed: num(r, 'numPassedTests'),
    failed: num(r, 'numFailedTests') + brokenFiles,
    skipped: num(r, 'numPendingTests') + num(r, 'numTodoTests')
  };
}

/**
 * Counts from a Playwright 1.65 JSON report: passed = expected + flaky (passed on retry), failed = unexpected +
 * one per top-level error (global setup failure, "No tests found", a spec file that does not load).
 */
export function parsePlaywrightReport(json: unknown): Counts {
  const r = record(json, 'the Playwright report');
  const stats = record(r.stats, 'stats in the Playwright report');
  const errors = Array.isArray(r.errors) ? r.errors.length : 0;
  return {
    passed: num(stats, 'expected') + num(stats, 'flaky'),
    failed: num(stats, 'unexpected') + errors,
    skipped: num(stats, 'skipped')
  };
}

/** Parses the steps file; blank lines are ignored, a malformed row throws. */
export function parseSteps(text: string): Step[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [name = '', kind = '', exitCode = '', reportPath = '', seconds = '0'] = line.split('\t');
      if (!name || !KINDS.includes(kind as StepKind) || !/^\d+$/.test(exitCode)) {
        throw new Error(`malformed step row: ${JSON.stringify(line)}`);
      }
      return {
        name,
        kind: kind as StepKind,
        exitCode: Number(exitCode),
        reportPath,
        seconds: Number(seconds) || 0
      };
    });
}

/** Counts one suite. `readReport` returns the report file's text, or throws when it cannot be read. */
export function countStep(step: Step, readReport: (path: string) => string): SuiteResult {
  const base = { name: step.name, seconds: step.seconds };
  if (step.kind === 'check') {
    const ok = step.exitCode === 0;
    return {
      ...base,
      passed: ok ? 1 : 0,
      failed: ok ? 0 : 1,
      skipped: 0,
      note: ok ? '' : `exit ${step.exitCode}`
    };
  }
  let counts: Counts;
  try {
    const json: unknown = JSON.parse(readReport(step.reportPath));
    counts = step.kind === 'vitest' ? parseVitestReport(json) : parsePlaywrightReport(json);
  } catch (e) {
    const missing = e instanceof Error && (e as NodeJS.ErrnoException).code === 'ENOENT';
    const why = missing ? 'runner wrote no report' : `unreadable report: ${String(e).split('\n')[0]}`;
    return { ...base, passed: 0, failed: 1, skipped: 0, note: `${why} (exit ${step.exitCode})` };
  }
  if (step.exitCode !== 0 && counts.failed === 0) {
    return {
      ...base,
      ...counts,
      failed: 1,
      note: `runner exited ${step.exitCode} with no failed test in its report`
    };
  }
  return { ...base, ...counts, note: '' };
}

/** Adds up suites. */
export function total(results: readonly Counts[]): Counts {
  return results.reduce(
    (t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed, skipped: t.skipped + r.skipped }),
    { passed: 0, failed: 0, skipped: 0 }
  );
}

/** The final line: `N passed, N failed`, with `, N skipped` only when something was skipped. */
export function formatTotal(t: Counts): string {
  const line = `${t.passed} passed, ${t.failed} failed`;
  return t.skipped > 0 ? `${line}, ${t.skipped} skipped` : line;
}

/** One aligned line per suite, e.g. `  FAIL  eslint         0 passed, 1 failed   (4.1 s)  exit 1`. */
export function formatSuite(r: SuiteResult, nameWidth: number): string {
  const mark = r.failed > 0 ? 'FAIL' : 'ok  ';
  const time = `(${r.seconds.toFixed(1)} s)`;
  const line = `  ${mark}  ${r.name.padEnd(nameWidth)}  ${formatTotal(r).padEnd(34)} ${time}`;
  return r.note ? `${line}  ${r.note}` : line;
}

/** The whole report: a header, the suite lines, then the total as the last line. */
export function summarize(
  steps: readonly Step[],
  readReport: (path: string) => string
): { lines: string[]; ok: boolean } {
  const results = steps.map((s) => countStep(s, readReport));
  const width = Math.max(0, ...results.map((r) => r.name.length));
  const sum = total(results);
  return {
    lines: ['Summary', ...results.map((r) => formatSuite(r, width)), formatTotal(sum)],
    ok: sum.failed === 0 && results.length > 0
  };
}

function main(argv: string[]): number {
  const stepsPath = argv[0];
  if (!stepsPath) {
    console.error('usage: tsx scripts/test-summary.ts <steps.tsv>');
    return 2;
  }
  const { lines, ok } = summarize(parseSteps(readFileSync(stepsPath, 'utf8')), (p) =>
    readFileSync(p, 'utf8')
  );
  process.stdout.write(lines.join('\n') + '\n');
  return ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
