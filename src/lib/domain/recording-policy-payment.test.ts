import {
  accepted,
  ASSISTED_PAYMENT,
  CONNECT,
  consult,
  CONSULT_END,
  CONSULT_UP,
  DIRECT_DIAL,
  ended,
  failed,
  HOLD,
  MAIN_LINE,
  notRecorded,
  PAUSE,
  paused,
  payEnd,
  payStart,
  REC,
  RESUME,
  ruleTable,
  transfer,
  uncertain,
  UNHOLD,
  type Row
} from './recording-policy-test-fixtures';

/** DESIGN.md "Recording policy" rule 4 (payment line) and every fail-closed case. */
const rule4: Row[] = [
  [
    'blind transfer to the payment line: paused at the request, ended on accept',
    [MAIN_LINE, CONNECT, transfer('payment', '8000'), accepted('payment')],
    '.C..',
    ended('transfer-completed'),
    [
      'started',
      'transfer-requested',
      'paused:payment',
      'transfer-accepted',
      'transfer-completed',
      'ended:transfer-completed'
    ]
  ],
  [
    'a configured payment target is a payment leg whatever the kind',
    [MAIN_LINE, CONNECT, transfer('blind', 'sip:8001@pbx.test')],
    '.C.',
    paused('payment'),
    ['started', 'transfer-requested', 'paused:payment']
  ],
  [
    'failed payment transfer: the caller is back, resumes once the leg is gone',
    [MAIN_LINE, CONNECT, transfer('payment', '8000'), failed('payment', 486)],
    '.C.C',
    REC,
    ['started', 'transfer-requested', 'paused:payment', 'transfer-failed', 'resumed']
  ],
  [
    'failed payment transfer while held: stays paused until unhold',
    [MAIN_LINE, CONNECT, HOLD, transfer('payment', '8000'), failed('payment', 486), UNHOLD],
    '.C...C',
    REC,
    ['started', 'hold', 'paused:hold', 'transfer-requested', 'transfer-failed', 'unhold', 'resumed']
  ],
  [
    'failed payment transfer under a manual pause: stays paused (manual)',
    [MAIN_LINE, CONNECT, PAUSE, transfer('payment', '8000'), failed('payment', 403)],
    '.C...',
    paused('manual'),
    ['started', 'manual-pause', 'paused:manual', 'transfer-requested', 'transfer-failed']
  ],
  [
    'assisted payment: paused for the whole payment leg, even off hold; resumes when it ends',
    [MAIN_LINE, CONNECT, HOLD, ...ASSISTED_PAYMENT, CONSULT_UP, UNHOLD, CONSULT_END],
    '.C.....C',
    REC,
    [
      'started',
      'hold',
      'paused:hold',
      'consultation-started',
      'transfer-requested',
      'consultation-connected',
      'unhold',
      'consultation-ended',
      'resumed'
    ]
  ],
  [
    'assisted payment ending with the caller still held: resumes only on unhold',
    [MAIN_LINE, CONNECT, HOLD, ...ASSISTED_PAYMENT, CONSULT_UP, CONSULT_END, UNHOLD],
    '.C.....C',
    REC,
    [
      'started',
      'hold',
      'paused:hold',
      'consultation-started',
      'transfer-requested',
      'consultation-connected',
      'consultation-ended',
      'unhold',
      'resumed'
    ]
  ],
  [
    'a consultation to a payment target is a payment leg, not a recorded consultation',
    [MAIN_LINE, CONNECT, HOLD, consult('8000'), transfer('attended', '8000'), CONSULT_UP],
    '.C....',
    paused('payment'),
    ['started', 'hold', 'paused:hold', 'consultation-started', 'transfer-requested', 'consultation-connected']
  ],
  [
    'a failed REFER completing an assisted payment keeps the payment consultation paused',
    [MAIN_LINE, CONNECT, HOLD, ...ASSISTED_PAYMENT, CONSULT_UP, failed('payment', 488)],
    '.C.....',
    paused('payment'),
    [
      'started',
      'hold',
      'paused:hold',
      'consultation-started',
      'transfer-requested',
      'consultation-connected',
      'transfer-failed'
    ]
  ],
  [
    'payment legs announced apart: paused until every one has ended',
    [MAIN_LINE, CONNECT, payStart('p1'), payStart('p2'), payEnd('p1'), payEnd('p2')],
    '.C...C',
    REC,
    [
      'started',
      'payment-leg-started',
      'paused:payment',
      'payment-leg-started',
      'payment-leg-ended',
      'payment-leg-ended',
      'resumed'
    ]
  ],
  [
    'no timer and no unrelated event resumes a payment pause',
    [MAIN_LINE, CONNECT, transfer('payment', '8000'), HOLD, UNHOLD, CONSULT_END, payEnd('other'), RESUME],
    '.C.....r',
    paused('payment'),
    ['started', 'transfer-requested', 'paused:payment', 'hold', 'unhold']
  ],
  [
    'fail closed: a payment REFER failing with no final response is uncertain',
    [MAIN_LINE, CONNECT, transfer('payment', '8000'), failed('payment', null), UNHOLD],
    '.C...',
    ended('uncertain'),
    ['started', 'transfer-requested', 'paused:payment', 'gap:transfer-outcome-unknown', 'ended:uncertain']
  ],
  [
    'a non-payment REFER failing with no response keeps recording',
    [MAIN_LINE, CONNECT, transfer('blind', '2001'), failed('blind', null)],
    '.CCC',
    REC,
    ['started', 'transfer-requested', 'transfer-failed']
  ]
];

const failClosed: Row[] = [
  ...(['page-hide', 'reload', 'reconnect', 'error'] as const).map((cause): Row => [
    `uncertain (${cause}) while recording ends it with a gap`,
    [MAIN_LINE, CONNECT, uncertain(cause)],
    '.C.',
    ended('uncertain'),
    ['started', `gap:${cause}`, 'ended:uncertain']
  ]),
  [
    'uncertain during a payment pause: no later event resumes',
    [
      MAIN_LINE,
      CONNECT,
      transfer('payment', '8000'),
      uncertain('reconnect'),
      failed('payment', 486),
      UNHOLD,
      RESUME
    ],
    '.C....r',
    ended('uncertain'),
    ['started', 'transfer-requested', 'paused:payment', 'gap:reconnect', 'ended:uncertain']
  ],
  [
    'uncertain during hold: no clean-looking event resumes',
    [MAIN_LINE, CONNECT, HOLD, uncertain('page-hide'), UNHOLD, CONSULT_END, payEnd('p'), CONNECT],
    '.C......',
    ended('uncertain'),
    ['started', 'hold', 'paused:hold', 'gap:page-hide', 'ended:uncertain']
  ],
  [
    'uncertain while ringing: the call is never captured',
    [MAIN_LINE, uncertain('reload'), CONNECT],
    '...',
    ended('uncertain'),
    ['gap:reload', 'ended:uncertain']
  ],
  [
    'uncertain before any call taints nothing',
    [uncertain('reload'), MAIN_LINE, CONNECT],
    '..C',
    REC,
    ['started']
  ],
  [
    'uncertain on an unrecorded call changes nothing',
    [DIRECT_DIAL, uncertain('error')],
    '..',
    notRecorded('direct-dial'),
    []
  ]
];

ruleTable('rule 4: payment line', rule4);
ruleTable('rule 4: fail closed', failClosed);
