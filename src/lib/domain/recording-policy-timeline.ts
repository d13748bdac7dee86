import type {
  EndReason,
  PauseReason,
  PolicyConfig,
  PolicyEffect,
  PolicyState,
  PolicyStep,
  RecordingStatus,
  TimelineEvent,
  UncertainCause
} from './recording-policy-types';
import type { TransferKind } from './transfer';

/**
 * Derived views of a policy state (pause reasons, capture, status) and the builders
 * that turn a change of state into timeline entries. Pure; no clock: every entry takes
 * the `at` of the event that caused it.
 */

/** The state before any call is offered. */
export const INITIAL_POLICY_STATE: PolicyState = Object.freeze({
  phase: 'idle',
  callId: null,
  notRecordedReason: null,
  endReason: null,
  started: false,
  held: false,
  consultation: null,
  transfer: null,
  paymentLegs: [],
  manualPause: false
});

/** The user part of a number or SIP URI, trimmed: `sip:8000@pbx` and ` 8000 ` both give `8000`. */
function targetKey(target: string): string {
  return target
    .trim()
    .replace(/^sips?:/i, '')
    .replace(/[@;].*$/, '')
    .trim();
}

/** True when `a` and `b` name the same number. */
export function sameTarget(a: string, b: string): boolean {
  return targetKey(a) === targetKey(b);
}

/** True when `target` is one of the configured payment lines. */
export function isPaymentTarget(target: string, config: PolicyConfig): boolean {
  const key = targetKey(target);
  return key !== '' && config.paymentTargets.some((t) => targetKey(t) === key);
}

/** A request is a payment leg when its kind says so or its target is a payment line. */
export function isPaymentRequest(kind: TransferKind, target: string, config: PolicyConfig): boolean {
  return kind === 'payment' || isPaymentTarget(target, config);
}

/** True while any payment leg exists or may exist: pending payment transfer, payment consultation, announced leg. */
export function paymentLegExists(s: PolicyState): boolean {
  return s.paymentLegs.length > 0 || s.transfer?.payment === true || s.consultation?.payment === true;
}

/**
 * Why an active call is not being captured, most important first; empty means capture.
 * Hold does not pause while the consultation leg is connected: an attended-transfer
 * consultation is recorded while the caller waits (a payment consultation still pauses, as payment).
 */
export function pauseReasons(s: PolicyState): PauseReason[] {
  if (s.phase !== 'active') return [];
  const reasons: PauseReason[] = [];
  if (paymentLegExists(s)) reasons.push('payment');
  if (s.held && s.consultation?.connected !== true) reasons.push('hold');
  if (s.manualPause) reasons.push('manual');
  return reasons;
}

/** Whether audio may reach the encoder in state `s`. Only a connected, recordable call with no pause reason. */
export function isCapturing(s: PolicyState): boolean {
  return s.phase === 'active' && pauseReasons(s).length === 0;
}

/** What the advisor's indicator shows for state `s`. */
export function recordingStatus(s: PolicyState): RecordingStatus {
  switch (s.phase) {
    case 'idle':
      return { state: 'not-recorded', reason: 'no-call' };
    case 'pending':
      return { state: 'pending' };
    case 'not-recorded':
      return { state: 'not-recorded', reason: s.notRecordedReason ?? 'direct-dial' };
    case 'ended':
      return { state: 'ended', reason: s.endReason ?? 'call-ended' };
    case 'active': {
      const reasons = pauseReasons(s);
      return reasons.length === 0 ? { state: 'recording' } : { state: 'paused', reasons };
    }
  }
}

/**
 * Appends `started`, `resumed` or `paused` when capture switches between `before` and
 * `after` (both still active), and marks `started` in the returned state.
 */
export function withCaptureMarks(
  before: PolicyState,
  after: PolicyState,
  at: number
): { state: PolicyState; marks: TimelineEvent[] } {
  const was = isCapturing(before);
  const now = isCapturing(after);
  if (!was && now) {
    if (after.started) return { state: after, marks: [{ kind: 'resumed', at }] };
    return { state: { ...after, started: true }, marks: [{ kind: 'started', at }] };
  }
  if (was && !now) {
    const reason = pauseReasons(after)[0];
    if (reason !== undefined) return { state: after, marks: [{ kind: 'paused', at, reason }] };
  }
  return { state: after, marks: [] };
}

/** The state once the recording is over for good; call flags are cleared so nothing can re-arm capture. */
export function endedState(s: PolicyState, reason: EndReason): PolicyState {
  return {
    ...INITIAL_POLICY_STATE,
    phase: 'ended',
    callId: s.callId,
    endReason: reason,
    started: s.started
  };
}

/** Ends the recording because the page lost track: a gap from here, then the end. */
export function uncertainEnd(s: PolicyState, cause: UncertainCause, at: number): Omit<PolicyStep, 'refusal'> {
  const state = endedState(s, 'uncertain');
  return step(state, [
    { kind: 'gap', at, cause },
    { kind: 'ended', at, reason: 'uncertain' }
  ]);
}

/** The caller objects: capture stops for good, the decision goes on the timeline, the audio is deleted. */
export function objectionStep(s: PolicyState, actor: string, at: number): Omit<PolicyStep, 'refusal'> {
  const state: PolicyState = {
    ...INITIAL_POLICY_STATE,
    phase: 'not-recorded',
    callId: s.callId,
    notRecordedReason: 'objection',
    started: s.started
  };
  const effects: PolicyEffect[] = [{ type: 'delete-call-audio', callId: s.callId ?? '' }];
  return step(state, [{ kind: 'objection', at, actor }], effects);
}

/** Assembles a step, deriving status and capture from the state. */
export function step(
  state: PolicyState,
  timeline: readonly TimelineEvent[] = [],
  effects: readonly PolicyEffect[] = []
): Omit<PolicyStep, 'refusal'> {
  return { state, status: recordingStatus(state), capturing: isCapturing(state), timeline, effects };
}
