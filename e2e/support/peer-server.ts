import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { REPO_ROOT } from './data-dir';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wav': 'audio/wav'
};

const MOUNTS: Array<[prefix: string, dir: string]> = [
  ['/sipjs/', join(REPO_ROOT, 'node_modules', 'sip.js', 'lib')],
  ['/', join(REPO_ROOT, 'e2e', 'peer')]
];

/** A running peer server. */
export interface PeerServer {
  /** e.g. http://127.0.0.1:41234/ ; the peer page is `${url}peer.html` */
  url: string;
  close(): Promise<void>;
}

function resolvePath(urlPath: string): string | undefined {
  for (const [prefix, dir] of MOUNTS) {
    if (!urlPath.startsWith(prefix)) continue;
    const rel = decodeURIComponent(urlPath.slice(prefix.length)) || 'peer.html';
    const file = normalize(join(dir, rel));
    if (file !== dir && !file.startsWith(dir + sep)) return undefined;
    return file;
  }
  return undefined;
}

/**
 * Serve e2e/peer/ at / and node_modules/sip.js/lib/ (unbundled ESM) at /sipjs/ on 127.0.0.1, random port.
 */
export async function startPeerServer(port = 0): Promise<PeerServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const file = resolvePath(path);
    let size = -1;
    try {
      if (file && statSync(file).isFile()) size = statSync(file).size;
    } catch {
      size = -1;
    }
    if (!file || size < 0) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-length': size,
      'cache-control': 'no-store'
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}
