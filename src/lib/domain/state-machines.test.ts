import { describe, expect, it } from 'vitest';
import { legTable, nextLegState, type LegEvent, type LegState } from './call-leg';
import { nextRegistrationState, registrationTable } from './registration';
import { InvalidTransitionError, statesAccepting } from './state-machine';
import { nextTransferState } from './transfer';

describe('call leg machine', () => {
  const cases: [LegState, LegEvent, LegState][] = [
    ['ringing', 'answer', 'answering'],
    ['answering', 'established', 'connected'],
    ['dialing', 'established', 'connected'],
    ['connected', 'hold', 'holding'],
    ['holding', 'held', 'held'],
    ['holding', 'hold-failed', 'connected'],
    ['held', 'resume', 'resuming'],
    ['resuming', 'resumed', 'connected'],
    ['resuming', 'resume-failed', 'held'],
    ['ringing', 'end', 'ended'],
    ['held', 'end', 'ended']
  ];
  it.each(cases)('%s --%s--> %s', (from, event, to) => {
    expect(nextLegState(from, event)).toBe(to);
  });

  it('refuses to hold a ringing call with a message naming the states', () => {
    expect(() => nextLegState('ringing', 'hold')).toThrow(
      new InvalidTransitionError('call', 'hold', ['connected'], 'ringing')
    );
    expect(() => nextLegState('ringing', 'hold')).toThrow(
      'call: cannot hold: expected state connected, was ringing'
    );
  });

  it('ended is final', () => {
    for (const event of Object.keys(legTable.connected) as LegEvent[]) {
      expect(() => nextLegState('ended', event)).toThrow(/was ended/);
    }
  });

  it('lists every accepting state in the message', () => {
    expect(statesAccepting(legTable, 'established')).toEqual(['answering', 'dialing']);
    expect(() => nextLegState('connected', 'established')).toThrow(
      'expected state answering or dialing, was connected'
    );
  });
});

describe('registration machine', () => {
  it('walks start -> registered -> lost -> retry -> registered', () => {
    let s = nextRegistrationState('offline', 'start');
    s = nextRegistrationState(s, 'transport-up');
    s = nextRegistrationState(s, 'registered');
    expect(s).toBe('registered');
    s = nextRegistrationState(s, 'transport-lost');
    expect(s).toBe('reconnecting');
    s = nextRegistrationState(s, 'retry');
    s = nextRegistrationState(s, 'transport-up');
    expect(nextRegistrationState(s, 'registered')).toBe('registered');
  });

  it('does not retry rejected credentials on its own', () => {
    const s = nextRegistrationState('registering', 'rejected');
    expect(s).toBe('rejected');
    expect(() => nextRegistrationState(s, 'retry')).toThrow(/expected state reconnecting, was rejected/);
    expect(nextRegistrationState(s, 'transport-lost')).toBe('rejected');
  });

  it('stop is accepted everywhere', () => {
    for (const state of Object.keys(registrationTable) as (keyof typeof registrationTable)[]) {
      expect(nextRegistrationState(state, 'stop')).toBe('offline');
    }
  });
});

describe('transfer machine', () => {
  it('blind: accepted ends in transferred, rejected returns to idle', () => {
    expect(nextTransferState(nextTransferState('idle', 'blind'), 'accepted')).toBe('transferred');
    expect(nextTransferState(nextTransferState('idle', 'blind'), 'rejected')).toBe('idle');
  });

  it('payment: after the REFER 2xx the NOTIFY decides, and a failure brings the caller back', () => {
    const awaiting = nextTransferState(nextTransferState('idle', 'blind'), 'referred');
    expect(awaiting).toBe('awaiting-outcome');
    expect(nextTransferState(awaiting, 'accepted')).toBe('transferred');
    expect(nextTransferState(awaiting, 'rejected')).toBe('idle');
    expect(() => nextTransferState(awaiting, 'blind')).toThrow(/was awaiting-outcome/);
  });

  it('attended: consult, complete, accepted', () => {
    let s = nextTransferState('idle', 'consult');
    s = nextTransferState(s, 'complete');
    expect(nextTransferState(s, 'accepted')).toBe('transferred');
    expect(nextTransferState(s, 'rejected')).toBe('consulting');
  });

  it('cancel returns to the caller', () => {
    expect(nextTransferState('consulting', 'cancel')).toBe('idle');
    expect(() => nextTransferState('idle', 'complete')).toThrow('expected state consulting, was idle');
  });

  it('nothing follows a completed transfer', () => {
    expect(() => nextTransferState('transferred', 'blind')).toThrow(/was transferred/);
  });
});
