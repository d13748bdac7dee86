import { json, type RequestHandler } from '@sveltejs/kit';
import { login } from '$lib/server/auth/login-service';
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from '$lib/server/auth/session-cookie';
import { endSession } from '$lib/server/auth/session-service';
import { getConfig } from '$lib/server/config';
import { getDb } from '$lib/server/db/server-db';
import { jsonError, readJsonObject } from '$lib/server/http/json-error';
import { parseCredentials } from '$lib/server/auth/credentials';

const NO_STORE = { 'cache-control': 'no-store' };

/** Log in: `{username, password}` -> 200 `{user, home}` + session cookie; 400 / 401 / 429 `{error, detail}`. */
export const POST: RequestHandler = async ({ request, cookies, url }) => {
  const credentials = parseCredentials(await readJsonObject(request));
  if (!credentials) {
    return jsonError(400, 'bad_request', 'Send JSON {"username": string, "password": string}.');
  }
  const config = getConfig();
  const result = await login({ db: getDb(), now: () => new Date(), config }, credentials);
  if (!result.ok) {
    return result.error === 'locked'
      ? jsonError(429, result.error, result.detail, { 'retry-after': String(result.retryAfterMinutes * 60) })
      : jsonError(401, result.error, result.detail);
  }
  setSessionCookie(cookies, url, result.token, config.sessionTtlHours);
  return json({ user: result.user, home: result.home }, { headers: NO_STORE });
};

/** The current user: 200 `{user}` or 401. */
export const GET: RequestHandler = ({ locals }) => {
  if (!locals.user) return jsonError(401, 'unauthenticated', 'Log in first.');
  return json({ user: locals.user }, { headers: NO_STORE });
};

/** Log out: deletes the session, clears the cookie, 204 (also when there was no session). */
export const DELETE: RequestHandler = ({ cookies, url, locals }) => {
  endSession(getDb(), cookies.get(SESSION_COOKIE), locals.user, new Date());
  clearSessionCookie(cookies, url);
  return new Response(null, { status: 204, headers: NO_STORE });
};
