import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { openDataDirDatabase } from '../../src/lib/server/db/open-database';
import { addUser, listUsers } from '../../src/lib/server/services/user-admin';
import { SYSTEM_ACTOR } from '../../src/lib/server/audit/append-audit';
import { dataDir, REPO_ROOT } from './data-dir';

/** The people the end-to-end suite logs in as. Peers (caller, colleague, payment line) are SIP-only. */
export const E2E_PASSWORD = 'e2e-pass-word-1';
export const E2E_USERS = [
  { username: 'alice', role: 'advisor', team: 'north', extension: '1001', displayName: 'Alice Advisor' },
  { username: 'bob', role: 'advisor', team: 'north', extension: '1002', displayName: 'Bob Advisor' },
  { username: 'sue', role: 'supervisor', team: null, extension: null, displayName: 'Sue Supervisor' },
  { username: 'tom', role: 'team_leader', team: 'south', extension: null, displayName: 'Tom Leader' },
  { username: 'dana', role: 'dpo', team: null, extension: null, displayName: 'Dana Protection' }
] as const;

/** A running built app (`node build/index.js`). */
export interface AppServer {
  url: string;
  /** The current server process (a new one after {@link AppServer.up}). */
  readonly process: ChildProcess;
  logs(): string;
  stop(): Promise<void>;
  /** Stops the server as an outage would; the same port and DATA_DIR stay its own for {@link AppServer.up}. */
  down(): Promise<void>;
  /** Starts the SAME server again (same port, DATA_DIR and environment) after {@link AppServer.down}. */
  up(): Promise<void>;
}

/** Creates the e2e users in DATA_DIR's database if they are missing. */
export async function seedUsers(dir = dataDir()): Promise<void> {
  const db = openDataDirDatabase(dir);
  try {
    const have = new Set(listUsers(db).map((u) => u.username));
    const ctx = { db, now: () => new Date(), actor: SYSTEM_ACTOR };
    for (const u of E2E_USERS) {
      if (!have.has(u.username)) await addUser(ctx, { ...u, password: E2E_PASSWORD });
    }
  } finally {
    db.close();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts the built app on a free loopback port against the dev PBX. `env` overrides the
 * server's environment (a test can start a second, misconfigured instance).
 */
export async function startAppServer(env: Record<string, string> = {}): Promise<AppServer> {
  const entry = join(REPO_ROOT, 'build', 'index.js');
  if (!existsSync(entry)) throw new Error('build/index.js is missing: run `npm run build` first');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const serverEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    ORIGIN: url,
    DATA_DIR: dataDir(),
    MIC_PROCESSING: 'off',
    ...env
  };
  let output = '';
  const start = () =>
    launch(
      entry,
      url,
      serverEnv,
      (text) => (output += text),
      () => output
    );
  let running = await start();
  return {
    url,
    get process() {
      return running.child;
    },
    logs: () => output,
    stop: () => running.stop(),
    down: () => running.stop(),
    up: async () => {
      if (running.child.exitCode === null && running.child.signalCode === null) {
        throw new Error(`app server on ${url} is still up`);
      }
      running = await start();
    }
  };
}

/** Spawns the server and waits until it answers on `url`. */
async function launch(
  entry: string,
  url: string,
  env: NodeJS.ProcessEnv,
  log: (text: string) => void,
  output: () => string
): Promise<{ child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [entry], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stopping = false;
  child.stdout?.on('data', (d: Buffer) => log(d.toString()));
  child.stderr?.on('data', (d: Buffer) => log(d.toString()));
  // A server that dies mid-suite must say why, not leave later tests to time out on a dead port.
  child.once('exit', (code, signal) => {
    if (!stopping)
      console.error(`app server on ${url} exited (${code ?? signal}):\n${output().slice(-4000)}`);
  });
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app server exited (${child.exitCode}):\n${output()}`);
    const ok = await fetch(`${url}/login`).then(
      (r) => r.ok,
      () => false
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`app server did not answer on ${url} within 20 s:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      })
  };
}

/**
 * Runs `during` while the app server is down, and always brings the same server back afterwards, even when
 * `during` throws (the server is a worker-scoped fixture that later tests share).
 */
export async function whileAppServerDown<T>(app: AppServer, during: () => Promise<T>): Promise<T> {
  await app.down();
  try {
    return await during();
  } finally {
    await app.up();
  }
}
