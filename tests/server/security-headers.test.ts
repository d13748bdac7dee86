import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bootstrapScriptHashes, contentSecurityPolicy } from '../../src/lib/server/http/security-headers';

const sha = (s: string) => `sha256-${createHash('sha256').update(s).digest('base64')}`;

describe('CSP for SvelteKit pages', () => {
  it("hashes only SvelteKit's bootstrap script, the last one", () => {
    const boot = '\n{ __sveltekit_abc = {}; import("/app/start.js"); }\n';
    const injected = '__sveltekit_evil()';
    const html = `<div><script>${injected}</script></div><script>${boot}</script><script src="/x.js"></script>`;
    expect(bootstrapScriptHashes(html)).toEqual([sha(boot)]);
    expect(bootstrapScriptHashes('<p>no scripts</p>')).toEqual([]);
  });

  it('allows the PBX WebSocket and media, and forbids framing', () => {
    const csp = contentSecurityPolicy(['sha256-abc']);
    expect(csp).toContain("connect-src 'self' ws: wss:");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval' 'sha256-abc'");
    expect(csp).toContain("media-src 'self' blob: mediastream:");
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
