import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/lib/server/config';

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ap-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('has dev-PBX defaults and is frozen', () => {
    const c = loadConfig({ DATA_DIR: dir });
    expect(c).toMatchObject({
      dataDir: dir,
      sipDomain: 'advisorphone.test',
      pbxWsUrl: null,
      pbxWsPort: 8088,
      sipCredentialTtlSeconds: 43200,
      mainLineNumber: '5000',
      recordedLineHeader: 'X-Recorded-Line',
      paymentLineTargets: ['7000'],
      sessionTtlHours: 12,
      loginMaxFailures: 5,
      loginLockoutMinutes: 15
    });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.paymentLineTargets)).toBe(true);
  });

  it('generates the SIP secret file once, mode 0600, and reuses it', () => {
    const first = loadConfig({ DATA_DIR: dir }).sipSharedSecret;
    const file = join(dir, 'sip-shared-secret');
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(file, 'utf8')).toBe(first + '\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadConfig({ DATA_DIR: dir }).sipSharedSecret).toBe(first);
  });

  it('prefers SIP_SHARED_SECRET and reads an existing file', () => {
    expect(loadConfig({ DATA_DIR: dir, SIP_SHARED_SECRET: 'from-env' }).sipSharedSecret).toBe('from-env');
    writeFileSync(join(dir, 'sip-shared-secret'), 'ab'.repeat(32) + '\nignored\n');
    expect(loadConfig({ DATA_DIR: dir }).sipSharedSecret).toBe('ab'.repeat(32));
  });

  it('parses lists and URLs', () => {
    const c = loadConfig({
      DATA_DIR: dir,
      PAYMENT_LINE_TARGETS: '7000, 7001,*99',
      PBX_WS_URL: 'wss://pbx.example/ws'
    });
    expect(c.paymentLineTargets).toEqual(['7000', '7001', '*99']);
    expect(c.pbxWsUrl).toBe('wss://pbx.example/ws');
  });

  it.each([
    ['PBX_WS_PORT', '0'],
    ['PBX_WS_PORT', '70000'],
    ['SESSION_TTL_HOURS', '1.5'],
    ['LOGIN_MAX_FAILURES', '-3'],
    ['LOGIN_LOCKOUT_MINUTES', 'ten'],
    ['SIP_CREDENTIAL_TTL_SECONDS', '1e3'],
    ['MAIN_LINE_NUMBER', '50a0'],
    ['PAYMENT_LINE_TARGETS', '7000,sip:pay'],
    ['RECORDED_LINE_HEADER', 'X Recorded: Line'],
    ['PBX_WS_URL', 'http://pbx:8088'],
    ['SIP_DOMAIN', 'bad domain'],
    ['SIP_SHARED_SECRET', 'has space']
  ])('rejects %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig({ DATA_DIR: dir, [name]: value })).toThrow(name);
  });

  it('rejects a malformed secret file', () => {
    writeFileSync(join(dir, 'sip-shared-secret'), 'not hex\n');
    expect(() => loadConfig({ DATA_DIR: dir })).toThrow(/SIP_SHARED_SECRET.*sip-shared-secret/);
  });
});

describe('MIC_PROCESSING', () => {
  it('defaults on and accepts on/off', () => {
    const base = { SIP_SHARED_SECRET: 'a'.repeat(64), DATA_DIR: '/tmp/ap-config-test' };
    expect(loadConfig(base).micProcessing).toBe(true);
    expect(loadConfig({ ...base, MIC_PROCESSING: 'off' }).micProcessing).toBe(false);
    expect(() => loadConfig({ ...base, MIC_PROCESSING: 'maybe' })).toThrow(/MIC_PROCESSING/);
  });
});

describe('RETENTION_DAYS and SWEEP_INTERVAL_MINUTES', () => {
  const base = { SIP_SHARED_SECRET: 'a'.repeat(64), DATA_DIR: '/tmp/ap-config-test' };
  it('default to 90 days and an hourly sweep; 0 turns the timer off', () => {
    expect(loadConfig(base)).toMatchObject({ retentionDays: 90, sweepIntervalMinutes: 60 });
    expect(loadConfig({ ...base, RETENTION_DAYS: '30', SWEEP_INTERVAL_MINUTES: '0' })).toMatchObject({
      retentionDays: 30,
      sweepIntervalMinutes: 0
    });
  });
  it.each([
    ['RETENTION_DAYS', '0'],
    ['RETENTION_DAYS', '90.5'],
    ['RETENTION_DAYS', '-1'],
    ['SWEEP_INTERVAL_MINUTES', 'hourly'],
    ['SWEEP_INTERVAL_MINUTES', '99999']
  ])('rejects %s=%s', (name, value) => {
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(name);
  });
});
