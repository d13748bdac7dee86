import { error, redirect } from '@sveltejs/kit';
import { jsonError } from '../http/json-error';
import type { Role, SessionUser } from './session-user';

/** What the guards read: `event.locals`. */
export interface LocalsWithUser {
  user: SessionUser | null;
}

/**
 * For page loads and form actions. Returns the user when their role is in `roles`; otherwise throws
 * `redirect(303, '/login')` for anonymous visitors and `error(403)` for other roles.
 * @example const user = requireRole(locals, ['team_leader', 'supervisor']);
 */
export function requireRole(locals: LocalsWithUser, roles: readonly Role[]): SessionUser {
  const user = locals.user;
  if (!user) redirect(303, '/login');
  if (!roles.includes(user.role)) {
    error(403, { message: 'Forbidden', detail: 'Your role does not allow this page.' });
  }
  return user;
}

/**
 * For +server.ts handlers. Returns the user when allowed, else a JSON Response to return as is:
 * 401 `{error:'unauthenticated'}` or 403 `{error:'forbidden'}`.
 * @example
 * const user = requireApiRole(locals, ['dpo']);
 * if (user instanceof Response) return user;
 */
export function requireApiRole(locals: LocalsWithUser, roles: readonly Role[]): SessionUser | Response {
  const user = locals.user;
  if (!user) return jsonError(401, 'unauthenticated', 'Log in first.');
  if (!roles.includes(user.role)) return jsonError(403, 'forbidden', 'Your role does not allow this.');
  return user;
}
