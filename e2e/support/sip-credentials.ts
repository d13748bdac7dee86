import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from './data-dir';

/** Ephemeral SIP credentials as Kamailio's auth_ephemeral module checks them. */
export interface SipCredentials {
  /** `<expiry unix seconds>:<user>` */
  username: string;
  /** base64(HMAC-SHA1(secret, username)) */
  password: string;
  /** expiry as unix seconds */
  expires: number;
}

/**
 * The shared secret, by the same rule as scripts/pbx.sh and the app server: env SIP_SHARED_SECRET, else the first
 * line of `${DATA_DIR}/sip-shared-secret`, generated (32 random bytes, hex, mode 0600) when missing.
 */
export function sharedSecret(): string {
  const fromEnv = process.env.SIP_SHARED_SECRET;
  if (fromEnv) return fromEnv;
  const dir = dataDir();
  const file = join(dir, 'sip-shared-secret');
  try {
    return readSecret(file);
  } catch {
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, `.sip-shared-secret.${process.pid}`);
    writeFileSync(tmp, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    try {
      linkSync(tmp, file);
    } catch {
      // Someone else created it first: theirs wins.
    }
    rmSync(tmp, { force: true });
    return readSecret(file);
  }
}

function readSecret(file: string): string {
  const secret = (readFileSync(file, 'utf8').split(/\r?\n/)[0] ?? '').trim();
  if (!secret) throw new Error(`empty secret file ${file}`);
  return secret;
}

/**
 * Credentials for SIP user `user` valid for `ttlSeconds` (negative gives already expired ones).
 * @param secret defaults to {@link sharedSecret}
 */
export function sipCredentials(user: string, ttlSeconds = 3600, secret = sharedSecret()): SipCredentials {
  const expires = Math.floor(Date.now() / 1000) + ttlSeconds;
  const username = `${expires}:${user}`;
  const password = createHmac('sha1', secret).update(username).digest('base64');
  return { username, password, expires };
}
