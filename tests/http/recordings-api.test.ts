import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataDirDatabase } from '../../src/lib/server/db/open-database';
import { silentFrames, sha256Hex, uuidV7 } from '../support/mpeg-frames';
import { fileList, login, PEOPLE, startHttpApp, type Person } from './http-app';

type Who = Person | 'anonymous';
const WHO: Who[] = ['anonymous', ...(Object.keys(PEOPLE) as Person[])];

let app: Awaited<ReturnType<typeof startHttpApp>>;
const cookies = {} as Record<Person, string>;
const REC = uuidV7(1);
const REC2 = uuidV7(2);
const tokens: Record<string, string> = {};
const SEG = silentFrames(40, 1);

async function call(who: Who, method: string, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (who !== 'anonymous') headers.set('cookie', cookies[who]);
  if (typeof init.body === 'string' && !headers.has('content-type'))
    headers.set('content-type', 'application/json');
  return fetch(`${app.server.url}${path}`, { ...init, method, headers });
}

function createBody(id: string) {
  return JSON.stringify({
    id,
    callId: `call-${id.slice(-4)}`,
    direction: 'inbound',
    remoteNumber: '+441234567890',
    line: '5000',
    startedAt: new Date(Date.now() - 60_000).toISOString()
  });
}

function segmentInit(
  token: string | null,
  bytes: Uint8Array,
  extra: Record<string, string> = {}
): RequestInit {
  const headers: Record<string, string> = {
    'content-type': 'audio/mpeg',
    'x-segment-sha256': sha256Hex(bytes),
    'x-segment-start-ms': '0',
    'x-segment-duration-ms': '10000',
    ...extra
  };
  if (token) headers.authorization = `Bearer ${token}`;
  return { body: bytes as Uint8Array<ArrayBuffer>, headers };
}

function snapshot(): string {
  const db = openDataDirDatabase(app.dataDir);
  try {
    const tables = [
      'recordings',
      'recording_segments',
      'recording_events',
      'legal_holds',
      'recording_tombstones'
    ];
    const counts = tables.map((t) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n);
    const rows = db.prepare('SELECT id, status, remote_number FROM recordings ORDER BY id').all();
    return JSON.stringify({ counts, rows, files: fileList(join(app.dataDir, 'audio')) });
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  app = await startHttpApp();
  for (const p of Object.keys(PEOPLE) as Person[]) cookies[p] = await login(app.server.url, p);
  for (const id of [REC, REC2]) {
    const res = await call('advisor', 'POST', '/api/recordings', { body: createBody(id) });
    expect(res.status).toBe(201);
    tokens[id] = ((await res.json()) as { uploadToken: string }).uploadToken;
  }
  const put = await call(
    'anonymous',
    'PUT',
    `/api/recordings/${REC}/segments/0`,
    segmentInit(tokens[REC]!, SEG)
  );
  expect(put.status).toBe(201);
}, 240_000);

afterAll(async () => {
  await app?.stop();
});

/** Expected status per caller; own team is north (the advisor's recordings). */
function matrix(m: Record<Who, number>) {
  return WHO.map((who) => [who, m[who]] as const);
}

describe('access matrix (built server)', () => {
  const listen = {
    anonymous: 401,
    advisor: 403,
    advisor2: 403,
    leaderOwn: 200,
    leaderOther: 403,
    supervisor: 200,
    dpo: 200,
    admin: 403
  };

  it.each(matrix(listen))('GET /api/recordings/{id} as %s -> %i', async (who, status) => {
    const res = await call(who, 'GET', `/api/recordings/${REC}`);
    expect(res.status).toBe(status);
  });

  it.each(matrix(listen))('GET /api/recordings/{id}/audio as %s -> %i', async (who, status) => {
    const res = await call(who, 'GET', `/api/recordings/${REC}/audio?purpose=quality`);
    expect(res.status).toBe(status);
    if (status === 200) expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(SEG))).toBe(true);
  });

  it.each(matrix({ ...listen, leaderOther: 200 }))(
    'GET /api/recordings (own scope) as %s -> %i',
    async (who, status) => {
      expect((await call(who, 'GET', '/api/recordings')).status).toBe(status);
    }
  );

  it.each(matrix({ ...listen, leaderOther: 403 }))(
    'GET /api/recordings?team=north as %s -> %i',
    async (who, status) => {
      expect((await call(who, 'GET', '/api/recordings?team=north')).status).toBe(status);
    }
  );

  it.each(
    matrix({
      anonymous: 401,
      advisor: 403,
      advisor2: 403,
      leaderOwn: 403,
      leaderOther: 403,
      supervisor: 200,
      dpo: 200,
      admin: 403
    })
  )('GET /api/audit as %s -> %i', async (who, status) => {
    expect((await call(who, 'GET', '/api/audit')).status).toBe(status);
  });

  it.each(
    matrix({
      anonymous: 401,
      advisor: 201,
      advisor2: 201,
      leaderOwn: 403,
      leaderOther: 403,
      supervisor: 403,
      dpo: 403,
      admin: 403
    })
  )('POST /api/recordings as %s -> %i', async (who, status) => {
    const id = uuidV7(100 + WHO.indexOf(who));
    expect((await call(who, 'POST', '/api/recordings', { body: createBody(id) })).status).toBe(status);
  });

  it('legal hold: only supervisor and dpo; erasure only dpo, refused under hold', async () => {
    const hold = JSON.stringify({ reference: 'CASE-1', reason: 'proceedings', reviewBy: '2099-01-01' });
    for (const who of ['anonymous', 'advisor', 'leaderOwn', 'leaderOther', 'admin'] as Who[]) {
      expect((await call(who, 'PUT', `/api/recordings/${REC}/legal-hold`, { body: hold })).status).toBe(
        who === 'anonymous' ? 401 : 403
      );
      expect((await call(who, 'DELETE', `/api/recordings/${REC}/legal-hold`)).status).toBe(
        who === 'anonymous' ? 401 : 403
      );
    }
    expect(
      (await call('supervisor', 'PUT', `/api/recordings/${REC}/legal-hold`, { body: hold })).status
    ).toBe(201);
    expect((await call('dpo', 'PUT', `/api/recordings/${REC}/legal-hold`, { body: hold })).status).toBe(200);
    const erase = JSON.stringify({ reason: 'SAR', reference: 'SAR-1' });
    for (const who of ['anonymous', 'advisor', 'leaderOwn', 'leaderOther', 'supervisor', 'admin'] as Who[]) {
      expect((await call(who, 'DELETE', `/api/recordings/${REC}`, { body: erase })).status).toBe(
        who === 'anonymous' ? 401 : 403
      );
    }
    expect((await call('dpo', 'DELETE', `/api/recordings/${REC}`, { body: erase })).status).toBe(409);
    expect((await call('supervisor', 'DELETE', `/api/recordings/${REC}/legal-hold`)).status).toBe(204);
    expect((await call('dpo', 'DELETE', `/api/recordings/${REC}/legal-hold`)).status).toBe(404);
    const audit = (await (await call('dpo', 'GET', '/api/audit?action=recording.erase')).json()) as {
      items: { result: string; actor: string | null }[];
    };
    // Newest first: the refusal under hold, after one denial per logged-in role that may not erase.
    expect(audit.items.map((r) => r.result)).toEqual(['refused', ...Array<string>(5).fill('denied')]);
    const holds = (await (await call('dpo', 'GET', '/api/audit?action=legal-hold.place')).json()) as {
      items: { result: string }[];
    };
    expect(holds.items.filter((r) => r.result === 'denied')).toHaveLength(4);
  });

  it('upload token: none 401, another recording 403, own 200; Range 206 and 416', async () => {
    const path = `/api/recordings/${REC}/segments/0`;
    expect((await call('anonymous', 'PUT', path, segmentInit(null, SEG))).status).toBe(401);
    expect((await call('advisor', 'PUT', path, segmentInit(null, SEG))).status).toBe(401);
    expect((await call('anonymous', 'PUT', path, segmentInit(tokens[REC2]!, SEG))).status).toBe(403);
    expect((await call('anonymous', 'PUT', path, segmentInit(tokens[REC]!, SEG))).status).toBe(200);
    const other = silentFrames(40, 9);
    expect((await call('anonymous', 'PUT', path, segmentInit(tokens[REC]!, other))).status).toBe(409);
    const ranged = await call('dpo', 'GET', `/api/recordings/${REC}/audio?purpose=legal`, {
      headers: { range: 'bytes=10-19' }
    });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 10-19/${SEG.length}`);
    expect(ranged.headers.get('accept-ranges')).toBe('bytes');
    const beyond = await call('dpo', 'GET', `/api/recordings/${REC}/audio?purpose=legal`, {
      headers: { range: 'bytes=99999-' }
    });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${SEG.length}`);
    const events = JSON.stringify([{ id: 'e1', type: 'started', at: new Date().toISOString() }]);
    expect((await call('anonymous', 'POST', `/api/recordings/${REC}/events`, { body: events })).status).toBe(
      401
    );
    const auth = { authorization: `Bearer ${tokens[REC]}` };
    expect(
      (await call('anonymous', 'POST', `/api/recordings/${REC}/events`, { body: events, headers: auth }))
        .status
    ).toBe(200);
    const finish = JSON.stringify({ segmentCount: 2, durationMs: 20000 });
    const done = await call('anonymous', 'POST', `/api/recordings/${REC}/finish`, {
      body: finish,
      headers: auth
    });
    expect(await done.json()).toEqual({ complete: false, missing: [1] });
  });

  it('erased recording: dpo 204, then 410 for reads and uploads', async () => {
    const erase = JSON.stringify({ reason: 'SAR', reference: 'SAR-2' });
    expect((await call('dpo', 'DELETE', `/api/recordings/${REC2}`, { body: erase })).status).toBe(204);
    expect((await call('dpo', 'GET', `/api/recordings/${REC2}`)).status).toBe(410);
    expect((await call('supervisor', 'GET', `/api/recordings/${REC2}/audio?purpose=legal`)).status).toBe(410);
    const put = await call(
      'anonymous',
      'PUT',
      `/api/recordings/${REC2}/segments/0`,
      segmentInit(tokens[REC2]!, SEG)
    );
    expect(put.status).toBe(410);
  });
});

describe('hostile input gets a 4xx JSON answer and changes nothing', () => {
  const big = 'x'.repeat(3 * 1024 * 1024);
  const cases: [string, Who, string, string, () => RequestInit][] = [
    ['malformed JSON', 'advisor', 'POST', '/api/recordings', () => ({ body: '{"id": ' })],
    [
      'wrong types',
      'advisor',
      'POST',
      '/api/recordings',
      () => ({ body: JSON.stringify({ id: 1, direction: [] }) })
    ],
    ['huge JSON body', 'advisor', 'POST', '/api/recordings', () => ({ body: JSON.stringify({ id: big }) })],
    ['SQL in a field', 'advisor', 'POST', '/api/recordings', () => ({ body: createBody("x' OR '1'='1") })],
    [
      'SQL in a search',
      'supervisor',
      'GET',
      `/api/recordings?number=${encodeURIComponent("' OR 1=1 --")}`,
      () => ({})
    ],
    ['unknown search parameter', 'supervisor', 'GET', '/api/recordings?phone=1', () => ({})],
    ['path traversal id', 'supervisor', 'GET', '/api/recordings/..%2F..%2Fetc%2Fpasswd', () => ({})],
    ['path traversal audio', 'dpo', 'GET', '/api/recordings/..%2F..%2Fetc/audio?purpose=legal', () => ({})],
    ['unknown purpose', 'dpo', 'GET', `/api/recordings/${REC}/audio?purpose=curiosity`, () => ({})],
    ['no purpose', 'dpo', 'GET', `/api/recordings/${REC}/audio`, () => ({})],
    [
      'negative seq',
      'anonymous',
      'PUT',
      `/api/recordings/${REC}/segments/-1`,
      () => segmentInit(tokens[REC]!, SEG)
    ],
    [
      'non-numeric seq',
      'anonymous',
      'PUT',
      `/api/recordings/${REC}/segments/abc`,
      () => segmentInit(tokens[REC]!, SEG)
    ],
    [
      'seq too large',
      'anonymous',
      'PUT',
      `/api/recordings/${REC}/segments/100000`,
      () => segmentInit(tokens[REC]!, SEG)
    ],
    [
      'traversal with token',
      'anonymous',
      'PUT',
      '/api/recordings/..%2F..%2Fetc/segments/1',
      () => segmentInit(tokens[REC]!, SEG)
    ],
    [
      'hash mismatch',
      'anonymous',
      'PUT',
      `/api/recordings/${REC}/segments/5`,
      () => segmentInit(tokens[REC]!, SEG, { 'x-segment-sha256': 'a'.repeat(64) })
    ],
    [
      'not MPEG',
      'anonymous',
      'PUT',
      `/api/recordings/${REC}/segments/5`,
      () => segmentInit(tokens[REC]!, new TextEncoder().encode('<script>'.repeat(50)))
    ],
    [
      '0 bytes',
      'anonymous',
      'PUT',
      `/api/recordings/${REC}/segments/5`,
      () => segmentInit(tokens[REC]!, new Uint8Array(0))
    ],
    [
      'over the segment limit',
      'anonymous',
      'PUT',
      `/api/recordings/${REC}/segments/5`,
      () => segmentInit(tokens[REC]!, silentFrames(2200))
    ],
    [
      'bad start header',
      'anonymous',
      'PUT',
      `/api/recordings/${REC}/segments/5`,
      () => segmentInit(tokens[REC]!, SEG, { 'x-segment-start-ms': '-5' })
    ],
    [
      'digits in an event',
      'anonymous',
      'POST',
      `/api/recordings/${REC}/events`,
      () => ({
        body: JSON.stringify([
          { id: 'd1', type: 'gap', at: new Date().toISOString(), detail: { dtmf: '1234' } }
        ]),
        headers: { authorization: `Bearer ${tokens[REC]}` }
      })
    ],
    [
      'events not an array',
      'anonymous',
      'POST',
      `/api/recordings/${REC}/events`,
      () => ({ body: '{}', headers: { authorization: `Bearer ${tokens[REC]}` } })
    ],
    [
      'finish wrong types',
      'anonymous',
      'POST',
      `/api/recordings/${REC}/finish`,
      () => ({ body: '{"segmentCount":"lots"}', headers: { authorization: `Bearer ${tokens[REC]}` } })
    ],
    [
      'hold in the past',
      'supervisor',
      'PUT',
      `/api/recordings/${REC}/legal-hold`,
      () => ({ body: JSON.stringify({ reference: 'R', reason: 'r', reviewBy: '2000-01-01' }) })
    ],
    ['erase without reason', 'dpo', 'DELETE', `/api/recordings/${REC}`, () => ({ body: '{}' })],
    ['audit bad cursor', 'dpo', 'GET', '/api/audit?cursor=-1', () => ({})]
  ];

  it.each(cases)('%s', async (_name, who, method, path, init) => {
    const before = snapshot();
    const res = await call(who, method, path, init());
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as { error?: unknown; detail?: unknown };
    expect(typeof body.error).toBe('string');
    expect(typeof body.detail).toBe('string');
    expect(snapshot()).toBe(before);
  });
});
