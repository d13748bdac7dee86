import { fail, redirect } from '@sveltejs/kit';
import { parseCredentials } from '$lib/server/auth/credentials';
import { login } from '$lib/server/auth/login-service';
import { setSessionCookie } from '$lib/server/auth/session-cookie';
import { homeForRole } from '$lib/server/auth/session-user';
import { getConfig } from '$lib/server/config';
import { getDb } from '$lib/server/db/server-db';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  if (locals.user) redirect(303, homeForRole(locals.user.role));
  return {};
};

export const actions: Actions = {
  /** Logs in and redirects by role; on failure returns the username (never the password) and the error. */
  default: async ({ request, cookies, url }) => {
    const form = await request.formData();
    const username = form.get('username');
    const credentials = parseCredentials({ username, password: form.get('password') });
    const typed = typeof username === 'string' ? username.slice(0, 256) : '';
    if (!credentials) return fail(400, { username: typed, error: 'Enter your username and password.' });
    const config = getConfig();
    const result = await login({ db: getDb(), now: () => new Date(), config }, credentials);
    if (!result.ok)
      return fail(result.error === 'locked' ? 429 : 401, { username: typed, error: result.detail });
    setSessionCookie(cookies, url, result.token, config.sessionTtlHours);
    redirect(303, result.home);
  }
};
