import { transition, type TransitionTable } from './state-machine';

/**
 * The in-browser audio bridge of an assisted payment: the advisor stays on both legs and
 * each leg's outgoing audio becomes a mix of the advisor's microphone and the other
 * leg's incoming audio, so the caller and the payment line hear each other and the
 * advisor, and the advisor hears both.
 *
 * ```
 *        connect              connected
 *  off ──────────▶ connecting ──────────▶ bridged
 *   ▲                 │ failed /             │ release
 *   │                 │ release              ▼
 *   │                 └──────────────▶ releasing
 *   └────────────── released ──────────────┘
 * ```
 * `releasing` lasts until every surviving leg sends the plain microphone again; only then
 * may the phone report the payment leg gone (the recorder must not pick up a mix).
 */
export type BridgeState = 'off' | 'connecting' | 'bridged' | 'releasing';

export type BridgeEvent = 'connect' | 'connected' | 'failed' | 'release' | 'released';

export const bridgeTable: TransitionTable<BridgeState, BridgeEvent> = {
  off: { connect: 'connecting' },
  connecting: { connected: 'bridged', failed: 'releasing', release: 'releasing' },
  bridged: { release: 'releasing' },
  releasing: { released: 'off' }
};

/** Next bridge state; throws "expected state X or Y, was Z" on an impossible event. */
export function nextBridgeState(state: BridgeState, event: BridgeEvent): BridgeState {
  return transition('bridge', bridgeTable, state, event);
}

/** One input of a leg's outgoing mix: the advisor's microphone, or what another leg receives. */
export type MixSource = { kind: 'microphone' } | { kind: 'remote'; legId: string };

/** What one leg sends while bridged. */
export interface MixPlan {
  legId: string;
  sources: MixSource[];
}

/**
 * The outgoing mix of every bridged leg: the microphone plus every OTHER leg's incoming audio
 * (never its own, which would echo the party back to themselves).
 */
export function conferenceMixes(legIds: readonly string[]): MixPlan[] {
  if (new Set(legIds).size !== legIds.length || legIds.length < 2) {
    throw new Error('A bridge needs at least two different legs');
  }
  return legIds.map((legId) => ({
    legId,
    sources: [
      { kind: 'microphone' },
      ...legIds.filter((other) => other !== legId).map((other) => ({ kind: 'remote' as const, legId: other }))
    ]
  }));
}
