import { appendAudit } from '../audit/append-audit';
import { requireApiRole, type LocalsWithUser } from '../auth/guards';
import type { Role, SessionUser } from '../auth/session-user';
import { getDb } from '../db/server-db';

/** Longest target text kept for a denial (the target comes from the URL, so it is the caller's text). */
const MAX_TARGET = 64;

/**
 * {@link requireApiRole} for routes whose refusals are audited (DESIGN: "every ... denial"): a logged-in user
 * whose role may not do `action` gets 403 AND a `denied` audit row naming them, the action and `target`.
 * Anonymous requests get 401 without a row (there is nobody to name).
 */
export function requireAuditedRole(
  locals: LocalsWithUser,
  roles: readonly Role[],
  action: string,
  target: string
): SessionUser | Response {
  const user = requireApiRole(locals, roles);
  if (user instanceof Response && user.status === 403 && locals.user) {
    const actor = { id: locals.user.id, name: locals.user.username, role: locals.user.role };
    appendAudit(
      getDb(),
      { actor, action, target: target.slice(0, MAX_TARGET), result: 'denied' },
      new Date()
    );
  }
  return user;
}
