/** Seeds advisors through the user-admin service, logs them in and creates one recording each via the API. */
import { SYSTEM_ACTOR } from '../../src/lib/server/audit/append-audit';
import { openDataDirDatabase } from '../../src/lib/server/db/open-database';
import { addUser } from '../../src/lib/server/services/user-admin';
import type { UploadTarget } from './ingest-load';

const PASSWORD = 'bench-pass-word-1';
/** Cheap scrypt so seeding is quick; login verifies with the parameters stored in the hash. */
const SEED_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

/** Creates `count` advisors `bench-advisor-<i>` in `dataDir` (before the server opens it). */
export async function seedAdvisors(dataDir: string, count: number): Promise<string[]> {
  const db = openDataDirDatabase(dataDir);
  try {
    const ctx = { db, now: () => new Date(), actor: SYSTEM_ACTOR, hashParams: SEED_SCRYPT };
    const names: string[] = [];
    for (let i = 0; i < count; i++) {
      const username = `bench-advisor-${i}`;
      await addUser(ctx, { username, password: PASSWORD, role: 'advisor', team: i % 2 ? 'north' : 'south' });
      names.push(username);
    }
    return names;
  } finally {
    db.close();
  }
}

let counter = 0;

/** A fresh UUID v7 (time now, counter tail). */
export function benchUuid(): string {
  const hex = Date.now().toString(16).padStart(12, '0');
  const tail = (++counter).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-${tail}`;
}

/** Logs each advisor in and creates one recording per advisor; returns their upload targets. */
export async function createRecordings(url: string, usernames: readonly string[]): Promise<UploadTarget[]> {
  const targets: UploadTarget[] = [];
  for (const username of usernames) {
    const login = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD })
    });
    if (login.status !== 200) throw new Error(`login ${username}: ${login.status}`);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const id = benchUuid();
    const res = await fetch(`${url}/api/recordings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({
        id,
        callId: `bench-${id}`,
        direction: 'inbound',
        remoteNumber: '+441632960000',
        line: '5000',
        startedAt: new Date().toISOString()
      })
    });
    if (res.status !== 201) throw new Error(`create recording: ${res.status} ${await res.text()}`);
    const { uploadToken } = (await res.json()) as { uploadToken: string };
    targets.push({
      path: `/api/recordings/${id}/segments`,
      headers: { authorization: `Bearer ${uploadToken}` }
    });
  }
  return targets;
}
