import { InvalidTransitionError } from './state-machine';
import {
  isPaymentRequest,
  paymentLegExists,
  sameTarget,
  withCaptureMarks
} from './recording-policy-timeline';
import type {
  PolicyAction,
  PolicyConfig,
  PolicyEvent,
  PolicyState,
  RefusalCode,
  TimelineEvent
} from './recording-policy-types';

/**
 * The events that keep a connected, recordable call `active`: each changes one flag of the
 * state, adds its own timeline entry, and then `started` / `paused` / `resumed` is added when
 * capture switches (see `withCaptureMarks`). The events that end the recording are handled
 * in `recording-policy.ts`.
 */

export type ActiveResult =
  | { state: PolicyState; timeline: TimelineEvent[] }
  | { refusal: { action: PolicyAction; code: RefusalCode } };

const MACHINE = 'recording policy';

/** The state after `e` in phase active, or a refusal of a user action (state unchanged). */
export function applyActive(s: PolicyState, e: PolicyEvent, config: PolicyConfig): ActiveResult {
  const changed = (next: PolicyState, mark: TimelineEvent): ActiveResult => {
    const capture = withCaptureMarks(s, next, e.at);
    return { state: capture.state, timeline: [mark, ...capture.marks] };
  };
  const unchanged: ActiveResult = { state: s, timeline: [] };
  switch (e.type) {
    case 'hold':
      return s.held ? unchanged : changed({ ...s, held: true }, { kind: 'hold', at: e.at });
    case 'unhold':
      return s.held ? changed({ ...s, held: false }, { kind: 'unhold', at: e.at }) : unchanged;
    case 'consultation-started': {
      if (s.consultation) {
        throw new InvalidTransitionError(MACHINE, e.type, ['active without a consultation'], 'consulting');
      }
      const payment = isPaymentRequest(e.kind, e.target, config);
      return changed(
        { ...s, consultation: { target: e.target, payment, connected: false } },
        { kind: 'consultation-started', at: e.at, target: e.target, payment }
      );
    }
    case 'consultation-connected':
      if (!s.consultation) {
        throw new InvalidTransitionError(MACHINE, e.type, ['consulting'], 'active without a consultation');
      }
      if (s.consultation.connected) return unchanged;
      return changed(
        { ...s, consultation: { ...s.consultation, connected: true } },
        { kind: 'consultation-connected', at: e.at }
      );
    case 'consultation-ended':
      if (!s.consultation) return unchanged;
      // A transfer requested with the consultation (attended or assisted payment) ends with it.
      return changed(
        { ...s, consultation: null, transfer: s.transfer?.viaConsultation ? null : s.transfer },
        { kind: 'consultation-ended', at: e.at }
      );
    case 'transfer-requested': {
      if (s.transfer) {
        throw new InvalidTransitionError(MACHINE, e.type, ['active without a transfer'], 'transferring');
      }
      const payment = isPaymentRequest(e.kind, e.target, config);
      const viaConsultation = s.consultation !== null && sameTarget(s.consultation.target, e.target);
      return changed(
        { ...s, transfer: { kind: e.kind, target: e.target, payment, viaConsultation } },
        { kind: 'transfer-requested', at: e.at, transfer: e.kind, target: e.target, payment }
      );
    }
    case 'transfer-failed':
      // Reached only with a final SIP status or for a non-payment transfer (see `normalise`).
      return changed({ ...s, transfer: null }, { kind: 'transfer-failed', at: e.at, transfer: e.kind });
    case 'payment-leg-started':
      if (s.paymentLegs.includes(e.legId)) return unchanged;
      return changed(
        { ...s, paymentLegs: [...s.paymentLegs, e.legId] },
        { kind: 'payment-leg-started', at: e.at }
      );
    case 'payment-leg-ended':
      if (!s.paymentLegs.includes(e.legId)) return unchanged;
      return changed(
        { ...s, paymentLegs: s.paymentLegs.filter((id) => id !== e.legId) },
        { kind: 'payment-leg-ended', at: e.at }
      );
    case 'manual-pause':
      if (s.manualPause) return { refusal: { action: e.type, code: 'already-paused' } };
      return changed({ ...s, manualPause: true }, { kind: 'manual-pause', at: e.at, actor: e.actor });
    case 'manual-resume':
      if (!s.manualPause) return { refusal: { action: e.type, code: 'not-manually-paused' } };
      if (paymentLegExists(s)) return { refusal: { action: e.type, code: 'payment-leg' } };
      return changed({ ...s, manualPause: false }, { kind: 'manual-resume', at: e.at, actor: e.actor });
    default:
      throw new InvalidTransitionError(MACHINE, e.type, [], s.phase);
  }
}
