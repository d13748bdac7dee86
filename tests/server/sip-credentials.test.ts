import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ephemeralCredentials } from '../../src/lib/server/auth/sip-credentials';
import type { Config } from '../../src/lib/server/config';
import { buildPhoneSettings } from '../../src/lib/server/services/phone-settings';

const NOW = new Date('2025-03-01T09:00:00.000Z');
const NOW_S = NOW.getTime() / 1000;

const config: Config = {
  dataDir: '/tmp/unused',
  sipDomain: 'advisorphone.test',
  pbxWsUrl: null,
  pbxWsPort: 8088,
  sipSharedSecret: 'c0ffee'.repeat(8),
  sipCredentialTtlSeconds: 3600,
  mainLineNumber: '5000',
  recordedLineHeader: 'X-Recorded-Line',
  paymentLineTargets: ['7000'],
  sessionTtlHours: 12,
  loginMaxFailures: 5,
  loginLockoutMinutes: 15,
  micProcessing: true,
  retentionDays: 90,
  sweepIntervalMinutes: 60
};

/** Independent computation, as Kamailio's auth_ephemeral does it. */
function expectedPassword(secret: string, username: string): string {
  return createHmac('sha1', Buffer.from(secret, 'utf8'))
    .update(Buffer.from(username, 'utf8'))
    .digest()
    .toString('base64');
}

describe('ephemeral SIP credentials', () => {
  it('uses <expiry>:<user> and base64(HMAC-SHA1(secret, username))', () => {
    const c = ephemeralCredentials('s3cret', '1001', NOW, 600);
    expect(c.username).toBe(`${NOW_S + 600}:1001`);
    expect(c.password).toBe(expectedPassword('s3cret', c.username));
    // RFC-style known answer: HMAC-SHA1("key", "The quick brown fox jumps over the lazy dog")
    expect(ephemeralCredentials('key', 'x', new Date(0), 1).password).toBe(expectedPassword('key', '1:x'));
    expect(
      createHmac('sha1', 'key').update('The quick brown fox jumps over the lazy dog').digest('hex')
    ).toBe('de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9');
    expect(c.expiresAt).toBe('2025-03-01T09:10:00.000Z');
  });

  it('floors sub-second clocks', () => {
    expect(ephemeralCredentials('k', '1', new Date(1999), 1).username).toBe('2:1');
  });
});

describe('phone settings', () => {
  const advisor = {
    id: 1,
    username: 'a',
    displayName: 'Ann',
    role: 'advisor' as const,
    team: 'blue',
    extension: '1001'
  };

  it('gives advisors their extension and the main line queue credentials', () => {
    const s = buildPhoneSettings(advisor, config, NOW);
    expect(s).toMatchObject({
      extension: '1001',
      displayName: 'Ann',
      domain: 'advisorphone.test',
      wsUrl: null,
      wsPort: 8088,
      mainLine: { number: '5000', header: 'X-Recorded-Line' },
      paymentTargets: ['7000']
    });
    expect(s.credentials.username).toBe(`${NOW_S + 3600}:1001`);
    expect(s.credentials.password).toBe(expectedPassword(config.sipSharedSecret, s.credentials.username));
    expect(s.queueCredentials?.aor).toBe('5000');
    expect(s.queueCredentials?.username).toBe(`${NOW_S + 3600}:5000`);
    expect(s.queueCredentials?.password).toBe(
      expectedPassword(config.sipSharedSecret, `${NOW_S + 3600}:5000`)
    );
  });

  it('gives other roles no queue credentials', () => {
    expect(buildPhoneSettings({ ...advisor, role: 'team_leader' }, config, NOW).queueCredentials).toBeNull();
  });
});
