import type { Config } from '../config';
import { appendAudit, type AuditActor } from '../audit/append-audit';
import type { Db } from '../db/open-database';
import { deleteExpiredSessions } from '../repositories/session-repository';
import {
  findUserById,
  findUserByUsername,
  incrementFailedLogins,
  setLoginState,
  toSessionUser
} from '../repositories/user-repository';
import { dummyPasswordHash, verifyPassword } from './password';
import { createSession } from './session-service';
import { homeForRole, type HomePath, type SessionUser } from './session-user';

/** The one message for unknown user, wrong password and disabled user. */
export const INVALID_CREDENTIALS = 'Invalid username or password';

/** Side effects of the login service. */
export interface LoginDeps {
  db: Db;
  now: () => Date;
  config: Pick<Config, 'loginMaxFailures' | 'loginLockoutMinutes' | 'sessionTtlHours'>;
}

/** Outcome of {@link login}; map `error` straight to the API's `{error, detail}`. */
export type LoginResult =
  | { ok: true; user: SessionUser; home: HomePath; token: string; expiresAt: Date }
  | { ok: false; error: 'invalid_credentials'; detail: string }
  | { ok: false; error: 'locked'; detail: string; retryAfterMinutes: number };

function lockedResult(lockedUntil: string, now: Date): LoginResult {
  const minutes = Math.max(1, Math.ceil((Date.parse(lockedUntil) - now.getTime()) / 60_000));
  return {
    ok: false,
    error: 'locked',
    detail: `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    retryAfterMinutes: minutes
  };
}

const INVALID: LoginResult = { ok: false, error: 'invalid_credentials', detail: INVALID_CREDENTIALS };

/**
 * Checks a username and password and, on success, creates a session.
 * - unknown user, wrong password, disabled user: the same `invalid_credentials` result (an unknown user
 *   is still verified against a dummy hash, so timing does not tell them apart);
 * - `loginMaxFailures` consecutive wrong passwords lock the account for `loginLockoutMinutes`; the attempt
 *   that reaches the limit and every attempt during the lockout get `locked`;
 * - success resets the counter. Every outcome writes an audit row.
 */
export async function login(
  deps: LoginDeps,
  input: { username: string; password: string }
): Promise<LoginResult> {
  const { db, config } = deps;
  const attempted = input.username.trim().slice(0, 64);
  const user = findUserByUsername(db, attempted);
  const passwordOk = await verifyPassword(input.password, user?.passwordHash ?? (await dummyPasswordHash()));
  const now = deps.now();
  const nowIso = now.toISOString();
  const actor: AuditActor = user
    ? { id: user.id, name: user.username, role: user.role }
    : { id: null, name: attempted, role: null };
  const fail = (reason: string) =>
    appendAudit(
      db,
      { actor, action: 'login.failure', target: actor.name, result: 'denied', detail: { reason } },
      now
    );

  return db
    .transaction((): LoginResult => {
      // Re-read inside the transaction: a concurrent attempt may have locked the account meanwhile.
      const current = user && findUserById(db, user.id);
      if (!user || !current) {
        fail('unknown_user');
        return INVALID;
      }
      if (current.lockedUntil && current.lockedUntil > nowIso) {
        fail('locked');
        return lockedResult(current.lockedUntil, now);
      }
      if (current.disabled) {
        fail('disabled');
        return INVALID;
      }
      if (!passwordOk || current.passwordHash !== user.passwordHash) {
        const failures = incrementFailedLogins(db, user.id);
        fail('wrong_password');
        if (failures < config.loginMaxFailures) return INVALID;
        const until = new Date(now.getTime() + config.loginLockoutMinutes * 60_000).toISOString();
        setLoginState(db, user.id, 0, until);
        appendAudit(
          db,
          {
            actor,
            action: 'login.lockout',
            target: user.username,
            result: 'ok',
            detail: { failures, until }
          },
          now
        );
        return lockedResult(until, now);
      }
      setLoginState(db, user.id, 0, null);
      deleteExpiredSessions(db, nowIso);
      const session = createSession(db, user.id, now, config.sessionTtlHours);
      appendAudit(db, { actor, action: 'login.success', target: user.username, result: 'ok' }, now);
      return { ok: true, user: toSessionUser(current), home: homeForRole(current.role), ...session };
    })
    .immediate();
}
