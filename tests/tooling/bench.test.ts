import { describe, expect, it } from 'vitest';
import { FIGURE_KEYS, figure, median } from '../../bench/lib/figure';
import { benchFiles, checkFigure, figureJson, figureTable } from '../../scripts/bench';

const sample = figure('hash time', 120.123456, 'ms', 240, 'ratio 0.5–4', (r) => r >= 0.5 && r <= 4);

describe('figure', () => {
  it('computes ratio = value / baseline and met from the goal', () => {
    expect(sample.ratio).toBeCloseTo(0.5005, 4);
    expect(sample.met).toBe(true);
    expect(figure('x', 1, 'ms', 10, 'ratio >= 0.5', (r) => r >= 0.5).met).toBe(false);
  });

  it('never meets a goal against a zero baseline', () => {
    expect(figure('x', 1, 'ms', 0, 'any', () => true).met).toBe(false);
  });
});

describe('median', () => {
  it('takes the middle of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow('empty');
  });
});

describe('bench output', () => {
  it('prints exactly the figure keys, in order, rounded', () => {
    const parsed = JSON.parse(figureJson({ ...sample, extra: 1 } as never)) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([...FIGURE_KEYS]);
    expect(parsed.value).toBe(120.1);
  });

  it('aligns the table columns', () => {
    const lines = figureTable([sample, { ...sample, name: 'a longer figure name', met: false }]).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^figure +value +unit +baseline +ratio +met +goal$/);
    expect(lines[3]).toContain(' NO ');
    expect(lines[2]?.indexOf('ms')).toBe(lines[3]?.indexOf('ms'));
  });

  it('rejects a malformed figure', () => {
    expect(() => checkFigure({ name: 'x', value: '1' })).toThrow('malformed figure');
    expect(checkFigure(sample)).toBe(sample);
  });

  it('discovers top-level modules only, filtered by name', () => {
    const names = ['password-hash.ts', 'lib', 'encoder.ts', 'x.test.ts', 'tsconfig.json'];
    expect(benchFiles(names, [])).toEqual(['encoder.ts', 'password-hash.ts']);
    expect(benchFiles(names, ['pass'])).toEqual(['password-hash.ts']);
  });
});
