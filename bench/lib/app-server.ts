/**
 * Starts the BUILT app (`node build/index.js`) on a free loopback port over a given DATA_DIR, building it first
 * (e2e/support/build.ts) when build/ is missing or older than src/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { ensureBuilt } from '../../e2e/support/build';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => done(port));
    });
  });
}

/** A running child server. */
export interface ChildServer {
  url: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Spawns `args` with `env` and waits until `probePath` answers. */
export async function startChild(
  args: string[],
  env: Record<string, string>,
  probePath: string
): Promise<ChildServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: url, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output}`);
    const up = await fetch(`${url}${probePath}`).then(
      () => true,
      () => false
    );
    if (up) break;
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`server did not answer within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    child,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      })
  };
}

/** The built app over `dataDir` (sweep timer off, so only the benchmark decides when sweeps run). */
export function startBuiltApp(dataDir: string, env: Record<string, string> = {}): Promise<ChildServer> {
  ensureBuilt();
  return startChild(
    [join(REPO_ROOT, 'build', 'index.js')],
    {
      DATA_DIR: dataDir,
      SIP_SHARED_SECRET: 'a'.repeat(64),
      SWEEP_INTERVAL_MINUTES: '0',
      BODY_SIZE_LIMIT: '2M',
      ...env
    },
    '/login'
  );
}
