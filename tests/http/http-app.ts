import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYSTEM_ACTOR } from '../../src/lib/server/audit/append-audit';
import { openDataDirDatabase } from '../../src/lib/server/db/open-database';
import { addUser } from '../../src/lib/server/services/user-admin';
import { startAppServer, type AppServer } from '../../e2e/support/app-server';
import { ensureBuilt } from '../../e2e/support/build';
import { FAST_SCRYPT } from '../server/helpers';

export const PASSWORD = 'http-pass-word-1';

/** The people of the access matrix: own team is north. */
export const PEOPLE = {
  advisor: { role: 'advisor', team: 'north', extension: '1101' },
  advisor2: { role: 'advisor', team: 'south', extension: '1102' },
  leaderOwn: { role: 'team_leader', team: 'north', extension: '1103' },
  leaderOther: { role: 'team_leader', team: 'south', extension: '1104' },
  supervisor: { role: 'supervisor', team: null, extension: '1105' },
  dpo: { role: 'dpo', team: null, extension: null },
  admin: { role: 'admin', team: null, extension: null }
} as const;

export type Person = keyof typeof PEOPLE;

/** A built server on a free port over a fresh temp DATA_DIR with the {@link PEOPLE} seeded. */
export async function startHttpApp(): Promise<{
  server: AppServer;
  dataDir: string;
  stop: () => Promise<void>;
}> {
  ensureBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'ap-http-'));
  const db = openDataDirDatabase(dataDir);
  try {
    const ctx = { db, now: () => new Date(), actor: SYSTEM_ACTOR, hashParams: FAST_SCRYPT };
    for (const [username, p] of Object.entries(PEOPLE)) {
      await addUser(ctx, {
        username,
        password: PASSWORD,
        role: p.role,
        team: p.team,
        extension: p.extension
      });
    }
  } finally {
    db.close();
  }
  const server = await startAppServer({
    DATA_DIR: dataDir,
    SIP_SHARED_SECRET: 'a'.repeat(64),
    SEGMENT_MAX_BYTES: String(256 * 1024),
    BODY_SIZE_LIMIT: '4M'
  });
  return {
    server,
    dataDir,
    stop: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
}

/** Logs in and returns the session cookie header value. */
export async function login(url: string, username: string): Promise<string> {
  const res = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD })
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
  const cookie = res.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0] ?? '';
}

/** Every file under `dir` with its size, to compare before and after. */
export function fileList(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(`${p}:${statSync(p).size}`);
    }
  };
  walk(dir);
  return out.sort();
}
