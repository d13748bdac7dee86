import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Validated server configuration. Defaults point at the dev PBX started by `scripts/pbx.sh`.
 * PORT / HOST / ORIGIN are adapter-node's own and are not part of this object.
 */
export interface Config {
  /** Absolute path of the data directory (SQLite file, audio, key files). `DATA_DIR`, default `.data`. */
  readonly dataDir: string;
  /** SIP domain used in AORs. `SIP_DOMAIN`, default `advisorphone.test`. */
  readonly sipDomain: string;
  /** Full WebSocket URL of the PBX, or null: the browser uses `ws://<page hostname>:<pbxWsPort>`. */
  readonly pbxWsUrl: string | null;
  /** `PBX_WS_PORT`, default 8088. */
  readonly pbxWsPort: number;
  /** Shared secret of Kamailio's auth_ephemeral module (env, else `${DATA_DIR}/sip-shared-secret`). */
  readonly sipSharedSecret: string;
  /** Lifetime of ephemeral SIP credentials. `SIP_CREDENTIAL_TTL_SECONDS`, default 43200. */
  readonly sipCredentialTtlSeconds: number;
  /** The recorded main line (also the advisors' queue AOR). `MAIN_LINE_NUMBER`, default 5000. */
  readonly mainLineNumber: string;
  /** SIP header that marks a call as arriving through the recorded line. Default `X-Recorded-Line`. */
  readonly recordedLineHeader: string;
  /** Numbers of the payment line; recording pauses before any request to them. Default `['7000']`. */
  readonly paymentLineTargets: readonly string[];
  /** Browser echo cancellation, noise suppression and auto gain on the advisor's microphone. */
  readonly micProcessing: boolean;
  /** `SESSION_TTL_HOURS`, default 12. */
  readonly sessionTtlHours: number;
  /** Consecutive failed logins before lockout. `LOGIN_MAX_FAILURES`, default 5. */
  readonly loginMaxFailures: number;
  /** `LOGIN_LOCKOUT_MINUTES`, default 15. */
  readonly loginLockoutMinutes: number;
  /** Days a recording is kept before the sweep deletes it. `RETENTION_DAYS`, default 90. */
  readonly retentionDays: number;
  /** Minutes between the server's retention sweeps; 0 disables the timer. `SWEEP_INTERVAL_MINUTES`, default 60. */
  readonly sweepIntervalMinutes: number;
}

/** Environment as seen by {@link loadConfig}; `process.env` by default. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Thrown when a variable is invalid; the message names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

const SIP_NUMBER = /^[0-9*#+]{1,32}$/;
/** RFC 7230 token characters. */
const HEADER_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/;
const HEX_SECRET = /^[0-9a-fA-F]{32,}$/;

/** File name of the SIP shared secret inside DATA_DIR; `scripts/pbx.sh` uses the same rule. */
export const SIP_SECRET_FILE = 'sip-shared-secret';

function raw(env: Env, name: string, fallback: string): string {
  const value = env[name];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
}

function positiveInt(env: Env, name: string, fallback: number): number {
  const text = raw(env, name, String(fallback));
  if (!/^[0-9]+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new ConfigError(name, `must be a positive integer, got "${text}"`);
  }
  return Number(text);
}

function intInRange(env: Env, name: string, fallback: number, min: number, max: number): number {
  const text = raw(env, name, String(fallback));
  if (!/^[0-9]+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return Number(text);
}

function sipNumber(name: string, value: string): string {
  if (!SIP_NUMBER.test(value)) {
    throw new ConfigError(name, `must match ${SIP_NUMBER}, got "${value}"`);
  }
  return value;
}

function wsUrl(env: Env): string | null {
  const text = raw(env, 'PBX_WS_URL', '');
  if (text === '') return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError('PBX_WS_URL', `must be a ws:// or wss:// URL, got "${text}"`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new ConfigError('PBX_WS_URL', `must be a ws:// or wss:// URL, got "${text}"`);
  }
  return text;
}

/**
 * Reads the first line of `${dataDir}/${fileName}`; when the file is missing, first writes 32 random bytes
 * as hex with mode 0600. Creation uses O_EXCL, so processes starting together (server, PBX script, CLIs)
 * agree on one value. The line must match `pattern`, else a ConfigError names `variable`.
 */
export function readOrCreateHexFile(
  dataDir: string,
  fileName: string,
  pattern: RegExp,
  variable: string,
  expected: string
): string {
  const file = join(dataDir, fileName);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const line = (readFileSync(file, 'utf8').split('\n')[0] ?? '').trim();
  if (!pattern.test(line)) throw new ConfigError(variable, `file ${file} must hold ${expected}`);
  return line;
}

/** The SIP shared secret from `${dataDir}/sip-shared-secret`, generated when missing (the PBX script's rule). */
export function readOrCreateSipSecret(dataDir: string): string {
  return readOrCreateHexFile(
    dataDir,
    SIP_SECRET_FILE,
    HEX_SECRET,
    'SIP_SHARED_SECRET',
    'one line of hex (at least 32 digits)'
  );
}

/**
 * Builds a validated, frozen {@link Config} from the environment.
 * Side effects: creates DATA_DIR and the SIP secret file when SIP_SHARED_SECRET is unset.
 * @throws ConfigError naming the bad variable.
 */
export function loadConfig(env: Env = process.env): Config {
  const dataDir = resolve(raw(env, 'DATA_DIR', '.data'));
  const sipDomain = raw(env, 'SIP_DOMAIN', 'advisorphone.test');
  if (!HOSTNAME.test(sipDomain) || sipDomain.length > 253) {
    throw new ConfigError('SIP_DOMAIN', `must be a host name, got "${sipDomain}"`);
  }
  const recordedLineHeader = raw(env, 'RECORDED_LINE_HEADER', 'X-Recorded-Line');
  if (!HEADER_TOKEN.test(recordedLineHeader)) {
    throw new ConfigError(
      'RECORDED_LINE_HEADER',
      `must be an HTTP/SIP header name, got "${recordedLineHeader}"`
    );
  }
  const targets = raw(env, 'PAYMENT_LINE_TARGETS', '7000')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (targets.length === 0) throw new ConfigError('PAYMENT_LINE_TARGETS', 'must list at least one number');
  targets.forEach((t) => sipNumber('PAYMENT_LINE_TARGETS', t));

  const pbxWsPort = positiveInt(env, 'PBX_WS_PORT', 8088);
  if (pbxWsPort > 65535) throw new ConfigError('PBX_WS_PORT', `must be a TCP port, got ${pbxWsPort}`);

  const envSecret = raw(env, 'SIP_SHARED_SECRET', '');
  if (/\s/.test(envSecret)) throw new ConfigError('SIP_SHARED_SECRET', 'must not contain white space');

  const config: Config = {
    dataDir,
    sipDomain,
    pbxWsUrl: wsUrl(env),
    pbxWsPort,
    sipSharedSecret: envSecret !== '' ? envSecret : readOrCreateSipSecret(dataDir),
    sipCredentialTtlSeconds: positiveInt(env, 'SIP_CREDENTIAL_TTL_SECONDS', 43200),
    mainLineNumber: sipNumber('MAIN_LINE_NUMBER', raw(env, 'MAIN_LINE_NUMBER', '5000')),
    recordedLineHeader,
    paymentLineTargets: Object.freeze(targets),
    micProcessing: onOff(env, 'MIC_PROCESSING', true),
    sessionTtlHours: positiveInt(env, 'SESSION_TTL_HOURS', 12),
    loginMaxFailures: positiveInt(env, 'LOGIN_MAX_FAILURES', 5),
    loginLockoutMinutes: positiveInt(env, 'LOGIN_LOCKOUT_MINUTES', 15),
    retentionDays: intInRange(env, 'RETENTION_DAYS', 90, 1, 36500),
    sweepIntervalMinutes: intInRange(env, 'SWEEP_INTERVAL_MINUTES', 60, 0, 7 * 24 * 60)
  };
  return Object.freeze(config);
}

function onOff(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name, fallback ? 'on' : 'off').toLowerCase();
  if (value === 'on' || value === 'true' || value === '1') return true;
  if (value === 'off' || value === 'false' || value === '0') return false;
  throw new ConfigError(name, `must be on or off, got "${value}"`);
}

let cached: Config | undefined;

/** The server's one Config, loaded from `process.env` on first use. */
export function getConfig(): Config {
  cached ??= loadConfig();
  return cached;
}
