import type { Direction } from './call-leg';
import type { TransferKind } from './transfer';

/**
 * Types of the recording policy engine (see `recording-policy.ts` for the machine).
 * Every type here is plain JSON, so a policy state can be stored beside the
 * recording's segments and reloaded after the page is closed. No event, state or
 * output carries keypad (DTMF) digits or card data: there is no field for them.
 */

/** Policy settings; everything council-specific lives here. */
export interface PolicyConfig {
  /**
   * Numbers (or SIP URIs) of the payment line. A transfer or consultation to one of
   * these is a payment leg whatever its `kind` says. Compared on the user part, trimmed.
   */
  readonly paymentTargets: readonly string[];
}

/** Why the page can no longer vouch for what the encoder is hearing. */
export type UncertainCause =
  /** The DOM `pagehide` event: tab closing, reload, navigation, back-forward cache. NOT `visibilitychange`. */
  | 'page-hide'
  /** The app started again and found this call's recording unfinished (the page was reloaded or crashed). */
  | 'reload'
  /** The SIP transport dropped and reconnected while the call was up. */
  | 'reconnect'
  /** An error in the phone, the recorder or the event stream itself (see `reducePolicyFailClosed`). */
  | 'error'
  /** A payment transfer failed without a final SIP response: the REFER may still have reached the PBX. */
  | 'transfer-outcome-unknown';

/** Who pressed a button (the advisor's user id); kept on the timeline for audit. */
export type Actor = string;

/**
 * Everything the policy is told, each stamped with `at` (ms since epoch, taken by the
 * caller: the engine reads no clock). One policy state follows one call: the original
 * leg plus its consultation and transfer.
 */
export type PolicyEvent =
  /** The call exists: ringing inbound, or dialled outbound from the app. */
  | { type: 'offered'; at: number; callId: string; direction: Direction; recordedLine: boolean }
  /** The original leg connected (media flows). */
  | { type: 'connected'; at: number }
  /** The original leg was put on hold (feed it when hold is asked for, before the re-INVITE). */
  | { type: 'hold'; at: number }
  /** The original leg came off hold. */
  | { type: 'unhold'; at: number }
  /** A consultation leg is about to be dialled (before its INVITE leaves). */
  | { type: 'consultation-started'; at: number; target: string; kind: TransferKind }
  /** The consultation leg connected. */
  | { type: 'consultation-connected'; at: number }
  /** The consultation leg is gone (hung up, failed, cancelled or replaced). */
  | { type: 'consultation-ended'; at: number }
  /** A transfer or consult request is about to leave the browser (REFER or consultation INVITE). */
  | { type: 'transfer-requested'; at: number; kind: TransferKind; target: string }
  /** The REFER got its 2xx. SIP.js sends no NOTIFY, so this is the last word we get. */
  | { type: 'transfer-accepted'; at: number; kind: TransferKind }
  /** The REFER was refused (`statusCode` set) or failed without a final response (undefined). */
  | { type: 'transfer-failed'; at: number; kind: TransferKind; statusCode: number | undefined }
  /** The transfer is known to be complete (e.g. a NOTIFY from a stack that sends one). */
  | { type: 'transfer-completed'; at: number }
  /** A payment leg not announced by a transfer or consultation (e.g. signalled by the PBX). */
  | { type: 'payment-leg-started'; at: number; legId: string }
  | { type: 'payment-leg-ended'; at: number; legId: string }
  /** The advisor marked that the caller objects to being recorded. */
  | { type: 'caller-objected'; at: number; actor: Actor }
  | { type: 'manual-pause'; at: number; actor: Actor }
  | { type: 'manual-resume'; at: number; actor: Actor }
  /** Fail closed: the page lost track of the call's state (see {@link UncertainCause}). */
  | { type: 'uncertain'; at: number; cause: UncertainCause }
  /** The original leg ended. */
  | { type: 'ended'; at: number };

export type PolicyEventType = PolicyEvent['type'];

/** A user action the policy may refuse (the others are facts and are never refused). */
export type PolicyAction = 'manual-pause' | 'manual-resume' | 'caller-objected';

/**
 * The machine's coarse state, the one its transition table is written over.
 * Whether an `active` call is recording or paused follows from the flags in {@link PolicyState}.
 */
export type PolicyPhase = 'idle' | 'pending' | 'not-recorded' | 'active' | 'ended';

export type NotRecordedReason = 'no-call' | 'direct-dial' | 'objection';

export type PauseReason = 'payment' | 'hold' | 'manual';

export type EndReason = 'call-ended' | 'not-connected' | 'transfer-completed' | 'uncertain';

/** The consultation leg of an attended (or assisted-payment) transfer. */
export interface ConsultationState {
  readonly target: string;
  /** To a payment target, or kind 'payment': a payment leg while it exists. */
  readonly payment: boolean;
  readonly connected: boolean;
}

/** A transfer request that has left (or is about to leave) the browser and has no outcome yet. */
export interface TransferRequestState {
  readonly kind: TransferKind;
  readonly target: string;
  readonly payment: boolean;
  /** Requested together with the consultation to the same target: ends with that consultation. */
  readonly viaConsultation: boolean;
}

/** The whole policy state for one call; plain JSON, never mutated. */
export interface PolicyState {
  readonly phase: PolicyPhase;
  readonly callId: string | null;
  /** Set in phase `not-recorded`. */
  readonly notRecordedReason: NotRecordedReason | null;
  /** Set in phase `ended`. */
  readonly endReason: EndReason | null;
  /** Capture has run at least once (the timeline has `started`). */
  readonly started: boolean;
  /** The original leg is on hold. */
  readonly held: boolean;
  readonly consultation: ConsultationState | null;
  readonly transfer: TransferRequestState | null;
  /** Ids of payment legs announced by `payment-leg-started`. */
  readonly paymentLegs: readonly string[];
  readonly manualPause: boolean;
}

/** What the advisor sees: REC / PAUSED (why) / NOT RECORDED (why) / ENDED (why). */
export type RecordingStatus =
  | { state: 'not-recorded'; reason: NotRecordedReason }
  /** Recordable, not connected yet: recording starts when the call connects, not while it rings. */
  | { state: 'pending' }
  | { state: 'recording' }
  /** Every reason that keeps it paused, most important first (payment, hold, manual). */
  | { state: 'paused'; reasons: readonly PauseReason[] }
  | { state: 'ended'; reason: EndReason };

/** One entry on the recording's timeline; `at` is the `at` of the event that caused it. */
export type TimelineEvent =
  | { kind: 'started'; at: number }
  | { kind: 'paused'; at: number; reason: PauseReason }
  | { kind: 'resumed'; at: number }
  | { kind: 'hold'; at: number }
  | { kind: 'unhold'; at: number }
  | { kind: 'consultation-started'; at: number; target: string; payment: boolean }
  | { kind: 'consultation-connected'; at: number }
  | { kind: 'consultation-ended'; at: number }
  | { kind: 'transfer-requested'; at: number; transfer: TransferKind; target: string; payment: boolean }
  | { kind: 'transfer-accepted'; at: number; transfer: TransferKind }
  | { kind: 'transfer-failed'; at: number; transfer: TransferKind }
  | { kind: 'transfer-completed'; at: number }
  | { kind: 'payment-leg-started'; at: number }
  | { kind: 'payment-leg-ended'; at: number }
  | { kind: 'manual-pause'; at: number; actor: Actor }
  | { kind: 'manual-resume'; at: number; actor: Actor }
  /** The caller's objection: the decision, never the audio. */
  | { kind: 'objection'; at: number; actor: Actor }
  /** Audio from here on may be missing, and why. */
  | { kind: 'gap'; at: number; cause: UncertainCause }
  | { kind: 'ended'; at: number; reason: EndReason };

export type TimelineKind = TimelineEvent['kind'];

/** Work the caller must do outside the pure engine. */
export type PolicyEffect =
  /** Delete every byte of this call's audio: encoder buffers, IndexedDB outbox and the server. */
  { type: 'delete-call-audio'; callId: string };

export type RefusalCode =
  | 'no-call'
  | 'not-recorded'
  | 'not-connected'
  | 'recording-ended'
  | 'already-paused'
  | 'not-manually-paused'
  | 'payment-leg'
  | 'already-objected';

/** A user action the policy declined; the state is unchanged. `message` is fit for the advisor. */
export interface PolicyRefusal {
  readonly action: PolicyAction;
  readonly code: RefusalCode;
  readonly message: string;
}

/** The result of one step of the reducer. */
export interface PolicyStep {
  readonly state: PolicyState;
  readonly status: RecordingStatus;
  /** Whether audio may reach the encoder right now. */
  readonly capturing: boolean;
  readonly timeline: readonly TimelineEvent[];
  readonly effects: readonly PolicyEffect[];
  /** Set when a user action was refused; then `state` is the input state and nothing else happened. */
  readonly refusal: PolicyRefusal | null;
}
