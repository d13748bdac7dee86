import { describe, expect, it } from 'vitest';
import type { CallSample } from '../../bench/recording-cpu/call';
import { cpuBetween, parseStat, processKind, type ProcCpu } from '../../bench/recording-cpu/proc-cpu';
import { cpuFigures } from '../../bench/recording-cpu/summary';

describe('parseStat', () => {
  it('reads ppid and CPU ticks after a command name with spaces and parentheses', () => {
    const stat = '42 (Realtime (x) y) S 7 42 42 0 -1 0 0 0 0 0 150 50 20 10 20 0 9 0 1 2 3';
    expect(parseStat(stat)).toEqual({ ppid: 7, own: 2, reaped: 0.3 });
  });
});

describe('processKind', () => {
  it('tells Chromium processes apart by --type and --utility-sub-type', () => {
    expect(processKind(['/usr/lib/chromium/chromium', '--headless'])).toBe('browser');
    expect(processKind(['/usr/lib/chromium/chromium', '--type=renderer'])).toBe('renderer');
    expect(processKind(['x', '--type=gpu-process'])).toBe('gpu');
    expect(processKind(['x', '--type=utility', '--utility-sub-type=audio.mojom.AudioService'])).toBe('audio');
    expect(processKind(['x', '--type=utility', '--utility-sub-type=network.mojom.NetworkService'])).toBe(
      'network'
    );
    expect(processKind(['x', '--type=zygote'])).toBe('other');
    expect(processKind(['/usr/lib/chromium/chrome_crashpad_handler', '--database=/tmp'])).toBe('other');
  });
});

describe('cpuBetween', () => {
  const p = (pid: number, kind: ProcCpu['kind'], own: number, reaped = 0): ProcCpu => ({
    pid,
    ppid: 1,
    kind,
    own,
    reaped
  });
  it('counts growth of survivors, all of newcomers, and reaped children in the parent', () => {
    const before = [p(1, 'browser', 5), p(2, 'renderer', 10), p(3, 'audio', 1)];
    const after = [p(1, 'browser', 5.5, 0.2), p(2, 'renderer', 12), p(4, 'gpu', 0.3)];
    const d = cpuBetween(before, after);
    expect(d.browser).toBeCloseTo(0.7);
    expect(d.renderer).toBeCloseTo(2);
    expect(d.gpu).toBeCloseTo(0.3);
    expect(d.audio).toBe(0);
  });
});

describe('cpuFigures', () => {
  const sample = (kind: CallSample['kind'], renderer: number, audio: number): CallSample => ({
    kind,
    cpu: { browser: 0, renderer, gpu: 0, audio, network: 0, storage: 0, other: 0 },
    total: renderer + audio,
    threads: [],
    wallSeconds: 20,
    packetsSent: 1000,
    packetsReceived: 1000
  });
  it('compares medians, shows the spread and breaks down only the kinds that used CPU', () => {
    const figs = cpuFigures(
      [
        sample('recorded', 2, 1),
        sample('unrecorded', 2, 0.5),
        sample('recorded', 2.2, 1),
        sample('unrecorded', 2.5, 0.5),
        sample('recorded', 1.8, 1.2),
        sample('unrecorded', 2.1, 0.4)
      ],
      20
    );
    expect(figs[0]).toMatchObject({ value: 3, baseline: 2.5, met: false });
    expect(figs[0]?.name).toContain('median of 3+3');
    expect(figs.slice(1, 3).map((f) => [f.value, f.baseline])).toEqual([
      [3, 2.5],
      [3.2, 3]
    ]);
    expect(figs.slice(3).map((f) => f.name)).toEqual([
      expect.stringContaining('renderer'),
      expect.stringContaining('audio service')
    ]);
  });
});
