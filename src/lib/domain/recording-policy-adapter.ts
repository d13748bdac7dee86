import type { PhoneEvent } from '$lib/sip/phone-events';
import type { LegSnapshot } from './call-leg';
import type { PolicyEvent } from './recording-policy-types';

/**
 * Pure mapping from the phone's call events to recording policy events, for the policy
 * instance that follows the call whose original leg is `callLegId`. Events of other legs
 * (except the consultation leg's connect and end) and event types the policy does not know
 * map to null, so nothing unexpected, keypad digits included, ever reaches the policy.
 * Only the fields the policy needs are copied (the caller's number is not).
 *
 * The phone is not the only source: `uncertain`, `caller-objected`, `manual-*` and
 * `payment-leg-*` come from the page, the UI and the recorder.
 */
export interface PhoneEventContext {
  /** When the event happened (ms since epoch); the caller reads the clock. */
  readonly at: number;
  /** Id of the call's original leg. */
  readonly callLegId: string;
}

/** The policy event matching `e` for the call `ctx.callLegId`, or null when it has none. */
export function policyEventFromPhoneEvent(e: PhoneEvent, ctx: PhoneEventContext): PolicyEvent | null {
  const { at, callLegId } = ctx;
  const own = e.legId === callLegId;
  switch (e.type) {
    case 'incoming':
      return own
        ? { type: 'offered', at, callId: e.legId, direction: 'inbound', recordedLine: e.recordedLine }
        : null;
    case 'outgoing':
      return own
        ? { type: 'offered', at, callId: e.legId, direction: 'outbound', recordedLine: false }
        : null;
    case 'connected':
      // One call at a time: a consultation leg belongs to the current call.
      if (e.consultation) return { type: 'consultation-connected', at };
      return own ? { type: 'connected', at } : null;
    case 'hold':
      // Hold of the consultation leg is not a policy event (the caller's leg decides).
      return own ? { type: 'hold', at } : null;
    case 'unhold':
      return own ? { type: 'unhold', at } : null;
    case 'consultation-started':
      return own ? { type: 'consultation-started', at, target: e.target, kind: e.kind } : null;
    case 'consultation-ended':
      // Carries the consultation leg's id.
      return { type: 'consultation-ended', at };
    case 'transfer-requested':
      return own ? { type: 'transfer-requested', at, kind: e.kind, target: e.target } : null;
    case 'transfer-accepted':
      return own ? { type: 'transfer-accepted', at, kind: e.kind } : null;
    case 'transfer-failed':
      return own ? { type: 'transfer-failed', at, kind: e.kind, statusCode: e.statusCode } : null;
    case 'ended':
      // The consultation leg's end arrives as consultation-ended too.
      return own ? { type: 'ended', at } : null;
    default:
      return null;
  }
}

/**
 * The `offered` event for a leg the app knows about, e.g. the leg `phone.dial()` returns (the phone
 * emits no event for an outbound call). Null for a consultation leg: it is part of its call.
 */
export function offeredFromLeg(
  leg: Pick<LegSnapshot, 'id' | 'direction' | 'recordedLine' | 'consultation'>,
  at: number
): PolicyEvent | null {
  if (leg.consultation) return null;
  return { type: 'offered', at, callId: leg.id, direction: leg.direction, recordedLine: leg.recordedLine };
}
