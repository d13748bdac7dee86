import { describe, expect, it } from 'vitest';
import { initialPolicyState, reducePolicy } from './recording-policy';
import type {
  PolicyConfig,
  PolicyEffect,
  PolicyEvent,
  PolicyRefusal,
  PolicyState,
  PolicyStep,
  RecordingStatus,
  TimelineEvent,
  UncertainCause
} from './recording-policy-types';
import type { TransferKind } from './transfer';

/** Test fixtures for the recording policy: event builders without `at`, and a runner that stamps them. */

/** A policy event without its timestamp (the runner adds one). */
export type Ev = PolicyEvent extends infer E ? (E extends PolicyEvent ? Omit<E, 'at'> : never) : never;

export const CONFIG: PolicyConfig = { paymentTargets: ['8000', 'sip:8001@pbx.test'] };

export const MAIN_LINE: Ev = { type: 'offered', callId: 'call-1', direction: 'inbound', recordedLine: true };
export const DIRECT_DIAL: Ev = {
  type: 'offered',
  callId: 'call-1',
  direction: 'inbound',
  recordedLine: false
};
export const OUTBOUND: Ev = { type: 'offered', callId: 'call-1', direction: 'outbound', recordedLine: false };
export const CONNECT: Ev = { type: 'connected' };
export const HOLD: Ev = { type: 'hold' };
export const UNHOLD: Ev = { type: 'unhold' };
export const CONSULT_UP: Ev = { type: 'consultation-connected' };
export const CONSULT_END: Ev = { type: 'consultation-ended' };
export const COMPLETED: Ev = { type: 'transfer-completed' };
export const OBJECT: Ev = { type: 'caller-objected', actor: 'adv-7' };
export const PAUSE: Ev = { type: 'manual-pause', actor: 'adv-7' };
export const RESUME: Ev = { type: 'manual-resume', actor: 'adv-7' };
export const END: Ev = { type: 'ended' };

export const consult = (target: string, kind: TransferKind = 'attended'): Ev => ({
  type: 'consultation-started',
  target,
  kind
});
export const transfer = (kind: TransferKind, target: string): Ev => ({
  type: 'transfer-requested',
  kind,
  target
});
export const accepted = (kind: TransferKind): Ev => ({ type: 'transfer-accepted', kind });
/** A refused REFER (a final SIP status), or with `null` one that failed with no final response. */
export const failed = (kind: TransferKind, statusCode: number | null): Ev => ({
  type: 'transfer-failed',
  kind,
  statusCode: statusCode ?? undefined
});
export const payStart = (legId: string): Ev => ({ type: 'payment-leg-started', legId });
export const payEnd = (legId: string): Ev => ({ type: 'payment-leg-ended', legId });
export const uncertain = (cause: UncertainCause): Ev => ({ type: 'uncertain', cause });

/** The whole run of a sequence of events. */
export interface Run {
  steps: PolicyStep[];
  state: PolicyState;
  /** One character per event: 'C' capturing after it, '.' not, 'r' refused (and not capturing), 'R' refused (capturing). */
  trace: string;
  timeline: TimelineEvent[];
  effects: PolicyEffect[];
  refusals: PolicyRefusal[];
}

/** Event i is stamped `at = 1000 * (i + 1)`. */
export function atOf(i: number): number {
  return 1000 * (i + 1);
}

export function run(events: readonly Ev[], config: PolicyConfig = CONFIG, from = initialPolicyState()): Run {
  let state = from;
  const steps: PolicyStep[] = [];
  for (const [i, ev] of events.entries()) {
    const s = reducePolicy(state, { ...ev, at: atOf(i) } as PolicyEvent, config);
    steps.push(s);
    state = s.state;
  }
  const trace = steps.map((s) => (s.refusal ? (s.capturing ? 'R' : 'r') : s.capturing ? 'C' : '.')).join('');
  return {
    steps,
    state,
    trace,
    timeline: steps.flatMap((s) => s.timeline),
    effects: steps.flatMap((s) => s.effects),
    refusals: steps.flatMap((s) => (s.refusal ? [s.refusal] : []))
  };
}

/** The timeline as compact strings: `paused:payment`, `ended:uncertain`, `gap:reload`, `hold`… */
export function kinds(timeline: readonly TimelineEvent[]): string[] {
  return timeline.map((t) => {
    switch (t.kind) {
      case 'paused':
        return `paused:${t.reason}`;
      case 'ended':
        return `ended:${t.reason}`;
      case 'gap':
        return `gap:${t.cause}`;
      default:
        return t.kind;
    }
  });
}

/**
 * One row per rule case: the events, the capture trace after each event ('C' capturing, '.' not,
 * 'r'/'R' a refused user action), the final status and the timeline (as {@link kinds}).
 */
export type Row = [name: string, events: Ev[], trace: string, status: RecordingStatus, timeline: string[]];

/** Registers one test per row. */
export function ruleTable(title: string, rows: readonly Row[]): void {
  describe(title, () => {
    it.each(rows)('%s', (_name, events, trace, status, timeline) => {
      const r = run(events);
      expect(r.trace).toBe(trace);
      expect(r.steps.at(-1)?.status).toEqual(status);
      expect(kinds(r.timeline)).toEqual(timeline);
    });
  });
}

export const REC: RecordingStatus = { state: 'recording' };
export const paused = (...reasons: ('payment' | 'hold' | 'manual')[]): RecordingStatus => ({
  state: 'paused',
  reasons
});
export const ended = (
  reason: 'call-ended' | 'not-connected' | 'transfer-completed' | 'uncertain'
): RecordingStatus => ({ state: 'ended', reason });
export const notRecorded = (reason: 'direct-dial' | 'objection' | 'no-call'): RecordingStatus => ({
  state: 'not-recorded',
  reason
});

export const ATTENDED_TO_COLLEAGUE: Ev[] = [consult('2001'), transfer('attended', '2001')];
export const ASSISTED_PAYMENT: Ev[] = [consult('8000', 'payment'), transfer('payment', '8000')];
