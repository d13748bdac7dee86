import { transition, type TransitionTable } from './state-machine';

/**
 * Registration of the softphone with the PBX (one machine per SIP user agent).
 *
 * ```
 *            start                 transport-up            registered
 *  offline ───────▶ connecting ──────────────▶ registering ──────────▶ registered
 *     ▲                 │  ▲                      │   │                   │
 *     │            transport-lost                 │   │ rejected          │ transport-lost
 *     │                 ▼  │ retry                │   ▼                   ▼
 *     │             reconnecting ◀────────────────┘ rejected        reconnecting
 *     │  stop (from any state)        failed / transport-lost
 *     └──────────────────────────────────────────────────────────────────────
 * ```
 * - `rejected`: the PBX refused the credentials (401/403). The phone does not retry
 *   with the same credentials; `start` again once new credentials are fetched.
 * - `reconnecting`: waiting for the next attempt (exponential backoff with jitter).
 */
export type RegistrationState =
  'offline' | 'connecting' | 'registering' | 'registered' | 'reconnecting' | 'rejected';

export type RegistrationEvent =
  'start' | 'transport-up' | 'registered' | 'rejected' | 'failed' | 'transport-lost' | 'retry' | 'stop';

export const registrationTable: TransitionTable<RegistrationState, RegistrationEvent> = {
  offline: { start: 'connecting', stop: 'offline' },
  connecting: { 'transport-up': 'registering', 'transport-lost': 'reconnecting', stop: 'offline' },
  registering: {
    registered: 'registered',
    rejected: 'rejected',
    failed: 'reconnecting',
    'transport-lost': 'reconnecting',
    stop: 'offline'
  },
  registered: {
    registered: 'registered',
    rejected: 'rejected',
    failed: 'reconnecting',
    'transport-lost': 'reconnecting',
    stop: 'offline'
  },
  reconnecting: { retry: 'connecting', 'transport-up': 'registering', stop: 'offline' },
  rejected: { start: 'connecting', stop: 'offline', 'transport-lost': 'rejected' }
};

/** Next registration state; throws "expected state X or Y, was Z" on an impossible event. */
export function nextRegistrationState(state: RegistrationState, event: RegistrationEvent): RegistrationState {
  return transition('registration', registrationTable, state, event);
}

/** What the status line says for each registration state. */
export function describeRegistration(state: RegistrationState): string {
  switch (state) {
    case 'offline':
      return 'Phone offline';
    case 'connecting':
      return 'Connecting to the phone system…';
    case 'registering':
      return 'Signing in to the phone system…';
    case 'registered':
      return 'Phone ready';
    case 'reconnecting':
      return 'Phone system unreachable, retrying…';
    case 'rejected':
      return 'The phone system rejected this phone’s SIP credentials';
  }
}
