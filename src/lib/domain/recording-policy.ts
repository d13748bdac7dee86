import { InvalidTransitionError, transition, type TransitionTable } from './state-machine';
import { applyActive } from './recording-policy-active';
import {
  endedState,
  INITIAL_POLICY_STATE,
  isPaymentRequest,
  objectionStep,
  paymentLegExists,
  step,
  uncertainEnd
} from './recording-policy-timeline';
import type {
  PolicyAction,
  PolicyConfig,
  PolicyEvent,
  PolicyEventType,
  PolicyPhase,
  PolicyState,
  PolicyStep,
  RefusalCode
} from './recording-policy-types';

/**
 * The recording policy (DESIGN.md "Recording policy"): a pure reducer
 * `(state, event, config) -> { state, status, capturing, timeline, effects, refusal }`
 * for one call. No clock, no I/O, no SIP: the caller feeds events stamped with `at`,
 * runs capture only while `capturing` is true, appends `timeline` to the recording and
 * performs `effects`.
 *
 * ```
 *         offered (recorded line, or outbound)        connected
 *  idle ─────────────────────────────────────▶ pending ─────────▶ active ◀─┐ hold, unhold, consultation-*,
 *   │                                             │                │     │ │ transfer-requested, transfer-failed,
 *   │ offered (direct dial)                       │ ended,         │     └─┘ payment-leg-*, manual-*
 *   ▼                                             │ uncertain      │ transfer-accepted, transfer-completed,
 *  not-recorded ◀──── caller-objected ────────────┤                │ uncertain, ended
 *   ▲  (direct-dial | objection)                  ▼                ▼
 *   └────────────────── caller-objected ────── ended ◀─────────────┘
 *                                          (call-ended | not-connected | transfer-completed | uncertain)
 *  (caller-objected from active also leads to not-recorded; not-recorded and ended are final)
 *
 *  active: capturing ⇔ no pause reason
 *    payment ⇐ a payment transfer pending, a payment consultation, or a payment-leg-started leg
 *    hold    ⇐ original leg held, unless the consultation leg is connected
 *    manual  ⇐ manual-pause until manual-resume (refused while a payment leg exists)
 * ```
 *
 * Rules and choices:
 * - Recorded: inbound through the recorded line, every outbound call from the app, and the
 *   consultation of an attended transfer (as part of the call's recording). A direct-dialled call is
 *   `not-recorded` for its whole life, consultation included: its caller was never told of a recording.
 * - Capture starts on `connected`, never while ringing (`pending`).
 * - Payment: `transfer-requested` or `consultation-started` with kind 'payment' or a payment target
 *   pauses at once, i.e. before the REFER or INVITE leaves. Only a positive event removes a payment leg
 *   (`transfer-failed` with a final SIP status, `consultation-ended`, `payment-leg-ended`); nothing
 *   resumes on a timer. Then capture resumes only if no other reason (hold, manual) remains.
 * - Uncertain (page-hide, reload, reconnect, error, or a payment REFER that failed without a final
 *   response) is TERMINAL for the call's recording: `ended` with reason 'uncertain', after a `gap`.
 *   There is no recovery rule on purpose. Resuming would need an event proving a clean state with no
 *   payment leg, and the browser, the party that just lost track, cannot produce one: a reload destroys
 *   the SIP.js sessions, and after a reconnect or error nothing tells us the caller did not reach the
 *   payment line meanwhile. Losing the rest of one recording is cheap; card audio in a recording is not.
 *   It also makes "after uncertain, never capturing" a plain invariant.
 * - Any completed transfer ends the recording for good. `transfer-accepted` completes a transfer of
 *   every kind: SIP.js sends no NOTIFY, so the REFER's 2xx is the last word (blind: recorded until it).
 * - `caller-objected` stops capture for good (`not-recorded`, reason 'objection'), puts the decision on
 *   the timeline and emits `delete-call-audio`. It is accepted after the call has ended too.
 * - User actions the policy declines (`manual-pause`, `manual-resume`, `caller-objected`) never throw:
 *   they come back as `refusal` with the state unchanged and nothing on the timeline, for the UI to show.
 *   Manual resume while a payment leg exists is refused and the manual pause stays in force.
 * - Impossible event orders (connected before offered, a second offer, a consultation connecting that
 *   never started) are programming errors and throw {@link InvalidTransitionError}
 *   ("expected state X or Y, was Z"). {@link reducePolicyFailClosed} turns such a throw into
 *   `uncertain` ('error') for production use.
 * - No event or output has a field for keypad digits; outputs are built field by field, never by
 *   copying events, so nothing extra passes through.
 */

export {
  INITIAL_POLICY_STATE,
  isCapturing,
  isPaymentTarget,
  pauseReasons,
  paymentLegExists,
  recordingStatus
} from './recording-policy-timeline';

const MACHINE = 'recording policy';

/** Table events: `offered` is split by whether the call is recordable, the rest are the event types. */
export type PolicyTableEvent =
  Exclude<PolicyEventType, 'offered'> | 'offered-recorded' | 'offered-unrecorded';

const IN_CALL_EVENTS: readonly Exclude<PolicyTableEvent, `offered-${string}`>[] = [
  'connected',
  'hold',
  'unhold',
  'consultation-started',
  'consultation-connected',
  'consultation-ended',
  'transfer-requested',
  'transfer-accepted',
  'transfer-failed',
  'transfer-completed',
  'payment-leg-started',
  'payment-leg-ended',
  'caller-objected',
  'manual-pause',
  'manual-resume',
  'uncertain',
  'ended'
];

/** Every in-call event leads back to `phase` (final phases absorb late events from the phone). */
function absorbing(phase: PolicyPhase): Partial<Record<PolicyTableEvent, PolicyPhase>> {
  return Object.fromEntries(IN_CALL_EVENTS.map((e) => [e, phase]));
}

export const policyTable: TransitionTable<PolicyPhase, PolicyTableEvent> = {
  idle: {
    'offered-recorded': 'pending',
    'offered-unrecorded': 'not-recorded',
    uncertain: 'idle',
    'caller-objected': 'idle',
    'manual-pause': 'idle',
    'manual-resume': 'idle'
  },
  pending: {
    connected: 'active',
    ended: 'ended',
    uncertain: 'ended',
    'caller-objected': 'not-recorded',
    'manual-pause': 'pending',
    'manual-resume': 'pending'
  },
  active: {
    hold: 'active',
    unhold: 'active',
    'consultation-started': 'active',
    'consultation-connected': 'active',
    'consultation-ended': 'active',
    'transfer-requested': 'active',
    'transfer-accepted': 'ended',
    'transfer-failed': 'active',
    'transfer-completed': 'ended',
    'payment-leg-started': 'active',
    'payment-leg-ended': 'active',
    'caller-objected': 'not-recorded',
    'manual-pause': 'active',
    'manual-resume': 'active',
    uncertain: 'ended',
    ended: 'ended'
  },
  'not-recorded': absorbing('not-recorded'),
  ended: { ...absorbing('ended'), 'caller-objected': 'not-recorded' }
};

/** A fresh policy state for a new call. */
export function initialPolicyState(): PolicyState {
  return INITIAL_POLICY_STATE;
}

/**
 * Rewrites an event the policy must treat as something else: a failed payment transfer with no final
 * SIP status proves nothing about the caller, so it is an uncertain state.
 */
function normalise(s: PolicyState, e: PolicyEvent, config: PolicyConfig): PolicyEvent {
  if (e.type !== 'transfer-failed' || s.phase !== 'active') return e;
  const proven = e.statusCode !== undefined && e.statusCode >= 300;
  const payment =
    paymentLegExists(s) ||
    isPaymentRequest(e.kind, s.transfer?.target ?? s.consultation?.target ?? '', config);
  return proven || !payment ? e : { type: 'uncertain', at: e.at, cause: 'transfer-outcome-unknown' };
}

function tableEvent(e: PolicyEvent): PolicyTableEvent {
  if (e.type !== 'offered') return e.type;
  return e.direction === 'outbound' || e.recordedLine ? 'offered-recorded' : 'offered-unrecorded';
}

const REFUSAL_MESSAGES: Record<RefusalCode, string> = {
  'no-call': 'There is no call.',
  'not-recorded': 'This call is not being recorded.',
  'not-connected': 'Recording starts when the call connects.',
  'recording-ended': 'The recording of this call has ended.',
  'already-paused': 'Recording is already paused by hand.',
  'not-manually-paused': 'Recording was not paused by hand.',
  'payment-leg': 'Recording cannot resume while the caller is on the payment line.',
  'already-objected': 'The caller’s objection is already recorded; this call is not recorded.'
};

function refuse(s: PolicyState, action: PolicyAction, code: RefusalCode): PolicyStep {
  return { ...step(s), refusal: { action, code, message: REFUSAL_MESSAGES[code] } };
}

/**
 * Applies one event to the policy state. Pure: the same inputs always give the same step.
 * @throws {InvalidTransitionError} on an event the call's state makes impossible (a programming error).
 */
export function reducePolicy(state: PolicyState, input: PolicyEvent, config: PolicyConfig): PolicyStep {
  const e = normalise(state, input, config);
  transition(MACHINE, policyTable, state.phase, tableEvent(e));
  const done = (next: Omit<PolicyStep, 'refusal'>): PolicyStep => ({ ...next, refusal: null });
  switch (state.phase) {
    case 'idle':
      if (e.type === 'offered') return done(offered(e));
      if (isAction(e.type)) return refuse(state, e.type, 'no-call');
      return done(step(state));
    case 'pending':
      if (e.type === 'connected') {
        const next: PolicyState = { ...state, phase: 'active', started: true };
        return done(step(next, [{ kind: 'started', at: e.at }]));
      }
      if (e.type === 'ended') {
        return done(
          step(endedState(state, 'not-connected'), [{ kind: 'ended', at: e.at, reason: 'not-connected' }])
        );
      }
      if (e.type === 'uncertain') return done(uncertainEnd(state, e.cause, e.at));
      if (e.type === 'caller-objected') return done(objectionStep(state, e.actor, e.at));
      if (isAction(e.type)) return refuse(state, e.type, 'not-connected');
      return done(step(state));
    case 'active':
      return activeStep(state, e, config);
    case 'not-recorded':
      if (isAction(e.type)) {
        return refuse(
          state,
          e.type,
          state.notRecordedReason === 'objection' ? 'already-objected' : 'not-recorded'
        );
      }
      return done(step(state));
    case 'ended':
      if (e.type === 'caller-objected') return done(objectionStep(state, e.actor, e.at));
      if (isAction(e.type)) return refuse(state, e.type, 'recording-ended');
      return done(step(state));
  }
}

function offered(e: Extract<PolicyEvent, { type: 'offered' }>): Omit<PolicyStep, 'refusal'> {
  const base = { ...INITIAL_POLICY_STATE, callId: e.callId };
  if (tableEvent(e) === 'offered-recorded') return step({ ...base, phase: 'pending' });
  return step({ ...base, phase: 'not-recorded', notRecordedReason: 'direct-dial' });
}

function isAction(type: PolicyEventType): type is PolicyAction {
  return type === 'manual-pause' || type === 'manual-resume' || type === 'caller-objected';
}

function activeStep(s: PolicyState, e: PolicyEvent, config: PolicyConfig): PolicyStep {
  const done = (next: Omit<PolicyStep, 'refusal'>): PolicyStep => ({ ...next, refusal: null });
  switch (e.type) {
    case 'uncertain':
      return done(uncertainEnd(s, e.cause, e.at));
    case 'caller-objected':
      return done(objectionStep(s, e.actor, e.at));
    case 'ended':
      return done(step(endedState(s, 'call-ended'), [{ kind: 'ended', at: e.at, reason: 'call-ended' }]));
    case 'transfer-accepted':
    case 'transfer-completed': {
      const accepted = e.type === 'transfer-accepted' ? [{ kind: e.type, at: e.at, transfer: e.kind }] : [];
      return done(
        step(endedState(s, 'transfer-completed'), [
          ...accepted,
          { kind: 'transfer-completed', at: e.at },
          { kind: 'ended', at: e.at, reason: 'transfer-completed' }
        ])
      );
    }
    default: {
      const result = applyActive(s, e, config);
      if ('refusal' in result) return refuse(s, result.refusal.action, result.refusal.code);
      return done(step(result.state, result.timeline));
    }
  }
}

/**
 * {@link reducePolicy}, except that a programming error (an impossible event) does not throw: it is
 * treated as an uncertain state ('error'), which ends the recording, so capture fails closed.
 * `fault` carries the error's message for the error funnel (it never contains audio or digits).
 */
export function reducePolicyFailClosed(
  state: PolicyState,
  event: PolicyEvent,
  config: PolicyConfig
): PolicyStep & { fault: string | null } {
  try {
    return { ...reducePolicy(state, event, config), fault: null };
  } catch (error) {
    if (!(error instanceof InvalidTransitionError)) throw error;
    const failed = reducePolicy(state, { type: 'uncertain', at: event.at, cause: 'error' }, config);
    return { ...failed, fault: error.message };
  }
}
