import { createHash } from 'node:crypto';

/** Headers set on every response. */
export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'permissions-policy': 'camera=(), geolocation=(), microphone=(self)'
});

/**
 * Content-Security-Policy for pages. `scriptHashes` are 'sha256-…' sources of SvelteKit's inline
 * bootstrap script. Allows the PBX WebSocket (ws:/wss:), blob/mediastream audio, worklets and workers
 * from 'self', and WebAssembly (an encoder may use it).
 */
export function contentSecurityPolicy(scriptHashes: readonly string[]): string {
  const scripts = ["'self'", "'wasm-unsafe-eval'", ...scriptHashes.map((h) => `'${h}'`)];
  return [
    "default-src 'self'",
    `script-src ${scripts.join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' blob: mediastream:",
    "connect-src 'self' ws: wss:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'"
  ].join('; ');
}

const INLINE_SCRIPT = /<script>([\s\S]*?)<\/script>/g;

/**
 * Finds SvelteKit's bootstrap script in a rendered page and returns its CSP hash source. Only the LAST
 * attribute-less inline script that mentions `__sveltekit_` counts: SvelteKit appends it after the app's
 * markup, so markup injected into the page cannot get its own script allowed this way.
 */
export function bootstrapScriptHashes(html: string): string[] {
  let last: string | undefined;
  for (const match of html.matchAll(INLINE_SCRIPT)) {
    if (match[1]?.includes('__sveltekit_')) last = match[1];
  }
  return last === undefined ? [] : [`sha256-${createHash('sha256').update(last).digest('base64')}`];
}
