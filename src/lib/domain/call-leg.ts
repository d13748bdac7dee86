import { transition, type TransitionTable } from './state-machine';

/**
 * One SIP dialog the advisor is part of (the original call, or the consultation
 * leg of an attended transfer).
 *
 * ```
 *  incoming:  ringing ──answer──▶ answering ──established──▶ connected
 *  outgoing:  dialing ─────────────────────established──────▶ connected
 *
 *  connected ──hold──▶ holding ──held──▶ held ──resume──▶ resuming ──resumed──▶ connected
 *                         └──hold-failed──▶ connected        └──resume-failed──▶ held
 *
 *  any state ──end──▶ ended            (ended is final)
 * ```
 */
export type LegState =
  'ringing' | 'answering' | 'dialing' | 'connected' | 'holding' | 'held' | 'resuming' | 'ended';

export type LegEvent =
  'answer' | 'established' | 'hold' | 'held' | 'hold-failed' | 'resume' | 'resumed' | 'resume-failed' | 'end';

export const legTable: TransitionTable<LegState, LegEvent> = {
  ringing: { answer: 'answering', end: 'ended' },
  answering: { established: 'connected', end: 'ended' },
  dialing: { established: 'connected', end: 'ended' },
  connected: { hold: 'holding', end: 'ended' },
  holding: { held: 'held', 'hold-failed': 'connected', end: 'ended' },
  held: { resume: 'resuming', end: 'ended' },
  resuming: { resumed: 'connected', 'resume-failed': 'held', end: 'ended' },
  ended: {}
};

/** Next leg state; throws "expected state X or Y, was Z" on an impossible event. */
export function nextLegState(state: LegState, event: LegEvent): LegState {
  return transition('call', legTable, state, event);
}

/** States in which media flows or can be put back (the call is up). */
export const LIVE_LEG_STATES: readonly LegState[] = ['connected', 'holding', 'held', 'resuming'];

/** Why a leg ended; shown in recent calls and used by the recording policy. */
export type EndReason =
  | 'local-hangup'
  | 'remote-hangup'
  | 'declined'
  | 'cancelled'
  | 'missed'
  | 'answered-elsewhere'
  | 'rejected'
  | 'failed'
  | 'transferred'
  | 'replaced';

export type Direction = 'inbound' | 'outbound';

/** Plain description of a leg, as the UI and the recent-calls list see it. */
export interface LegSnapshot {
  id: string;
  direction: Direction;
  /** The other party's number (user part of their SIP URI). */
  remoteNumber: string;
  remoteName: string;
  /** True when the call arrived through a recorded line (the PBX's marker header). */
  recordedLine: boolean;
  /** True for the consultation leg of an attended transfer. */
  consultation: boolean;
  state: LegState;
  muted: boolean;
  /** ms since epoch when the leg connected, null before. */
  connectedAt: number | null;
  endedAt: number | null;
  endReason: EndReason | null;
  /** Human message for a failure (number not found, busy…), null otherwise. */
  error: string | null;
}
