import { describe, expect, it } from 'vitest';
import {
  initialPolicyState,
  isPaymentTarget,
  policyTable,
  reducePolicy,
  reducePolicyFailClosed,
  type PolicyTableEvent
} from './recording-policy';
import type { PolicyEvent, PolicyPhase } from './recording-policy-types';
import { InvalidTransitionError, statesAccepting } from './state-machine';
import {
  atOf,
  CONFIG,
  CONNECT,
  consult,
  CONSULT_UP,
  DIRECT_DIAL,
  END,
  HOLD,
  kinds,
  MAIN_LINE,
  OBJECT,
  PAUSE,
  run,
  transfer,
  type Ev
} from './recording-policy-test-fixtures';

const connected = () => run([MAIN_LINE, CONNECT]).state;

describe('programming errors throw the standard guard', () => {
  const cases: [string, Ev[], Ev, string][] = [
    [
      'connected before offered',
      [],
      CONNECT,
      'recording policy: cannot connected: expected state pending, not-recorded or ended, was idle'
    ],
    ['a second offer', [MAIN_LINE], MAIN_LINE, 'cannot offered-recorded: expected state idle, was pending'],
    [
      'hold while ringing',
      [MAIN_LINE],
      HOLD,
      'cannot hold: expected state active, not-recorded or ended, was pending'
    ],
    [
      'connected twice',
      [MAIN_LINE, CONNECT],
      CONNECT,
      'cannot connected: expected state pending, not-recorded or ended, was active'
    ],
    [
      'a consultation connecting that never started',
      [MAIN_LINE, CONNECT],
      CONSULT_UP,
      'expected state consulting, was active without a consultation'
    ],
    ['two consultations', [MAIN_LINE, CONNECT, consult('2001')], consult('2002'), 'was consulting'],
    [
      'two transfer requests',
      [MAIN_LINE, CONNECT, transfer('blind', '2001')],
      transfer('blind', '2002'),
      'was transferring'
    ]
  ];
  it.each(cases)('%s', (_name, before, event, message) => {
    const state = run(before).state;
    const e = { ...event, at: 1 } as PolicyEvent;
    expect(() => reducePolicy(state, e, CONFIG)).toThrow(InvalidTransitionError);
    expect(() => reducePolicy(state, e, CONFIG)).toThrow(message);
  });

  it('offers are accepted only before the call exists', () => {
    expect(statesAccepting(policyTable, 'offered-recorded')).toEqual(['idle']);
    expect(statesAccepting(policyTable, 'offered-unrecorded')).toEqual(['idle']);
  });

  it('uncertain and the user actions are accepted in every phase (the page and the UI never make it throw)', () => {
    for (const e of ['uncertain', 'manual-pause', 'manual-resume', 'caller-objected'] as PolicyTableEvent[]) {
      expect(statesAccepting(policyTable, e)).toEqual(Object.keys(policyTable));
    }
  });

  it('final phases absorb every late event from the phone', () => {
    for (const phase of ['not-recorded', 'ended'] as PolicyPhase[]) {
      expect(Object.keys(policyTable[phase])).toHaveLength(17);
    }
  });
});

describe('reducePolicyFailClosed', () => {
  it('turns a programming error into an uncertain end with a gap', () => {
    const step = reducePolicyFailClosed(connected(), { type: 'connected', at: 5000 }, CONFIG);
    expect(step.fault).toMatch(/expected state pending, not-recorded or ended, was active/);
    expect(step.capturing).toBe(false);
    expect(step.status).toEqual({ state: 'ended', reason: 'uncertain' });
    expect(step.timeline).toEqual([
      { kind: 'gap', at: 5000, cause: 'error' },
      { kind: 'ended', at: 5000, reason: 'uncertain' }
    ]);
  });

  it('passes valid events through', () => {
    const step = reducePolicyFailClosed(connected(), { type: 'hold', at: 5000 }, CONFIG);
    expect(step.fault).toBeNull();
    expect(kinds(step.timeline)).toEqual(['hold', 'paused:hold']);
  });

  it('never throws, whatever the phase and the event', () => {
    const states = [
      initialPolicyState(),
      run([MAIN_LINE]).state,
      connected(),
      run([DIRECT_DIAL]).state,
      run([MAIN_LINE, CONNECT, END]).state
    ];
    const events: Ev[] = [
      MAIN_LINE,
      CONNECT,
      HOLD,
      CONSULT_UP,
      consult('8000'),
      transfer('payment', '8000'),
      OBJECT,
      PAUSE,
      END
    ];
    for (const s of states) {
      for (const ev of events) {
        expect(() => reducePolicyFailClosed(s, { ...ev, at: 1 } as PolicyEvent, CONFIG)).not.toThrow();
      }
    }
  });
});

describe('outputs', () => {
  it('stamps every timeline entry with the time of the event that caused it', () => {
    const r = run([MAIN_LINE, CONNECT, HOLD, consult('2001'), CONSULT_UP, END]);
    const expected = [1, 2, 2, 3, 4, 4, 5].map((i) => atOf(i));
    expect(r.timeline.map((t) => t.at)).toEqual(expected);
  });

  it('lists every pause reason, most important first', () => {
    const r = run([MAIN_LINE, CONNECT, PAUSE, HOLD, transfer('payment', '8000')]);
    expect(r.steps.at(-1)?.status).toEqual({ state: 'paused', reasons: ['payment', 'hold', 'manual'] });
  });

  it('keeps the state plain JSON, so a reloaded page can resume the policy from storage', () => {
    const r = run([MAIN_LINE, CONNECT, HOLD, consult('8000', 'payment'), transfer('payment', '8000')]);
    const restored = JSON.parse(JSON.stringify(r.state)) as typeof r.state;
    expect(restored).toEqual(r.state);
    const step = reducePolicy(restored, { type: 'uncertain', at: 9, cause: 'reload' }, CONFIG);
    expect(kinds(step.timeline)).toEqual(['gap:reload', 'ended:uncertain']);
  });

  it('never lets keypad digits through: unknown fields on events are dropped', () => {
    const digits = '4929123412341234';
    const events = [MAIN_LINE, CONNECT, HOLD, PAUSE, OBJECT].map(
      (e) => ({ ...e, digits, dtmf: digits }) as unknown as Ev
    );
    const r = run(events);
    expect(JSON.stringify([r.steps, r.state])).not.toContain(digits);
  });

  it('matches payment targets on the user part', () => {
    expect(isPaymentTarget(' 8000 ', CONFIG)).toBe(true);
    expect(isPaymentTarget('sip:8000@pbx.test', CONFIG)).toBe(true);
    expect(isPaymentTarget('8001', CONFIG)).toBe(true);
    expect(isPaymentTarget('80001', CONFIG)).toBe(false);
    expect(isPaymentTarget('', { paymentTargets: [''] })).toBe(false);
  });
});
