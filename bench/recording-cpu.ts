/**
 * CPU cost of recording in the advisor's browser: the same call (caller 440 Hz, advisor 1000 Hz, both heard)
 * placed through the main line (recorded: REC) and direct-dialled to alice's extension 1001 (not recorded),
 * alternating ABBA over several rounds so that drift in the machine's load cancels out. Each call's CPU is the
 * utime+stime growth of the advisor's whole Chromium process tree over a fixed window of the connected call
 * (bench/recording-cpu/proc-cpu.ts says why /proc and not CDP). The stack is the end-to-end suite's: a private
 * dev PBX and DATA_DIR, the built app, real Chromium (bench/recording-cpu/stack.ts).
 *
 * Goal: recording adds at most 10% (ratio <= 1.10). Absolute CPU seconds depend on whatever else runs on the
 * machine (the load average is printed); the ratio of alternating rounds is the figure.
 *
 * Env: RECORDING_CPU_ROUNDS (default 4: 4 recorded + 4 unrecorded calls), RECORDING_CPU_WINDOW_S (default 20),
 * PBX_WS_PORT (default: a free port).
 */
import { cpus, loadavg } from 'node:os';
import type { Benchmark } from './lib/figure';
import { measuredCall, type CallKind, type CallSample } from './recording-cpu/call';
import { startCallStack } from './recording-cpu/stack';
import { cpuFigures, describeSample, threadDifferences } from './recording-cpu/summary';

const ROUNDS = Number(process.env.RECORDING_CPU_ROUNDS ?? 4);
const WINDOW_S = Number(process.env.RECORDING_CPU_WINDOW_S ?? 20);
const SETTLE_MS = 3000;

const log = (line: string): void => console.error(`recording-cpu: ${line}`);
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

const benchmark: Benchmark = {
  name: 'recording-cpu',
  async run() {
    const loadBefore = load();
    const stack = await startCallStack();
    const samples: CallSample[] = [];
    try {
      log(`dev PBX on ws port ${stack.pbxPort}; advisor Chromium pid ${stack.advisorPid}`);
      // One short call of each kind first, not counted: first-use costs (JIT, caches) land here.
      for (const kind of ['recorded', 'unrecorded'] as const) {
        await measuredCall(stack, kind, { windowMs: 2000, settleMs: 0 });
      }
      for (let round = 1; round <= ROUNDS; round++) {
        // ABBA: recorded first in odd rounds, unrecorded first in even ones.
        const order: CallKind[] = round % 2 ? ['recorded', 'unrecorded'] : ['unrecorded', 'recorded'];
        for (const kind of order) {
          const s = await measuredCall(stack, kind, { windowMs: WINDOW_S * 1000, settleMs: SETTLE_MS });
          samples.push(s);
          log(`${describeSample(round, s)}; load ${load()}`);
        }
      }
    } finally {
      await stack.close();
    }
    log('threads that differ most, median recorded vs unrecorded:');
    for (const line of threadDifferences(samples)) log(`  ${line}`);
    log(`load average (1, 5, 15 min) before ${loadBefore}, after ${load()}; ${cpus().length} CPUs`);
    return cpuFigures(samples, WINDOW_S);
  }
};

export default benchmark;
