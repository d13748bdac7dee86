/**
 * Baseline for the ingest benchmark: a bare node:http server that answers every PUT by writing the body to a new
 * file with fsync (open, write, fsync, close) and 201. No parsing, hashing, encryption or database. Run as a
 * child process: `node --import tsx bench/lib/bare-ingest-server.ts` with PORT and BARE_DIR.
 */
import { open } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';

const dir = process.env.BARE_DIR ?? '/tmp';
let n = 0;

const server = createServer((req, res) => {
  if (req.method !== 'PUT') {
    res.writeHead(200).end('ok');
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const file = join(dir, `${process.pid}-${n++}.seg`);
    const write = async (): Promise<void> => {
      const handle = await open(file, 'wx', 0o600);
      try {
        await handle.writeFile(Buffer.concat(chunks));
        await handle.sync();
      } finally {
        await handle.close();
      }
    };
    write().then(
      () => res.writeHead(201, { 'content-type': 'application/json' }).end('{"created":true}'),
      (err: Error) => res.writeHead(500).end(err.message)
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
