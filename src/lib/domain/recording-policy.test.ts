import { describe, expect, it } from 'vitest';
import type { RefusalCode } from './recording-policy-types';
import {
  accepted,
  ASSISTED_PAYMENT,
  ATTENDED_TO_COLLEAGUE,
  CONNECT,
  CONSULT_END,
  CONSULT_UP,
  COMPLETED,
  DIRECT_DIAL,
  END,
  ended,
  failed,
  HOLD,
  MAIN_LINE,
  notRecorded,
  OBJECT,
  OUTBOUND,
  PAUSE,
  paused,
  payEnd,
  payStart,
  REC,
  RESUME,
  ruleTable,
  transfer,
  UNHOLD,
  type Ev,
  type Row,
  run
} from './recording-policy-test-fixtures';

/** DESIGN.md "Recording policy" rules 1-3 and 5-7, one table row per case (rule 4 is in recording-policy-payment.test.ts). */
const rule1: Row[] = [
  [
    'main-line inbound is recorded',
    [MAIN_LINE, CONNECT, END],
    '.C.',
    ended('call-ended'),
    ['started', 'ended:call-ended']
  ],
  [
    'every outbound call is recorded',
    [OUTBOUND, CONNECT, END],
    '.C.',
    ended('call-ended'),
    ['started', 'ended:call-ended']
  ],
  [
    'direct-dialled inbound is never recorded',
    [DIRECT_DIAL, CONNECT, HOLD, UNHOLD, END],
    '.....',
    notRecorded('direct-dial'),
    []
  ],
  [
    'a direct-dialled call stays unrecorded through its consultation',
    [DIRECT_DIAL, CONNECT, HOLD, ...ATTENDED_TO_COLLEAGUE, CONSULT_UP, accepted('attended')],
    '.......',
    notRecorded('direct-dial'),
    []
  ]
];

const rule2: Row[] = [
  ['nothing is captured while it rings', [MAIN_LINE], '.', { state: 'pending' }, []],
  [
    'a call that never connects has no audio',
    [MAIN_LINE, END],
    '..',
    ended('not-connected'),
    ['ended:not-connected']
  ]
];

const rule3: Row[] = [
  [
    'hold pauses, unhold resumes',
    [MAIN_LINE, CONNECT, HOLD, UNHOLD],
    '.C.C',
    REC,
    ['started', 'hold', 'paused:hold', 'unhold', 'resumed']
  ],
  [
    'a repeated hold is one hold',
    [MAIN_LINE, CONNECT, HOLD, HOLD, UNHOLD],
    '.C..C',
    REC,
    ['started', 'hold', 'paused:hold', 'unhold', 'resumed']
  ],
  [
    'attended consultation: paused while it rings, recorded once connected though the caller is held',
    [MAIN_LINE, CONNECT, HOLD, ...ATTENDED_TO_COLLEAGUE, CONSULT_UP, CONSULT_END, UNHOLD],
    '.C...C.C',
    REC,
    [
      'started',
      'hold',
      'paused:hold',
      'consultation-started',
      'transfer-requested',
      'consultation-connected',
      'resumed',
      'consultation-ended',
      'paused:hold',
      'unhold',
      'resumed'
    ]
  ]
];

const rule5: Row[] = [
  [
    'blind transfer: recorded until accepted',
    [MAIN_LINE, CONNECT, transfer('blind', '2001'), accepted('blind'), END],
    '.CC..',
    ended('transfer-completed'),
    ['started', 'transfer-requested', 'transfer-accepted', 'transfer-completed', 'ended:transfer-completed']
  ],
  [
    'a failed blind transfer keeps recording',
    [MAIN_LINE, CONNECT, transfer('blind', '2001'), failed('blind', 404)],
    '.CCC',
    REC,
    ['started', 'transfer-requested', 'transfer-failed']
  ],
  [
    'attended transfer: consultation recorded, nothing after completion',
    [MAIN_LINE, CONNECT, HOLD, ...ATTENDED_TO_COLLEAGUE, CONSULT_UP, accepted('attended'), CONSULT_END, END],
    '.C...C...',
    ended('transfer-completed'),
    [
      'started',
      'hold',
      'paused:hold',
      'consultation-started',
      'transfer-requested',
      'consultation-connected',
      'resumed',
      'transfer-accepted',
      'transfer-completed',
      'ended:transfer-completed'
    ]
  ],
  [
    'transfer-completed ends it too',
    [OUTBOUND, CONNECT, COMPLETED, UNHOLD],
    '.C..',
    ended('transfer-completed'),
    ['started', 'transfer-completed', 'ended:transfer-completed']
  ],
  [
    'nothing re-arms a completed transfer',
    [MAIN_LINE, CONNECT, accepted('blind'), CONNECT, UNHOLD, RESUME],
    '.C...r',
    ended('transfer-completed'),
    ['started', 'transfer-accepted', 'transfer-completed', 'ended:transfer-completed']
  ]
];

const rule6: Row[] = [
  [
    'objection while recording stops capture for good',
    [MAIN_LINE, CONNECT, OBJECT, UNHOLD, END],
    '.C...',
    notRecorded('objection'),
    ['started', 'objection']
  ],
  [
    'objection while paused',
    [MAIN_LINE, CONNECT, HOLD, OBJECT, UNHOLD],
    '.C...',
    notRecorded('objection'),
    ['started', 'hold', 'paused:hold', 'objection']
  ],
  ['objection before connect', [OUTBOUND, OBJECT, CONNECT], '...', notRecorded('objection'), ['objection']],
  [
    'objection after the call ended',
    [MAIN_LINE, CONNECT, END, OBJECT],
    '.C..',
    notRecorded('objection'),
    ['started', 'ended:call-ended', 'objection']
  ],
  [
    'a second objection is refused',
    [MAIN_LINE, CONNECT, OBJECT, OBJECT],
    '.C.r',
    notRecorded('objection'),
    ['started', 'objection']
  ],
  [
    'objection on an unrecorded call is refused',
    [DIRECT_DIAL, CONNECT, OBJECT],
    '..r',
    notRecorded('direct-dial'),
    []
  ],
  ['objection with no call is refused', [OBJECT], 'r', notRecorded('no-call'), []]
];

const rule7: Row[] = [
  [
    'manual pause and resume are logged',
    [MAIN_LINE, CONNECT, PAUSE, RESUME],
    '.C.C',
    REC,
    ['started', 'manual-pause', 'paused:manual', 'manual-resume', 'resumed']
  ],
  [
    'a manual pause outlives the hold it began in',
    [MAIN_LINE, CONNECT, HOLD, PAUSE, UNHOLD, RESUME],
    '.C...C',
    REC,
    ['started', 'hold', 'paused:hold', 'manual-pause', 'unhold', 'manual-resume', 'resumed']
  ],
  [
    'manual resume refused during a payment transfer',
    [MAIN_LINE, CONNECT, PAUSE, transfer('payment', '8000'), RESUME, failed('payment', 486), RESUME],
    '.C..r.C',
    REC,
    [
      'started',
      'manual-pause',
      'paused:manual',
      'transfer-requested',
      'transfer-failed',
      'manual-resume',
      'resumed'
    ]
  ],
  [
    'manual resume refused during assisted payment',
    [MAIN_LINE, CONNECT, PAUSE, HOLD, ...ASSISTED_PAYMENT, CONSULT_UP, UNHOLD, RESUME],
    '.C......r',
    paused('payment', 'manual'),
    [
      'started',
      'manual-pause',
      'paused:manual',
      'hold',
      'consultation-started',
      'transfer-requested',
      'consultation-connected',
      'unhold'
    ]
  ],
  [
    'manual resume refused during an announced payment leg',
    [MAIN_LINE, CONNECT, payStart('p1'), PAUSE, RESUME, payEnd('p1'), RESUME],
    '.C..r.C',
    REC,
    [
      'started',
      'payment-leg-started',
      'paused:payment',
      'manual-pause',
      'payment-leg-ended',
      'manual-resume',
      'resumed'
    ]
  ],
  [
    'resume without a pause and a second pause are refused',
    [MAIN_LINE, CONNECT, RESUME, PAUSE, PAUSE],
    '.CR.r',
    paused('manual'),
    ['started', 'manual-pause', 'paused:manual']
  ],
  [
    'manual controls before connect and after the end are refused',
    [MAIN_LINE, PAUSE, CONNECT, END, RESUME],
    '.rC.r',
    ended('call-ended'),
    ['started', 'ended:call-ended']
  ]
];

ruleTable('rule 1: what is recorded', rule1);
ruleTable('rule 2: starts on connect', rule2);
ruleTable('rule 3: hold', rule3);
ruleTable('rule 5: transfers', rule5);
ruleTable('rule 6: caller objects', rule6);
ruleTable('rule 7: manual pause', rule7);

describe('refusals and effects', () => {
  const refusalCases: [string, Ev[], RefusalCode[]][] = [
    ['payment transfer', [MAIN_LINE, CONNECT, PAUSE, transfer('payment', '8000'), RESUME], ['payment-leg']],
    ['announced leg', [MAIN_LINE, CONNECT, payStart('p1'), PAUSE, RESUME], ['payment-leg']],
    [
      'pause twice, resume unpaused',
      [MAIN_LINE, CONNECT, PAUSE, PAUSE, RESUME, RESUME],
      ['already-paused', 'not-manually-paused']
    ],
    [
      'before connect, after end',
      [MAIN_LINE, RESUME, CONNECT, END, PAUSE],
      ['not-connected', 'recording-ended']
    ],
    ['objections', [OBJECT, DIRECT_DIAL, OBJECT], ['no-call', 'not-recorded']],
    ['objected twice', [OUTBOUND, OBJECT, OBJECT, PAUSE], ['already-objected', 'already-objected']]
  ];
  it.each(refusalCases)('refusal codes: %s', (_name, events, codes) => {
    expect(run(events).refusals.map((r) => r.code)).toEqual(codes);
  });

  it('a refusal changes nothing and says why', () => {
    const before = run([MAIN_LINE, CONNECT, PAUSE, transfer('payment', '8000')]);
    const after = run([RESUME], undefined, before.state);
    expect(after.state).toBe(before.state);
    expect(after.steps[0]?.timeline).toEqual([]);
    expect(after.steps[0]?.effects).toEqual([]);
    expect(after.steps[0]?.refusal).toEqual({
      action: 'manual-resume',
      code: 'payment-leg',
      message: 'Recording cannot resume while the caller is on the payment line.'
    });
    expect(after.state.manualPause).toBe(true);
  });

  it('an objection deletes the call audio once, after the call too', () => {
    expect(run([MAIN_LINE, CONNECT, OBJECT, OBJECT]).effects).toEqual([
      { type: 'delete-call-audio', callId: 'call-1' }
    ]);
    expect(run([MAIN_LINE, CONNECT, END, OBJECT]).effects).toEqual([
      { type: 'delete-call-audio', callId: 'call-1' }
    ]);
    expect(run([DIRECT_DIAL, CONNECT, OBJECT]).effects).toEqual([]);
  });

  it('no other event has an effect', () => {
    const r = run([
      MAIN_LINE,
      CONNECT,
      HOLD,
      ...ASSISTED_PAYMENT,
      CONSULT_UP,
      CONSULT_END,
      UNHOLD,
      PAUSE,
      RESUME,
      END
    ]);
    expect(r.effects).toEqual([]);
  });
});
