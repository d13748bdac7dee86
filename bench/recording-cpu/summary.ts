/**
 * Turns the measured calls into figures: the headline (median CPU of the recorded calls against the median of
 * the unrecorded ones), the spread (lowest and highest round of each), and the per-process breakdown.
 */
import { figure, median, type Figure } from '../lib/figure';
import type { CallSample } from './call';
import type { ProcessKind } from './proc-cpu';

/** The goal from the issue: recording adds at most 10% to the advisor browser's CPU time during a call. */
export const MAX_RATIO = 1.1;

const LABELS: Record<ProcessKind, string> = {
  renderer: 'renderer processes (page, AudioWorklet, encoder worker)',
  audio: 'audio service (utility)',
  gpu: 'GPU process',
  browser: 'browser process',
  network: 'network service (utility)',
  storage: 'storage service (utility, IndexedDB)',
  other: 'other (zygote, crashpad, other utilities)'
};

/** Figures for `samples` (both kinds, at least one of each), measured over `windowS`-second windows. */
export function cpuFigures(samples: readonly CallSample[], windowS: number): Figure[] {
  const rec = samples.filter((s) => s.kind === 'recorded');
  const unrec = samples.filter((s) => s.kind === 'unrecorded');
  const what = `advisor browser CPU in ${windowS} s of a connected call, recorded (main line) vs unrecorded (ext 1001)`;
  const head = figure(
    `${what}, median of ${rec.length}+${unrec.length} alternating calls`,
    median(rec.map((s) => s.total)),
    'CPU s',
    median(unrec.map((s) => s.total)),
    `ratio <= ${MAX_RATIO} (recording adds at most 10% to the advisor browser's CPU time during a call)`,
    (ratio) => ratio <= MAX_RATIO
  );
  const info = (name: string, value: number, baseline: number, of: string): Figure =>
    figure(name, value, 'CPU s', baseline, `${of} of the figure above (no goal of its own)`, () => true);
  const totals = (xs: readonly CallSample[]): number[] => xs.map((s) => s.total);
  const spread = [
    info(`  spread: lowest call of each`, Math.min(...totals(rec)), Math.min(...totals(unrec)), 'spread'),
    info(`  spread: highest call of each`, Math.max(...totals(rec)), Math.max(...totals(unrec)), 'spread')
  ];
  // Only kinds the unrecorded calls used (a zero baseline has no ratio).
  const kinds = (Object.keys(LABELS) as ProcessKind[]).filter((k) => median(unrec.map((s) => s.cpu[k])) > 0);
  const breakdown = kinds.map((k) =>
    info(
      `  of which ${LABELS[k]}, median`,
      median(rec.map((s) => s.cpu[k])),
      median(unrec.map((s) => s.cpu[k])),
      'breakdown'
    )
  );
  return [head, ...spread, ...breakdown];
}

/** One line per call for the log: kind, CPU, per-kind split, RTP packets. */
export function describeSample(round: number, s: CallSample): string {
  const split = Object.entries(s.cpu)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${v.toFixed(2)}`)
    .join(', ');
  return (
    `round ${round} ${s.kind.padEnd(10)} ${s.total.toFixed(2)} CPU s in ${s.wallSeconds.toFixed(1)} s (${split}); ` +
    `rtp sent ${s.packetsSent}, received ${s.packetsReceived}`
  );
}

/** The threads that differ most between the kinds of call: median CPU seconds recorded vs unrecorded. */
export function threadDifferences(samples: readonly CallSample[], top = 12): string[] {
  const names = new Set(samples.flatMap((s) => s.threads.map(([n]) => n)));
  const med = (kind: CallSample['kind'], name: string): number =>
    median(samples.filter((s) => s.kind === kind).map((s) => s.threads.find(([n]) => n === name)?.[1] ?? 0));
  return [...names]
    .map((n) => ({ n, rec: med('recorded', n), unrec: med('unrecorded', n) }))
    .sort((a, b) => Math.abs(b.rec - b.unrec) - Math.abs(a.rec - a.unrec) || b.rec - a.rec)
    .slice(0, top)
    .map(
      ({ n, rec, unrec }) => `${rec.toFixed(2).padStart(6)} vs ${unrec.toFixed(2).padStart(6)} CPU s  ${n}`
    );
}
