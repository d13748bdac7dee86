import { createHash, randomBytes } from 'node:crypto';
import { appendAudit, type AuditActor } from '../audit/append-audit';
import type { Db } from '../db/open-database';
import { deleteSession, findSession, insertSession, touchSession } from '../repositories/session-repository';
import { findUserById, toSessionUser } from '../repositories/user-repository';
import type { SessionUser } from './session-user';

/** Only refresh last_seen_at when it is older than this, to keep reads cheap. */
const TOUCH_INTERVAL_MS = 60_000;

/** SHA-256 hex of a session token: the sessions.id stored for it. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new session's secret token (for the cookie only) and its expiry. */
export interface NewSession {
  token: string;
  expiresAt: Date;
}

/**
 * Stores a session for `userId` valid `ttlHours` from `now`. The 32-byte random token goes to the cookie;
 * only its SHA-256 is stored. Call inside the login transaction.
 */
export function createSession(
  db: Db,
  userId: number,
  now: Date,
  ttlHours: number,
  random: (size: number) => Buffer = randomBytes
): NewSession {
  const token = random(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000);
  insertSession(db, {
    id: sessionIdOf(token),
    userId,
    createdAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
    lastSeenAt: now.toISOString()
  });
  return { token, expiresAt };
}

/**
 * Resolves a cookie token to its user, or null when the token is unknown, expired (the row is then
 * deleted) or the user is disabled.
 */
export function resolveSession(db: Db, token: string | undefined, now: Date): SessionUser | null {
  if (!token || token.length > 128) return null;
  const id = sessionIdOf(token);
  const session = findSession(db, id);
  if (!session) return null;
  if (session.expiresAt <= now.toISOString()) {
    deleteSession(db, id);
    return null;
  }
  const user = findUserById(db, session.userId);
  if (!user || user.disabled) return null;
  if (now.getTime() - Date.parse(session.lastSeenAt) > TOUCH_INTERVAL_MS) {
    touchSession(db, id, now.toISOString());
  }
  return toSessionUser(user);
}

/**
 * Logs out: deletes the session of `token` and writes a 'logout' audit row in the same transaction.
 * @returns whether a session existed.
 */
export function endSession(db: Db, token: string | undefined, user: SessionUser | null, now: Date): boolean {
  if (!token) return false;
  const actor: AuditActor = user
    ? { id: user.id, name: user.username, role: user.role }
    : { id: null, name: null, role: null };
  return db.transaction(() => {
    const existed = deleteSession(db, sessionIdOf(token));
    if (existed) appendAudit(db, { actor, action: 'logout', target: user?.username, result: 'ok' }, now);
    return existed;
  })();
}
