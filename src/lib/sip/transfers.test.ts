import { describe, expect, it } from 'vitest';
import type { CallSession } from './call-session';
import type { PhoneEvent } from './phone-events';
import { Transfers } from './transfers';

/** What the fake REFER was given: the delegate SIP.js would call for the REFER's response and NOTIFYs. */
interface ReferCall {
  requestDelegate: {
    onAccept(response: unknown): void;
    onReject(response: { message: { statusCode: number } }): void;
  };
  onNotify?: (n: unknown) => void;
}

function fakeLeg(id: string, consultation = false) {
  const refers: ReferCall[] = [];
  const hangups: string[] = [];
  const leg = {
    id,
    state: 'connected' as string,
    snapshot: { consultation, error: null },
    session: {
      refer: (_target: unknown, options: ReferCall) => {
        refers.push(options);
        return Promise.resolve();
      }
    },
    hold: () => {
      leg.state = 'held';
      return Promise.resolve();
    },
    resume: () => {
      leg.state = 'connected';
      return Promise.resolve();
    },
    hangup: (reason: string) => {
      hangups.push(reason);
      return Promise.resolve();
    },
    expectEnd: () => undefined
  };
  return { leg, refers, hangups, asSession: leg as unknown as CallSession };
}

function notify(body: string, accepted: string[]) {
  return {
    accept: () => {
      accepted.push(body);
      return Promise.resolve();
    },
    request: { getHeader: (name: string) => (name === 'Event' ? 'refer' : undefined), body }
  };
}

function setUp() {
  const caller = fakeLeg('caller');
  const events: PhoneEvent[] = [];
  const dialled: string[] = [];
  const bridged: string[][] = [];
  let consult: CallSession | undefined;
  const errorsSeenOnChange: (string | null)[] = [];
  const transfers: Transfers = new Transfers(
    {
      get mainLeg() {
        return caller.asSession;
      },
      get consultLeg() {
        return consult;
      }
    },
    {
      dial: (target) => {
        dialled.push(`${target} (caller ${caller.leg.state})`);
        consult = fakeLeg('payment', true).asSession;
        return consult;
      },
      bridge: (a, b) => {
        bridged.push([a.id, b.id]);
        return Promise.resolve();
      },
      emit: (e) => events.push(e),
      changed: () => errorsSeenOnChange.push(transfers?.error ?? null),
      scheduler: { setTimeout: () => 0, clearTimeout: () => undefined, random: () => 0.5 },
      domain: 'pbx.test'
    }
  );
  return {
    caller,
    events,
    dialled,
    bridged,
    transfers,
    errorsSeenOnChange,
    setConsult: (c?: CallSession) => (consult = c)
  };
}

describe('Transfers: payment line outcome from the transferee NOTIFY', () => {
  it('after the REFER 2xx waits for the outcome; a failure brings the caller back with its status', async () => {
    const t = setUp();
    const done = t.transfers.blind('7000', 'payment');
    const refer = t.caller.refers[0] as ReferCall;
    expect(refer.onNotify).toBeTypeOf('function');
    refer.requestDelegate.onAccept({});
    await done;
    expect(t.transfers.state).toBe('awaiting-outcome');
    expect(t.caller.hangups).toEqual([]);
    const accepted: string[] = [];
    refer.onNotify?.(notify('SIP/2.0 100 Trying', accepted));
    expect(t.transfers.state).toBe('awaiting-outcome');
    refer.onNotify?.(notify('SIP/2.0 486 Busy Here', accepted));
    expect(accepted).toEqual(['SIP/2.0 100 Trying', 'SIP/2.0 486 Busy Here']);
    expect(t.transfers.state).toBe('idle');
    expect(t.transfers.error).toMatch(/did not go through \(486\)/);
    // The page reads the error when the state changes: it must already be there.
    expect(t.errorsSeenOnChange.at(-1)).toMatch(/486/);
    expect(t.events.map((e) => e.type)).toEqual(['transfer-requested', 'transfer-failed']);
    expect(t.events.at(-1)).toMatchObject({ kind: 'payment', statusCode: 486 });
    expect(t.caller.hangups).toEqual([]);
  });

  it('a 2xx outcome completes the transfer and hangs up the caller leg', async () => {
    const t = setUp();
    const done = t.transfers.blind('7000', 'payment');
    const refer = t.caller.refers[0] as ReferCall;
    refer.requestDelegate.onAccept({});
    await done;
    refer.onNotify?.(notify('SIP/2.0 200 OK', []));
    expect(t.transfers.state).toBe('transferred');
    expect(t.events.map((e) => e.type)).toEqual(['transfer-requested', 'transfer-accepted']);
    expect(t.caller.hangups).toEqual(['transferred']);
  });

  it('a final NOTIFY that overtakes the REFER 2xx still settles the transfer', async () => {
    const t = setUp();
    const done = t.transfers.blind('7000', 'payment');
    const refer = t.caller.refers[0] as ReferCall;
    refer.onNotify?.(notify('SIP/2.0 480 Temporarily Unavailable', []));
    await done;
    refer.requestDelegate.onAccept({});
    expect(t.transfers.state).toBe('idle');
    expect(t.events.at(-1)).toMatchObject({ type: 'transfer-failed', statusCode: 480 });
  });

  it('a plain blind transfer still completes on the REFER 2xx', async () => {
    const t = setUp();
    const done = t.transfers.blind('2002');
    const refer = t.caller.refers[0] as ReferCall;
    expect(refer.onNotify).toBeUndefined();
    refer.requestDelegate.onAccept({});
    await done;
    expect(t.transfers.state).toBe('transferred');
    expect(t.caller.hangups).toEqual(['transferred']);
  });
});

describe('Transfers: assisted payment', () => {
  it('pauses (consultation and transfer requested) before the caller is held and the payment line dialled', async () => {
    const t = setUp();
    const hold = t.caller.leg.hold;
    t.caller.leg.hold = () => {
      expect(t.events.map((e) => e.type)).toEqual(['consultation-started', 'transfer-requested']);
      return hold();
    };
    await t.transfers.assistedPayment('7000');
    expect(t.dialled).toEqual(['7000 (caller held)']);
    expect(t.events[0]).toMatchObject({ type: 'consultation-started', kind: 'payment', target: '7000' });
    expect(t.transfers.state).toBe('consulting');
    expect(t.transfers.kind).toBe('payment');
  });

  it('connects the caller only once the payment line answered, taking the caller off hold', async () => {
    const t = setUp();
    await t.transfers.assistedPayment('7000');
    const payment = fakeLeg('payment', true);
    payment.leg.state = 'dialing';
    t.setConsult(payment.asSession);
    await expect(t.transfers.connectCaller()).rejects.toThrow(/must answer/);
    payment.leg.state = 'connected';
    await t.transfers.connectCaller();
    expect(t.caller.leg.state).toBe('connected');
    expect(t.bridged).toEqual([['caller', 'payment']]);
  });

  it('a hold that fails ends the consultation that never left', async () => {
    const t = setUp();
    t.caller.leg.hold = () => Promise.reject(new Error('refused'));
    await expect(t.transfers.assistedPayment('7000')).rejects.toThrow('refused');
    expect(t.dialled).toEqual([]);
    expect(t.transfers.state).toBe('idle');
    expect(t.events.map((e) => e.type)).toEqual([
      'consultation-started',
      'transfer-requested',
      'consultation-ended'
    ]);
  });
});
