import { describe, expect, it } from 'vitest';
import type { PhoneEvent } from '$lib/sip/phone-events';
import { initialPolicyState, reducePolicy } from './recording-policy';
import { offeredFromLeg, policyEventFromPhoneEvent } from './recording-policy-adapter';
import type { PolicyEvent, PolicyState } from './recording-policy-types';
import { CONFIG, kinds } from './recording-policy-test-fixtures';

const ctx = { at: 42, callLegId: 'main' };

describe('policyEventFromPhoneEvent', () => {
  const cases: [PhoneEvent, PolicyEvent | null][] = [
    [
      { type: 'incoming', legId: 'main', recordedLine: true, remoteNumber: '07700900123' },
      { type: 'offered', at: 42, callId: 'main', direction: 'inbound', recordedLine: true }
    ],
    [{ type: 'incoming', legId: 'other', recordedLine: true, remoteNumber: '07700900123' }, null],
    [
      { type: 'connected', legId: 'main', consultation: false },
      { type: 'connected', at: 42 }
    ],
    [
      { type: 'connected', legId: 'consult', consultation: true },
      { type: 'consultation-connected', at: 42 }
    ],
    [{ type: 'connected', legId: 'other', consultation: false }, null],
    [
      { type: 'hold', legId: 'main' },
      { type: 'hold', at: 42 }
    ],
    [{ type: 'hold', legId: 'consult' }, null],
    [
      { type: 'unhold', legId: 'main' },
      { type: 'unhold', at: 42 }
    ],
    [
      { type: 'consultation-started', legId: 'main', target: '8000', kind: 'payment' },
      { type: 'consultation-started', at: 42, target: '8000', kind: 'payment' }
    ],
    [
      { type: 'consultation-ended', legId: 'consult' },
      { type: 'consultation-ended', at: 42 }
    ],
    [
      { type: 'transfer-requested', legId: 'main', target: '2001', kind: 'blind' },
      { type: 'transfer-requested', at: 42, target: '2001', kind: 'blind' }
    ],
    [
      { type: 'transfer-accepted', legId: 'main', kind: 'attended' },
      { type: 'transfer-accepted', at: 42, kind: 'attended' }
    ],
    [
      { type: 'transfer-failed', legId: 'main', kind: 'payment', statusCode: undefined },
      { type: 'transfer-failed', at: 42, kind: 'payment', statusCode: undefined }
    ],
    [
      { type: 'ended', legId: 'main', reason: 'remote-hangup' },
      { type: 'ended', at: 42 }
    ],
    [{ type: 'ended', legId: 'consult', reason: 'transferred' }, null]
  ];
  it.each(cases)('%j', (phoneEvent, expected) => {
    expect(policyEventFromPhoneEvent(phoneEvent, ctx)).toEqual(expected);
  });

  it('drops event types it does not know (a future keypad event cannot reach the policy)', () => {
    const dtmf = { type: 'dtmf', legId: 'main', digits: '1234' } as unknown as PhoneEvent;
    expect(policyEventFromPhoneEvent(dtmf, ctx)).toBeNull();
  });

  it('does not copy the caller’s number', () => {
    const e = policyEventFromPhoneEvent(
      { type: 'incoming', legId: 'main', recordedLine: false, remoteNumber: '07700900123' },
      ctx
    );
    expect(JSON.stringify(e)).not.toContain('07700900123');
  });

  it('drives the policy through a phone-side payment blind transfer, pausing before the REFER', () => {
    const phone: PhoneEvent[] = [
      { type: 'incoming', legId: 'main', recordedLine: true, remoteNumber: '07700900123' },
      { type: 'connected', legId: 'main', consultation: false },
      { type: 'transfer-requested', legId: 'main', target: '8000', kind: 'payment' },
      { type: 'transfer-accepted', legId: 'main', kind: 'payment' },
      { type: 'ended', legId: 'main', reason: 'transferred' }
    ];
    let state: PolicyState = initialPolicyState();
    const capture: boolean[] = [];
    const timeline: string[] = [];
    for (const [i, p] of phone.entries()) {
      const e = policyEventFromPhoneEvent(p, { at: i, callLegId: 'main' });
      if (!e) continue;
      const s = reducePolicy(state, e, CONFIG);
      state = s.state;
      capture.push(s.capturing);
      timeline.push(...kinds(s.timeline));
    }
    expect(capture).toEqual([false, true, false, false, false]);
    expect(timeline).toEqual([
      'started',
      'transfer-requested',
      'paused:payment',
      'transfer-accepted',
      'transfer-completed',
      'ended:transfer-completed'
    ]);
  });
});

describe('offeredFromLeg', () => {
  it('offers an outbound leg as a recordable call', () => {
    const leg = { id: 'l1', direction: 'outbound', recordedLine: false, consultation: false } as const;
    expect(offeredFromLeg(leg, 7)).toEqual({
      type: 'offered',
      at: 7,
      callId: 'l1',
      direction: 'outbound',
      recordedLine: false
    });
  });

  it('has no offer for a consultation leg (it belongs to its call)', () => {
    expect(
      offeredFromLeg({ id: 'c', direction: 'outbound', recordedLine: false, consultation: true }, 7)
    ).toBeNull();
  });
});
