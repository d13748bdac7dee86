import { describe, expect, it } from 'vitest';
import { referProgress } from './refer-progress';

describe('referProgress', () => {
  it.each([
    ['SIP/2.0 100 Trying', { outcome: 'trying', statusCode: 100 }],
    ['SIP/2.0 180 Ringing\r\n', { outcome: 'trying', statusCode: 180 }],
    ['SIP/2.0 200 OK', { outcome: 'succeeded', statusCode: 200 }],
    ['SIP/2.0 486 Busy Here', { outcome: 'failed', statusCode: 486 }],
    ['sip/2.0 480 Temporarily Unavailable\r\nContent-Length: 0', { outcome: 'failed', statusCode: 480 }],
    ['SIP/2.0 603', { outcome: 'failed', statusCode: 603 }]
  ])('%j', (body, expected) => {
    expect(referProgress('refer', body)).toEqual(expected);
  });

  it('reads an Event header with an id parameter', () => {
    expect(referProgress('refer;id=93', 'SIP/2.0 503 Service Unavailable')).toEqual({
      outcome: 'failed',
      statusCode: 503
    });
  });

  it.each([
    ['another event package', 'presence', 'SIP/2.0 200 OK'],
    ['no Event header', undefined, 'SIP/2.0 486 Busy Here'],
    ['no body', 'refer', undefined],
    ['no status line', 'refer', 'INVITE sip:7000@pbx SIP/2.0'],
    ['a status out of range', 'refer', 'SIP/2.0 700 Odd'],
    ['a status with more digits', 'refer', 'SIP/2.0 4860 Busy']
  ])('proves nothing with %s', (_name, event, body) => {
    expect(referProgress(event, body)).toBeNull();
  });
});
