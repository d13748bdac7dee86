import type { Handle, ServerInit } from '@sveltejs/kit';
import { building } from '$app/environment';
import { resolveSession } from '$lib/server/auth/session-service';
import { SESSION_COOKIE } from '$lib/server/auth/session-cookie';
import { getDb } from '$lib/server/db/server-db';
import {
  bootstrapScriptHashes,
  contentSecurityPolicy,
  STATIC_SECURITY_HEADERS
} from '$lib/server/http/security-headers';
import { startServerSweep } from '$lib/server/services/server-sweep';

/** Starts the retention sweep timer when the server starts (not while `vite build` analyses or under vitest). */
export const init: ServerInit = () => {
  if (!building && !process.env.VITEST) startServerSweep();
};

/**
 * Resolves the session cookie to `locals.user` (null when absent, expired or disabled) and adds security
 * headers. If `kit.csp` is configured in svelte.config.js, SvelteKit's own CSP header is kept; otherwise
 * a CSP is set here that allows SvelteKit's inline bootstrap script by its hash.
 */
export const handle: Handle = async ({ event, resolve }) => {
  event.locals.user = resolveSession(getDb(), event.cookies.get(SESSION_COOKIE), new Date());

  let scriptHashes: string[] = [];
  const response = await resolve(event, {
    transformPageChunk: ({ html, done }) => {
      if (done) scriptHashes = bootstrapScriptHashes(html);
      return html;
    }
  });

  try {
    for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(name, value);
    if (!response.headers.has('content-security-policy')) {
      response.headers.set('content-security-policy', contentSecurityPolicy(scriptHashes));
    }
  } catch {
    // Immutable headers (a proxied fetch response): leave them as they are.
  }
  return response;
};
