import { describe, expect, it } from 'vitest';
import { makeLogConnector, redactSipLog } from './log-redaction';

describe('redactSipLog', () => {
  it.each([
    ['SessionDescriptionHandler.sendDtmf sent via RTP: 4929', '4929'],
    [
      'INFO sip:1@x SIP/2.0\r\nContent-Type: application/dtmf-relay\r\n\r\nSignal=7\r\nDuration=2000',
      'Signal=7'
    ],
    ['insertDTMF(123#)', '123#'],
    ['Sending DTMF tone: 9', 'tone: 9']
  ])('removes the digits from %j', (line, secret) => {
    const out = redactSipLog(line);
    expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });

  it('leaves ordinary lines alone', () => {
    expect(redactSipLog('Registerer.register: 200 OK')).toBe('Registerer.register: 200 OK');
  });

  it('drops debug and log levels and forwards redacted warnings', () => {
    const lines: string[] = [];
    const connector = makeLogConnector((_l, t) => lines.push(t));
    connector('debug', 'sip.x', undefined, 'Signal=1');
    connector('log', 'sip.x', undefined, 'hello');
    connector('warn', 'sip.x', undefined, 'sendDtmf sent via RTP: 55');
    expect(lines).toEqual(['[sip.x] sendDtmf sent via RTP: [redacted]']);
  });
});
