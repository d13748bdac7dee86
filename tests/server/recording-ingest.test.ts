import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAuditRows } from '../../src/lib/server/repositories/audit-repository';
import {
  addEvents,
  authorizeUpload,
  createRecording,
  finishRecording,
  storeSegment
} from '../../src/lib/server/recordings/ingest-service';
import { parseEvents } from '../../src/lib/server/recordings/event-validation';
import { parseNewRecording, parseSegmentHeaders } from '../../src/lib/server/recordings/recording-validation';
import { silentFrames, sha256Hex, uuidV7 } from '../support/mpeg-frames';
import { count, recordingEnv } from './recording-helpers';

const ID = uuidV7(1, Date.parse('2025-03-01T08:59:00Z'));

function body(id = ID) {
  return {
    id,
    callId: 'abc@pbx',
    direction: 'inbound',
    remoteNumber: '+441234567890',
    line: '5000',
    startedAt: '2025-03-01T08:59:00.000Z'
  };
}

function headers(bytes: Uint8Array, startMs = 0) {
  return { sha256: sha256Hex(bytes), startMs, durationMs: 10_000 };
}

describe('recording ingest (real SQLite + encrypted files)', () => {
  let env: Awaited<ReturnType<typeof recordingEnv>>;
  beforeEach(async () => {
    env = await recordingEnv();
  });
  afterEach(() => env.cleanup());

  function create() {
    return createRecording(env.ctx, env.users.alice, parseNewRecording(body(), env.clock.now()));
  }

  it('creates once; the same id by the same advisor returns the same token, by another advisor 409', () => {
    const first = create();
    expect(first.created).toBe(true);
    expect(first.uploadToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const again = create();
    expect(again).toEqual({ ...first, created: false });
    expect(() => createRecording(env.ctx, env.users.bob, parseNewRecording(body(), env.clock.now()))).toThrow(
      expect.objectContaining({ code: 'conflict' })
    );
    const row = env.db.prepare('SELECT upload_token_hash, team FROM recordings').get() as Record<
      string,
      string
    >;
    expect(row.upload_token_hash).toBe(sha256Hex(Buffer.from(first.uploadToken)));
    expect(row.team).toBe('north');
    expect(JSON.stringify(row)).not.toContain(first.uploadToken);
  });

  it('validates every create field', () => {
    const now = env.clock.now();
    expect(() => parseNewRecording({ ...body(), id: 'not-a-uuid' }, now)).toThrow(/UUID v7/);
    expect(() => parseNewRecording({ ...body(), id: ID.replace('-7', '-4') }, now)).toThrow(/UUID v7/);
    expect(() => parseNewRecording({ ...body(), direction: 'sideways' }, now)).toThrow(/direction/);
    expect(() => parseNewRecording({ ...body(), remoteNumber: "1'; DROP TABLE x" }, now)).toThrow();
    expect(() => parseNewRecording({ ...body(), startedAt: '2030-01-01T00:00:00Z' }, now)).toThrow(/future/);
    expect(() => parseNewRecording({ ...body(), extra: 1 }, now)).toThrow(/Unknown/);
    expect(() => parseNewRecording([], now)).toThrow();
  });

  it('authorizes uploads by token: none 401, unknown 401, other recording 403 (audited)', () => {
    const { uploadToken } = create();
    expect(authorizeUpload(env.ctx, ID, `Bearer ${uploadToken}`).id).toBe(ID);
    expect(() => authorizeUpload(env.ctx, ID, null)).toThrow(
      expect.objectContaining({ code: 'unauthenticated' })
    );
    expect(() => authorizeUpload(env.ctx, ID, `Bearer ${'x'.repeat(43)}`)).toThrow(
      expect.objectContaining({ code: 'unauthenticated' })
    );
    const other = uuidV7(2);
    expect(() => authorizeUpload(env.ctx, other, `Bearer ${uploadToken}`)).toThrow(
      expect.objectContaining({ code: 'forbidden' })
    );
    expect(listAuditRows(env.db).at(-1)).toMatchObject({ action: 'recording.upload', result: 'denied' });
  });

  it('stores segments out of order; identical again 200, different bytes 409', async () => {
    const { uploadToken } = create();
    const rec = authorizeUpload(env.ctx, ID, `Bearer ${uploadToken}`);
    const s0 = silentFrames(70, 0);
    const s1 = silentFrames(70, 1);
    // storeSegment takes its bytes over (moves them to a writer thread), so a reused body goes in as a copy.
    expect(await storeSegment(env.ctx, rec, 1, headers(s1, 10_000), s1.slice())).toMatchObject({
      created: true,
      seq: 1
    });
    expect(await storeSegment(env.ctx, rec, 0, headers(s0), s0.slice())).toMatchObject({
      created: true,
      seq: 0
    });
    expect(await storeSegment(env.ctx, rec, 0, headers(s0), s0)).toMatchObject({ created: false });
    await expect(storeSegment(env.ctx, rec, 0, headers(s1), s1)).rejects.toMatchObject({ code: 'conflict' });
    expect(count(env.db, 'recording_segments')).toBe(2);
    expect(finishRecording(env.ctx, rec, { segmentCount: 3, durationMs: 30_000 })).toEqual({
      complete: false,
      missing: [2]
    });
    const s2 = silentFrames(10, 2);
    await storeSegment(env.ctx, rec, 2, headers(s2, 20_000), s2);
    const status = env.db.prepare('SELECT status FROM recordings').get() as { status: string };
    expect(status.status).toBe('complete');
    expect(finishRecording(env.ctx, rec, { segmentCount: 3, durationMs: 30_000 })).toEqual({
      complete: true,
      missing: []
    });
  });

  it('refuses a hash mismatch, 0 bytes, garbage and a truncated first frame, storing nothing', async () => {
    const { uploadToken } = create();
    const rec = authorizeUpload(env.ctx, ID, `Bearer ${uploadToken}`);
    const good = silentFrames(5);
    await expect(
      storeSegment(env.ctx, rec, 0, headers(silentFrames(5, 9)), good.slice())
    ).rejects.toMatchObject({
      code: 'hash_mismatch'
    });
    const empty = new Uint8Array(0);
    await expect(storeSegment(env.ctx, rec, 0, headers(empty), empty)).rejects.toMatchObject({
      code: 'not_mpeg'
    });
    const garbage = new TextEncoder().encode('<html>not audio</html>'.repeat(20));
    await expect(storeSegment(env.ctx, rec, 0, headers(garbage), garbage)).rejects.toMatchObject({
      code: 'not_mpeg'
    });
    const truncated = good.subarray(0, 100);
    await expect(storeSegment(env.ctx, rec, 0, headers(truncated), truncated)).rejects.toMatchObject({
      code: 'not_mpeg'
    });
    expect(count(env.db, 'recording_segments')).toBe(0);
  });

  it('validates segment headers', () => {
    const h = (o: Record<string, string>) => new Headers(o);
    const ok = {
      'x-segment-sha256': 'a'.repeat(64),
      'x-segment-start-ms': '0',
      'x-segment-duration-ms': '10000'
    };
    expect(parseSegmentHeaders(h(ok))).toEqual({ sha256: 'a'.repeat(64), startMs: 0, durationMs: 10000 });
    expect(() => parseSegmentHeaders(h({ ...ok, 'x-segment-sha256': 'zz' }))).toThrow();
    expect(() => parseSegmentHeaders(h({ ...ok, 'x-segment-start-ms': '-1' }))).toThrow();
    expect(() => parseSegmentHeaders(h({ ...ok, 'x-segment-duration-ms': '1e3' }))).toThrow();
  });

  it('adds timeline events idempotently and refuses digits or card data', () => {
    const { uploadToken } = create();
    const rec = authorizeUpload(env.ctx, ID, `Bearer ${uploadToken}`);
    const events = parseEvents([
      { id: 'e1', type: 'started', at: '2025-03-01T08:59:00.000Z' },
      { id: 'e2', type: 'paused', at: '2025-03-01T08:59:30.000Z', detail: { reason: 'payment-line' } }
    ]);
    expect(addEvents(env.ctx, rec, events)).toEqual({ added: 2, duplicates: 0 });
    expect(addEvents(env.ctx, rec, events)).toEqual({ added: 0, duplicates: 2 });
    const at = '2025-03-01T09:00:00.000Z';
    expect(() => parseEvents([{ id: 'e3', type: 'gap', at, detail: { dtmf: '1' } }])).toThrow(/not allowed/);
    expect(() => parseEvents([{ id: 'e3', type: 'gap', at, detail: { x: { cardNumber: 1 } } }])).toThrow();
    expect(() =>
      parseEvents([{ id: 'e3', type: 'gap', at, detail: { note: '4111 1111 1111 1111' } }])
    ).toThrow();
    expect(() => parseEvents([{ id: 'e3', type: 'teleport', at }])).toThrow(/type/);
    expect(() => parseEvents([{ id: 'e3', type: 'gap', at, detail: { note: 'x'.repeat(2000) } }])).toThrow();
    expect(() => parseEvents([])).toThrow();
  });
});
