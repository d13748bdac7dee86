import { redirect } from '@sveltejs/kit';
import { clearSessionCookie, SESSION_COOKIE } from '$lib/server/auth/session-cookie';
import { endSession } from '$lib/server/auth/session-service';
import { getDb } from '$lib/server/db/server-db';
import type { Actions, PageServerLoad } from './$types';

/** Visiting /logout does not log out (GET must be safe); it only sends you to /login. */
export const load: PageServerLoad = () => redirect(303, '/login');

export const actions: Actions = {
  /** `<form method="POST" action="/logout">`: ends the session, clears the cookie, goes to /login. */
  default: ({ cookies, url, locals }) => {
    endSession(getDb(), cookies.get(SESSION_COOKIE), locals.user, new Date());
    clearSessionCookie(cookies, url);
    redirect(303, '/login');
  }
};
