import { describe, expect, it } from 'vitest';
import { initialPolicyState, isCapturing, reducePolicy, reducePolicyFailClosed } from './recording-policy';
import type { PolicyEvent, PolicyState, PolicyStep } from './recording-policy-types';
import { InvalidTransitionError } from './state-machine';
import {
  accepted,
  CONFIG,
  CONNECT,
  consult,
  CONSULT_END,
  CONSULT_UP,
  COMPLETED,
  DIRECT_DIAL,
  END,
  failed,
  HOLD,
  MAIN_LINE,
  OBJECT,
  OUTBOUND,
  PAUSE,
  payEnd,
  payStart,
  RESUME,
  transfer,
  uncertain,
  UNHOLD,
  type Ev
} from './recording-policy-test-fixtures';

/**
 * Property test: many random event sequences (seeded, so a failure replays), each checked after
 * every step against an oracle that follows the input events only, never the policy's state.
 */

/** mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TARGETS = ['2001', '8000', 'sip:8001@pbx.test'];
const PAY = new Set(['8000', 'sip:8001@pbx.test']);
const KINDS = ['blind', 'attended', 'payment'] as const;

/** Events that end the recording (and impossible ones) are rarer, so sequences live long enough to matter. */
function randomEvent(r: () => number): Ev {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const final: (() => Ev)[] = [
    () => accepted(pick(KINDS)),
    () => COMPLETED,
    () => OBJECT,
    () => uncertain(pick(['page-hide', 'reload', 'reconnect', 'error'] as const)),
    () => END,
    // Impossible mid-call (the guard throws): a second offer or connect.
    () => pick([MAIN_LINE, DIRECT_DIAL, OUTBOUND]),
    () => CONNECT
  ];
  const ongoing: (() => Ev)[] = [
    () => HOLD,
    () => UNHOLD,
    () => consult(pick(TARGETS), pick(KINDS)),
    () => CONSULT_UP,
    () => CONSULT_END,
    () => transfer(pick(KINDS), pick(TARGETS)),
    () => failed(pick(KINDS), pick([486, 403, 603, 486, 403, null])),
    () => payStart(pick(['p1', 'p2'])),
    () => payEnd(pick(['p1', 'p2'])),
    () => PAUSE,
    () => RESUME
  ];
  return pick(r() < 0.08 ? final : ongoing)();
}

function randomSequence(r: () => number): Ev[] {
  const length = 1 + Math.floor(r() * 30);
  const events: Ev[] = [];
  if (r() < 0.9) events.push(r() < 0.5 ? MAIN_LINE : r() < 0.5 ? OUTBOUND : DIRECT_DIAL);
  if (r() < 0.8) events.push(CONNECT);
  events.splice(length);
  while (events.length < length) events.push(randomEvent(r));
  return events;
}

/** What the input events say, kept apart from the policy's own state. */
class Oracle {
  offered = false;
  recordable = false;
  directDial = false;
  connected = false;
  endedCall = false;
  transferCompleted = false;
  objected = false;
  uncertainSeen = false;
  held = false;
  manual = false;
  consultTarget: string | null = null;
  consultPayment = false;
  consultConnected = false;
  transferTarget: string | null = null;
  transferPayment = false;
  transferViaConsult = false;
  legs = new Set<string>();

  get paymentLeg(): boolean {
    return this.transferPayment || this.consultPayment || this.legs.size > 0;
  }
  get terminated(): boolean {
    return this.endedCall || this.transferCompleted || this.objected || this.uncertainSeen;
  }
  /** The whole rule set in one line: what capture should be. */
  get shouldCapture(): boolean {
    const holdPauses = this.held && !this.consultConnected;
    return (
      this.recordable && this.connected && !this.terminated && !this.paymentLeg && !holdPauses && !this.manual
    );
  }

  apply(e: PolicyEvent, step: PolicyStep): void {
    if (step.refusal) return;
    const live = this.offered && !this.terminated && !this.directDial;
    const isPay = (kind: string, target: string) => kind === 'payment' || PAY.has(target);
    switch (e.type) {
      case 'offered':
        this.offered = true;
        this.recordable = e.direction === 'outbound' || e.recordedLine;
        this.directDial = !this.recordable;
        return;
      case 'connected':
        this.connected = true;
        return;
      case 'caller-objected':
        this.objected = true;
        return;
      case 'uncertain':
        if (live) this.uncertainSeen = true;
        return;
      case 'ended':
        this.endedCall = true;
        return;
      case 'transfer-accepted':
      case 'transfer-completed':
        if (live && this.connected) this.transferCompleted = true;
        return;
      case 'transfer-failed': {
        const target = this.transferTarget ?? this.consultTarget ?? '';
        const payment = this.paymentLeg || isPay(e.kind, target);
        if (live && payment && e.statusCode === undefined) this.uncertainSeen = true;
        this.transferTarget = null;
        this.transferPayment = false;
        return;
      }
      case 'hold':
      case 'unhold':
        this.held = e.type === 'hold';
        return;
      case 'consultation-started':
        this.consultTarget = e.target;
        this.consultPayment = isPay(e.kind, e.target);
        this.consultConnected = false;
        return;
      case 'consultation-connected':
        this.consultConnected = true;
        return;
      case 'consultation-ended':
        if (this.consultTarget !== null && this.transferViaConsult) {
          this.transferTarget = null;
          this.transferPayment = false;
        }
        this.consultTarget = null;
        this.consultPayment = false;
        this.consultConnected = false;
        return;
      case 'transfer-requested':
        this.transferTarget = e.target;
        this.transferPayment = isPay(e.kind, e.target);
        this.transferViaConsult = this.consultTarget !== null && this.consultTarget === e.target;
        return;
      case 'payment-leg-started':
        this.legs.add(e.legId);
        return;
      case 'payment-leg-ended':
        this.legs.delete(e.legId);
        return;
      case 'manual-pause':
      case 'manual-resume':
        this.manual = e.type === 'manual-pause';
        return;
    }
  }
}

const SEQUENCES = 5000;

describe('recording policy properties', () => {
  it.each([
    ['reducePolicy, impossible events dropped', 20240601, false],
    ['reducePolicyFailClosed, impossible events end it as uncertain', 7, true]
  ])(
    '%s: %i sequences hold every invariant',
    (_mode, seed, failClosed) => {
      const r = prng(seed);
      const seen = { steps: 0, capturing: 0, paymentLeg: 0, resumedAfterPayment: 0, refused: 0, thrown: 0 };
      for (let n = 0; n < SEQUENCES; n++) {
        const events = randomSequence(r);
        const oracle = new Oracle();
        let state = initialPolicyState();
        let deletes = 0;
        let wasPayment = false;
        let before = false;
        for (const [i, ev] of events.entries()) {
          const e = { ...ev, at: 1000 * (i + 1) } as PolicyEvent;
          let step: PolicyStep;
          if (failClosed) {
            const s = reducePolicyFailClosed(state, e, CONFIG);
            if (s.fault) {
              seen.thrown++;
              oracle.apply({ type: 'uncertain', at: e.at, cause: 'error' }, s);
            } else oracle.apply(e, s);
            step = s;
          } else {
            try {
              step = reducePolicy(state, e, CONFIG);
            } catch (error) {
              expect(error).toBeInstanceOf(InvalidTransitionError);
              seen.thrown++;
              continue;
            }
            oracle.apply(e, step);
          }
          const c = step.capturing;
          const broken = violation(oracle, step, state, before, e.at);
          if (broken) {
            const replay = JSON.stringify(events.slice(0, i + 1));
            expect.fail(`${broken} (seed ${seed}, sequence ${n}, step ${i}): ${replay}`);
          }
          if (step.refusal) seen.refused++;
          deletes += step.effects.length;
          if (wasPayment && !oracle.paymentLeg && c) seen.resumedAfterPayment++;
          wasPayment = oracle.paymentLeg && !oracle.terminated;
          if (wasPayment) seen.paymentLeg++;
          if (c) seen.capturing++;
          seen.steps++;
          before = c;
          state = step.state;
        }
        if (deletes !== (oracle.objected ? 1 : 0)) expect.fail(`delete effects: sequence ${n}`);
      }
      // The generator is not vacuous: every interesting situation happened many times.
      expect(seen.capturing).toBeGreaterThan(3000);
      expect(seen.paymentLeg).toBeGreaterThan(5000);
      expect(seen.resumedAfterPayment).toBeGreaterThan(50);
      expect(seen.refused).toBeGreaterThan(1000);
      expect(seen.thrown).toBeGreaterThan(1000);
      // A harness limit, not a speed claim: about 2 s on a quiet machine, far more on a loaded shared one.
    },
    120_000
  );
});

/** The first invariant `step` (of an event at `at`) breaks, or null. `before`: capture ran before it. */
function violation(
  o: Oracle,
  step: PolicyStep,
  previous: PolicyState,
  before: boolean,
  at: number
): string | null {
  const c = step.capturing;
  // The named invariants first, then the exact rule set.
  if (c && o.paymentLeg) return 'capturing while a payment leg exists';
  if (c && !o.connected) return 'capturing before connected';
  if (c && o.endedCall) return 'capturing after the call ended';
  if (c && (o.directDial || !o.offered)) return 'capturing a call that is not recorded';
  if (c && o.objected) return 'capturing after an objection';
  if (c && o.transferCompleted) return 'capturing after a completed transfer';
  if (c && o.uncertainSeen) return 'capturing after an uncertain state';
  if (c !== o.shouldCapture) return `capturing is ${c}, the rules say ${o.shouldCapture}`;
  if (step.capturing !== isCapturing(step.state)) return 'step.capturing disagrees with its state';
  if (step.timeline.some((t) => t.at !== at)) return 'timeline entries stamped with another time';
  if (step.refusal && (step.state !== previous || step.timeline.length > 0 || step.effects.length > 0)) {
    return 'a refusal changed something';
  }
  const marks = step.timeline.map((t) => t.kind);
  if (!before && c && !marks.some((k) => k === 'started' || k === 'resumed')) return 'capture began unmarked';
  if (before && !c && !marks.some((k) => k === 'paused' || k === 'ended' || k === 'objection')) {
    return 'capture stopped unmarked';
  }
  return null;
}
