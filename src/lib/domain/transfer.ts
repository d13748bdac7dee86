import { transition, type TransitionTable } from './state-machine';

/**
 * Transfer of the original call (blind, attended, or to the payment line).
 *
 * ```
 *        blind                         accepted
 *  idle ───────▶ blind-requested ───────────────▶ transferred
 *   ▲ │              │ │ referred                     ▲ ▲
 *   │ │     rejected │ └──────▶ awaiting-outcome ─────┘ │ accepted
 *   │ │              ▼              │ rejected (NOTIFY)  │
 *   │ │            idle ◀───────────┘                    │
 *   │ │ consult            complete                      │
 *   │ └────────▶ consulting ───────▶ completing ─────────┘
 *   │                │                   │ rejected
 *   └── cancel / ────┘                   ▼
 *       consult-ended                 consulting
 * ```
 * SIP.js sends no NOTIFY after following a REFER, so for most transfers "accepted"
 * means the REFER got its 2xx and the transferor never waits for a NOTIFY. A payment
 * transfer keeps the caller's leg after the 2xx (`referred`, state `awaiting-outcome`)
 * until the transferee's NOTIFY reports the outcome (message/sipfrag: 2xx `accepted`,
 * a failure `rejected`: the caller is back) or the transferee hangs the leg up.
 */
export type TransferState =
  'idle' | 'blind-requested' | 'awaiting-outcome' | 'consulting' | 'completing' | 'transferred';

export type TransferEvent =
  'blind' | 'consult' | 'consult-ended' | 'cancel' | 'complete' | 'referred' | 'accepted' | 'rejected';

export const transferTable: TransitionTable<TransferState, TransferEvent> = {
  idle: { blind: 'blind-requested', consult: 'consulting' },
  'blind-requested': { accepted: 'transferred', rejected: 'idle', referred: 'awaiting-outcome' },
  'awaiting-outcome': { accepted: 'transferred', rejected: 'idle' },
  consulting: { complete: 'completing', cancel: 'idle', 'consult-ended': 'idle' },
  completing: { accepted: 'transferred', rejected: 'consulting', 'consult-ended': 'idle' },
  transferred: {}
};

/** Next transfer state; throws "expected state X or Y, was Z" on an impossible event. */
export function nextTransferState(state: TransferState, event: TransferEvent): TransferState {
  return transition('transfer', transferTable, state, event);
}

/** What kind of transfer is under way, for the UI and the recording policy. */
export type TransferKind = 'blind' | 'attended' | 'payment';
