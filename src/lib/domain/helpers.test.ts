import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';
import { formatDuration } from './call-timer';
import { isKeypadKey, parseDialString } from './dial-string';
import { addRecentCall, describeOutcome, type RecentCall } from './recent-calls';
import { callFailureMessage, microphoneErrorMessage, registrationFailureMessage } from './sip-status';

describe('backoffDelay', () => {
  const opts = { baseMs: 500, maxMs: 5000 };
  it('grows exponentially up to the cap, with half of it jittered', () => {
    expect(backoffDelay(0, opts, () => 0)).toBe(250);
    expect(backoffDelay(0, opts, () => 0.999999)).toBe(500);
    expect(backoffDelay(3, opts, () => 0)).toBe(2000);
    expect(backoffDelay(10, opts, () => 0)).toBe(2500);
    expect(backoffDelay(10, opts, () => 0.999999)).toBe(5000);
  });
  it('refuses a negative attempt', () => {
    expect(() => backoffDelay(-1, opts, Math.random)).toThrow(RangeError);
  });
});

describe('parseDialString', () => {
  it.each([
    ['5000', '5000'],
    [' 0161 234-5678 ', '01612345678'],
    ['+44 (0) 20 7946.0000', '+440207946' + '0000'],
    ['*21#', '*21#']
  ])('%j -> %s', (input, number) => {
    expect(parseDialString(input)).toEqual({ ok: true, number });
  });
  it.each(['', '   ', 'abc', 'sip:1001@x', '12+3', '1'.repeat(33)])('refuses %j', (input) => {
    const r = parseDialString(input);
    expect(r.ok).toBe(false);
  });
  it('knows keypad keys', () => {
    expect(isKeypadKey('#')).toBe(true);
    expect(isKeypadKey('A')).toBe(false);
    expect(isKeypadKey('12')).toBe(false);
  });
});

describe('messages', () => {
  it('maps SIP failures to actionable words', () => {
    expect(callFailureMessage(404, '9999')).toBe('Number not found: 9999');
    expect(callFailureMessage(486, '1002')).toBe('1002 is busy');
    expect(callFailureMessage(480, '1002')).toBe('No answer from 1002');
    expect(callFailureMessage(408, '1002')).toBe('No answer from 1002');
    expect(registrationFailureMessage(403)).toMatch(/^Wrong SIP credentials/);
    expect(microphoneErrorMessage('NotAllowedError')).toMatch(/blocked/);
    expect(microphoneErrorMessage('NotFoundError')).toMatch(/No microphone/);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [59_999, '0:59'],
    [61_000, '1:01'],
    [3_723_000, '1:02:03'],
    [-5, '0:00']
  ])('%d ms -> %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('recent calls', () => {
  const call = (id: string, durationMs = 1000): RecentCall => ({
    id,
    direction: 'inbound',
    remoteNumber: '2001',
    startedAt: 0,
    durationMs,
    outcome: 'remote-hangup'
  });
  it('keeps newest first, dedupes by id and caps the list', () => {
    let list: RecentCall[] = [];
    for (let i = 0; i < 25; i++) list = addRecentCall(list, call(String(i)));
    expect(list).toHaveLength(20);
    expect(list[0]?.id).toBe('24');
    list = addRecentCall(list, call('20', 5));
    expect(list[0]?.id).toBe('20');
    expect(list.filter((c) => c.id === '20')).toHaveLength(1);
  });
  it('describes outcomes', () => {
    expect(describeOutcome(call('a'))).toBe('Answered');
    expect(describeOutcome(call('a', 0))).toBe('Not connected');
    expect(describeOutcome({ ...call('a'), outcome: 'missed' })).toBe('Missed');
  });
});
