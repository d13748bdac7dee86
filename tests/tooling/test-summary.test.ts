import { describe, expect, it } from 'vitest';
import {
  countStep,
  formatTotal,
  parsePlaywrightReport,
  parseSteps,
  parseVitestReport,
  summarize,
  type Step
} from '../../scripts/test-summary';

// Shapes below are trimmed from real reports written by vitest 4.1.12 and @playwright/test 1.65.1.
const vitestReport = {
  numTotalTestSuites: 2,
  numPassedTestSuites: 0,
  numFailedTestSuites: 2,
  numPendingTestSuites: 0,
  numTotalTests: 4,
  numPassedTests: 1,
  numFailedTests: 1,
  numPendingTests: 1,
  numTodoTests: 1,
  success: false,
  testResults: [
    {
      name: '/tmp/vfx/a.test.ts',
      status: 'failed',
      message: '',
      assertionResults: [
        { fullName: 'ok', status: 'passed', failureMessages: [] },
        { fullName: 'bad', status: 'failed', failureMessages: ['AssertionError'] },
        { fullName: 'skipped', status: 'skipped', failureMessages: [] },
        { fullName: 'todo', status: 'todo', failureMessages: [] }
      ]
    },
    { name: '/tmp/vfx/b.test.ts', status: 'failed', message: 'boom at import', assertionResults: [] }
  ]
};

const playwrightReport = {
  config: {},
  suites: [],
  errors: [],
  stats: {
    startTime: '2026-11-29T03:57:08.830Z',
    duration: 3513.4,
    expected: 2,
    skipped: 2,
    unexpected: 1,
    flaky: 1
  }
};

const globalSetupFailed = {
  config: {},
  suites: [],
  errors: [{ message: 'Error: PBX did not start', stack: 'Error: PBX did not start\n    at default' }],
  stats: {
    startTime: '2026-11-29T03:57:16.782Z',
    duration: 45.5,
    expected: 0,
    skipped: 0,
    unexpected: 0,
    flaky: 0
  }
};

const step = (over: Partial<Step>): Step => ({
  name: 'suite',
  kind: 'check',
  exitCode: 0,
  reportPath: '',
  seconds: 1,
  ...over
});

const reads =
  (files: Record<string, unknown>) =>
  (path: string): string => {
    if (!(path in files))
      throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
    const v = files[path];
    return typeof v === 'string' ? v : JSON.stringify(v);
  };

describe('parseVitestReport', () => {
  it('counts skipped and todo as skipped, and a file that failed to load as one failure', () => {
    expect(parseVitestReport(vitestReport)).toEqual({ passed: 1, failed: 2, skipped: 2 });
  });

  it('accepts an empty run', () => {
    const empty = {
      ...vitestReport,
      numPassedTests: 0,
      numFailedTests: 0,
      numPendingTests: 0,
      numTodoTests: 0
    };
    expect(parseVitestReport({ ...empty, testResults: [] })).toEqual({ passed: 0, failed: 0, skipped: 0 });
  });

  it('rejects a report without counts', () => {
    expect(() => parseVitestReport({ testResults: [] })).toThrow('numPassedTests');
  });
});

describe('parsePlaywrightReport', () => {
  it('counts flaky as passed and unexpected as failed', () => {
    expect(parsePlaywrightReport(playwrightReport)).toEqual({ passed: 3, failed: 1, skipped: 2 });
  });

  it('counts each top-level error (global setup, no tests found) as a failure', () => {
    expect(parsePlaywrightReport(globalSetupFailed)).toEqual({ passed: 0, failed: 1, skipped: 0 });
  });

  it('rejects a report without stats', () => {
    expect(() => parsePlaywrightReport({ errors: [] })).toThrow('stats');
  });
});

describe('parseSteps', () => {
  it('reads tab-separated rows and ignores blank lines', () => {
    const text = 'prettier\tcheck\t0\t\t1.5\n\nvitest\tvitest\t1\t.run/test/vitest.json\t7.25\n';
    expect(parseSteps(text)).toEqual([
      { name: 'prettier', kind: 'check', exitCode: 0, reportPath: '', seconds: 1.5 },
      { name: 'vitest', kind: 'vitest', exitCode: 1, reportPath: '.run/test/vitest.json', seconds: 7.25 }
    ]);
  });

  it('throws on an unknown kind', () => {
    expect(() => parseSteps('x\tjest\t0\t\t1')).toThrow('malformed step row');
  });
});

describe('countStep', () => {
  const noFiles = reads({});

  it('counts a static check as one test', () => {
    expect(countStep(step({ exitCode: 0 }), noFiles)).toMatchObject({ passed: 1, failed: 0, skipped: 0 });
    expect(countStep(step({ exitCode: 2 }), noFiles)).toMatchObject({ passed: 0, failed: 1, note: 'exit 2' });
  });

  it('counts a runner that left no report as one failure', () => {
    const r = countStep(step({ kind: 'playwright', exitCode: 1, reportPath: 'gone.json' }), noFiles);
    expect(r).toMatchObject({ passed: 0, failed: 1, skipped: 0 });
    expect(r.note).toBe('runner wrote no report (exit 1)');
  });

  it('counts a truncated report as one failure', () => {
    const r = countStep(
      step({ kind: 'vitest', exitCode: 1, reportPath: 'v.json' }),
      reads({ 'v.json': '{"num' })
    );
    expect(r).toMatchObject({ passed: 0, failed: 1 });
    expect(r.note).toMatch(/^unreadable report: SyntaxError: .* \(exit 1\)$/);
  });

  it('adds one failure when the runner exits non-zero but its report shows none', () => {
    const green = { ...vitestReport, numFailedTests: 0, testResults: [] };
    const r = countStep(
      step({ kind: 'vitest', exitCode: 1, reportPath: 'v.json' }),
      reads({ 'v.json': green })
    );
    expect(r).toMatchObject({ passed: 1, failed: 1, skipped: 2 });
  });

  it('uses the report counts when the runner agrees', () => {
    const r = countStep(
      step({ kind: 'playwright', exitCode: 1, reportPath: 'p.json' }),
      reads({ 'p.json': playwrightReport })
    );
    expect(r).toMatchObject({ passed: 3, failed: 1, skipped: 2, note: '' });
  });
});

describe('summary line', () => {
  it('omits skipped when nothing was skipped', () => {
    expect(formatTotal({ passed: 5, failed: 0, skipped: 0 })).toBe('5 passed, 0 failed');
    expect(formatTotal({ passed: 5, failed: 1, skipped: 3 })).toBe('5 passed, 1 failed, 3 skipped');
  });

  it('sums all suites and puts the total last', () => {
    const steps: Step[] = [
      step({ name: 'prettier' }),
      step({ name: 'eslint', exitCode: 1 }),
      step({ name: 'vitest', kind: 'vitest', exitCode: 1, reportPath: 'v.json' }),
      step({ name: 'playwright', kind: 'playwright', exitCode: 1, reportPath: 'p.json' })
    ];
    const { lines, ok } = summarize(steps, reads({ 'v.json': vitestReport, 'p.json': globalSetupFailed }));
    expect(ok).toBe(false);
    expect(lines[0]).toBe('Summary');
    expect(lines).toHaveLength(6);
    expect(lines[2]).toMatch(/^ {2}FAIL {2}eslint +0 passed, 1 failed +\(1\.0 s\) {2}exit 1$/);
    expect(lines.at(-1)).toBe('2 passed, 4 failed, 2 skipped');
  });

  it('is ok only when nothing failed', () => {
    expect(summarize([step({})], reads({})).ok).toBe(true);
    expect(summarize([], reads({})).ok).toBe(false);
  });
});
