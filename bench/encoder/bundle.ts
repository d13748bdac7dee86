/**
 * Builds bench/encoder/page-entry.ts with Vite (the same worker/worklet bundling the app gets) and serves it,
 * the LAME WASM and a blank page from a local HTTP server with a CSP like the app's.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { build } from 'vite';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** Builds the page bundle into a temp dir; returns the dir. */
export async function buildPageBundle(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'encoder-bench-'));
  await build({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      minify: true,
      // An app-style build (not lib mode, which inlines every asset): assets are emitted as the app gets them.
      rollupOptions: {
        input: join(ROOT, 'bench/encoder/page-entry.ts'),
        preserveEntrySignatures: 'strict',
        output: { entryFileNames: 'page.js' }
      }
    }
  });
  return outDir;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.html': 'text/html',
  '.wasm': 'application/wasm'
};

const PAGE =
  '<!doctype html><meta charset="utf-8"><title>encoder bench</title><script type="module" src="/page.js"></script>';

/** Same directives the app sets for workers, worklets and WASM (src/lib/server/http/security-headers.ts). */
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; connect-src 'self'";

/** Serves `dir` plus /mp3.wasm; resolves with the server and its base URL. */
export function serve(dir: string): Promise<{ server: Server; base: string }> {
  const wasm = join(ROOT, 'node_modules/wasm-media-encoders/wasm/mp3.wasm');
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = path === '/' ? null : path === '/mp3.wasm' ? wasm : join(dir, normalize(path));
    const send = (body: string | Buffer, type: string): void => {
      res.writeHead(200, { 'content-type': type, 'content-security-policy': CSP });
      res.end(body);
    };
    if (file === null) return send(PAGE, 'text/html');
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    if (!file.startsWith(dir) && file !== wasm) return void res.writeHead(403).end();
    readFile(file).then(
      (body) => send(body, TYPES[extname(file)] ?? 'application/octet-stream'),
      () => {
        console.error(`encoder bench server: 404 ${path}`);
        res.writeHead(404).end();
      }
    );
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      ok({ server, base: `http://127.0.0.1:${port}` });
    })
  );
}

/** Chromium flags for headless, quiet runs: the end-to-end suite's list. */
export { CHROMIUM_ARGS } from '../../e2e/support/browser';
