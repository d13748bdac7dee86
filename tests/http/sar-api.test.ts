import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataDirDatabase } from '../../src/lib/server/db/open-database';
import { readZip } from '../server/zip-reader';
import { sha256Hex, silentFrames, uuidV7 } from '../support/mpeg-frames';
import { login, PEOPLE, startHttpApp, type Person } from './http-app';

type Who = Person | 'anonymous';
const WHO: Who[] = ['anonymous', ...(Object.keys(PEOPLE) as Person[])];
const CALLER = '+441632960123';
const REC = uuidV7(101);
const HELD = uuidV7(102);
const SEGS = [silentFrames(30, 1), silentFrames(30, 2)];

let app: Awaited<ReturnType<typeof startHttpApp>>;
const cookies = {} as Record<Person, string>;

async function call(who: Who, method: string, path: string, body?: unknown): Promise<Response> {
  const headers = new Headers();
  if (who !== 'anonymous') headers.set('cookie', cookies[who]);
  const init: RequestInit = { method, headers };
  if (body !== undefined) {
    headers.set('content-type', 'application/json');
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  return fetch(`${app.server.url}${path}`, init);
}

async function createRecording(id: string): Promise<void> {
  const res = await call('advisor', 'POST', '/api/recordings', {
    id,
    callId: `call-${id.slice(-4)}`,
    direction: 'inbound',
    remoteNumber: CALLER,
    line: '5000',
    startedAt: new Date(Date.now() - 60_000).toISOString()
  });
  expect(res.status).toBe(201);
  const { uploadToken } = (await res.json()) as { uploadToken: string };
  for (const [seq, bytes] of SEGS.entries()) {
    const put = await fetch(`${app.server.url}/api/recordings/${id}/segments/${seq}`, {
      method: 'PUT',
      body: bytes as Uint8Array<ArrayBuffer>,
      headers: {
        authorization: `Bearer ${uploadToken}`,
        'content-type': 'audio/mpeg',
        'x-segment-sha256': sha256Hex(bytes),
        'x-segment-start-ms': String(seq * 10_000),
        'x-segment-duration-ms': '10000'
      }
    });
    expect(put.status).toBe(201);
  }
}

function auditCount(): number {
  const db = openDataDirDatabase(app.dataDir);
  try {
    return (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  app = await startHttpApp();
  for (const p of Object.keys(PEOPLE) as Person[]) cookies[p] = await login(app.server.url, p);
  await createRecording(REC);
  await createRecording(HELD);
  const hold = await call('supervisor', 'PUT', `/api/recordings/${HELD}/legal-hold`, {
    reference: 'CRIM-9',
    reason: 'criminal proceedings',
    reviewBy: '2099-01-01'
  });
  expect(hold.status).toBe(201);
}, 240_000);

afterAll(async () => {
  await app?.stop();
});

describe('SAR routes: access matrix', () => {
  const routes: [string, string, unknown?][] = [
    ['GET', '/api/sar'],
    ['POST', '/api/sar', { reference: 'M-1', receivedOn: '2025-01-01' }],
    ['GET', '/api/sar/1'],
    ['POST', '/api/sar/1/extend', { months: 1, reason: 'x' }],
    ['POST', '/api/sar/1/subjects', { phones: ['0111'] }],
    ['GET', '/api/sar/1/recordings'],
    ['GET', '/api/sar/1/export'],
    ['POST', '/api/sar/1/erase', { reason: 'x' }],
    ['POST', '/api/sar/1/close', {}]
  ];
  it.each(WHO.filter((w) => w !== 'dpo'))(
    '%s gets 401/403 JSON everywhere and changes nothing',
    async (who) => {
      const before = auditCount();
      for (const [method, path, body] of routes) {
        const res = await call(who, method, path, body);
        expect(res.status, `${method} ${path}`).toBe(who === 'anonymous' ? 401 : 403);
        expect(((await res.json()) as { error: string }).error).toBe(
          who === 'anonymous' ? 'unauthenticated' : 'forbidden'
        );
      }
      // Denials of logged-in users are audited; anonymous requests have no actor to record.
      expect(auditCount() - before).toBe(who === 'anonymous' ? 0 : routes.length);
    }
  );

  it.each([
    ['POST', '/api/sar', '{"reference": "x", '],
    ['POST', '/api/sar', { reference: "x'; DROP TABLE sar_cases; --", receivedOn: '2025-01-01' }],
    ['POST', '/api/sar', { reference: 'x', receivedOn: 20250101 }],
    ['GET', '/api/sar/..%2F..%2Fetc', undefined],
    ['GET', '/api/sar/-1', undefined],
    ['GET', '/api/sar/1e3/recordings', undefined],
    ['GET', '/api/sar?status=all', undefined]
  ])('hostile input %s %s %j -> 400 JSON', async (method, path, body) => {
    const res = await call('dpo', method, path, body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'bad_request' });
  });
});

describe('SAR routes: a case from opening to closing', () => {
  it('opens, attaches, lists, exports, erases (held refused) and closes', async () => {
    const open = await call('dpo', 'POST', '/api/sar', { reference: 'SAR-HTTP-1', receivedOn: '2025-01-31' });
    expect(open.status).toBe(201);
    const c = (await open.json()) as { id: number; dueOn: string };
    expect(c.dueOn).toBe('2025-02-28');
    expect(
      (await call('dpo', 'POST', '/api/sar', { reference: 'SAR-HTTP-1', receivedOn: '2025-01-31' })).status
    ).toBe(409);
    expect((await call('dpo', 'GET', '/api/sar/999999')).status).toBe(404);

    const subjects = await call('dpo', 'POST', `/api/sar/${c.id}/subjects`, { phones: ['+44 1632 960123'] });
    expect(subjects.status).toBe(200);
    const list = await call('dpo', 'GET', `/api/sar/${c.id}/recordings`);
    const page = (await list.json()) as { recordings: { id: string }[] };
    expect(page.recordings.map((r) => r.id).sort()).toEqual([REC, HELD].sort());

    const exp = await call('dpo', 'GET', `/api/sar/${c.id}/export`);
    expect(exp.status).toBe(200);
    expect(exp.headers.get('content-type')).toBe('application/zip');
    const zip = Buffer.from(await exp.arrayBuffer());
    const files = new Map(readZip(zip).map((f) => [f.name, f.data]));
    const manifest = JSON.parse(files.get('manifest.json')!.toString()) as {
      files: { path: string; sha256: string }[];
    };
    for (const f of manifest.files) {
      expect(createHash('sha256').update(files.get(f.path)!).digest('hex')).toBe(f.sha256);
    }
    const audio = [...files.keys()].filter((k) => k.endsWith('/audio.mp3'));
    expect(audio).toHaveLength(2);
    expect(files.get(audio[0]!)!.equals(Buffer.concat(SEGS))).toBe(true);
    expect(exp.headers.get('x-manifest-sha256')).toBe(
      createHash('sha256').update(files.get('manifest.json')!).digest('hex')
    );

    const erase = await call('dpo', 'POST', `/api/sar/${c.id}/erase`, { reason: 'subject asked' });
    expect(erase.status).toBe(200);
    expect(await erase.json()).toEqual({
      erased: [REC],
      refused: [{ id: HELD, error: 'legal_hold', detail: expect.any(String) }]
    });
    expect((await call('supervisor', 'GET', `/api/recordings/${REC}`)).status).toBe(410);

    const close = await call('dpo', 'POST', `/api/sar/${c.id}/close`, { note: 'answered' });
    expect(close.status).toBe(200);
    expect(await close.json()).toMatchObject({ status: 'closed', closeNote: 'answered' });
    expect((await call('dpo', 'POST', `/api/sar/${c.id}/close`, {})).status).toBe(409);
    expect((await call('dpo', 'POST', `/api/sar/${c.id}/erase`, { reason: 'x' })).status).toBe(409);
  });
});
