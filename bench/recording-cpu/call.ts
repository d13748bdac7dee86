/**
 * One measured call: the caller rings either the main line (recorded) or alice's own extension 1001 (not
 * recorded); alice answers; both sides are checked to hear the other's tone (the same media either way);
 * then, after a settle time, the advisor browser's CPU is read over a fixed window of the connected call only.
 * The call is hung up and the advisor left idle (and, after a recorded call, with an empty outbox) before the
 * next round, so no round's tail spills into the next one's window.
 */
import { expect } from '@playwright/test';
import { expectHears, TONES } from '../../e2e/support/audio-expect';
import { connectMainLineCall, expectAdvisorIdle } from '../../e2e/support/calls';
import { expectUploaded } from '../../e2e/support/recordings';
import { cpuBetween, threadCpu, threadsBetween, treeCpu, type ProcessKind } from './proc-cpu';
import type { CallStack } from './stack';

/** Which call of a round. */
export type CallKind = 'recorded' | 'unrecorded';

/** What one measured call gave. */
export interface CallSample {
  kind: CallKind;
  /** CPU seconds of the advisor's browser tree in the window, per process kind. */
  cpu: Record<ProcessKind, number>;
  /** Sum of `cpu`. */
  total: number;
  /** CPU seconds per `<process kind> <thread name>` in the window, largest first. */
  threads: [string, number][];
  /** Wall seconds the window really lasted. */
  wallSeconds: number;
  /** RTP packets the advisor sent and received in the window (same media in both kinds of call). */
  packetsSent: number;
  packetsReceived: number;
}

/** Timing of a measured call. */
export interface CallTiming {
  windowMs: number;
  /** Wait after the call is connected and checked, before the window opens (recorder start-up, jitter). */
  settleMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function connect(stack: CallStack, kind: CallKind): Promise<void> {
  const { advisor, caller } = stack;
  if (kind === 'recorded') {
    await connectMainLineCall(advisor, caller);
  } else {
    const calling = caller.call('1001');
    await advisor.page.getByRole('button', { name: 'Answer' }).click();
    await calling;
    await expectHears('caller', caller.listen, TONES.advisor);
    await expectHears('advisor', advisor.listen, TONES.caller);
  }
}

/** The recording indicator's label: `REC` for the main line, `NOT RECORDED` for the extension. */
function expectLabel(stack: CallStack, kind: CallKind): Promise<void> {
  const label = stack.advisor.page.getByRole('region', { name: 'Recording' }).locator('strong');
  return expect(label).toHaveText(kind === 'recorded' ? 'REC' : 'NOT RECORDED');
}

/** Places, measures and ends one call. */
export async function measuredCall(
  stack: CallStack,
  kind: CallKind,
  timing: CallTiming
): Promise<CallSample> {
  const { advisor, caller } = stack;
  await connect(stack, kind);
  await expectLabel(stack, kind);
  await sleep(timing.settleMs);
  const rtp0 = await advisor.rtp();
  const cpu0 = treeCpu(stack.advisorPid);
  const threads0 = threadCpu(cpu0);
  const t0 = performance.now();
  await sleep(timing.windowMs);
  const cpu1 = treeCpu(stack.advisorPid);
  const threads1 = threadCpu(cpu1);
  const wallSeconds = (performance.now() - t0) / 1000;
  const rtp1 = await advisor.rtp();
  // Still the same kind of call at the end of the window (a recording that failed would show otherwise).
  await expectLabel(stack, kind);
  await caller.hangup();
  await expectAdvisorIdle(advisor);
  if (kind === 'recorded') await expectUploaded(advisor);
  const cpu = cpuBetween(cpu0, cpu1);
  return {
    kind,
    cpu,
    total: Object.values(cpu).reduce((a, b) => a + b, 0),
    threads: threadsBetween(threads0, threads1),
    wallSeconds,
    packetsSent: rtp1.packetsSent - rtp0.packetsSent,
    packetsReceived: rtp1.packetsReceived - rtp0.packetsReceived
  };
}
