import type { Cookies } from '@sveltejs/kit';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'ap_session';

/** Sets the session cookie: HttpOnly, SameSite=Strict, Path=/, Secure on https, Max-Age = TTL. */
export function setSessionCookie(cookies: Cookies, url: URL, token: string, ttlHours: number): void {
  cookies.set(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: url.protocol === 'https:',
    maxAge: ttlHours * 3600
  });
}

/** Removes the session cookie (same attributes, so browsers match it). */
export function clearSessionCookie(cookies: Cookies, url: URL): void {
  cookies.delete(SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: url.protocol === 'https:'
  });
}
