import { createHmac } from 'node:crypto';

/** Time-limited SIP credentials in Kamailio auth_ephemeral's format. */
export interface EphemeralCredentials {
  /** `<expiry unix seconds>:<user>` */
  username: string;
  /** base64(HMAC-SHA1(secret, username)) */
  password: string;
  /** Expiry as ISO-8601 UTC. */
  expiresAt: string;
}

/**
 * Makes auth_ephemeral credentials for `user` (an extension or the main line AOR) valid for `ttlSeconds`
 * from `now`.
 */
export function ephemeralCredentials(
  secret: string,
  user: string,
  now: Date,
  ttlSeconds: number
): EphemeralCredentials {
  const expiry = Math.floor(now.getTime() / 1000) + ttlSeconds;
  const username = `${expiry}:${user}`;
  const password = createHmac('sha1', secret).update(username).digest('base64');
  return { username, password, expiresAt: new Date(expiry * 1000).toISOString() };
}
