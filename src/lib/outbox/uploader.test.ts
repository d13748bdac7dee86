import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryOutboxStore } from './memory-outbox-store';
import type { OutboxRecording, OutboxSegment } from './outbox-types';
import { Uploader } from './uploader';

const REC = '01890000-0000-7000-8000-000000000001';

function recording(id = REC): OutboxRecording {
  return {
    id,
    callId: 'call-1',
    direction: 'inbound',
    remoteNumber: '3001',
    line: 'main',
    startedAt: '2026-11-29T10:00:00.000Z',
    uploadToken: null,
    finished: null,
    segmentsStored: 0,
    durationMs: 0,
    objected: false,
    createdAt: 1
  };
}

function segment(seq: number, recordingId = REC): OutboxSegment {
  return {
    recordingId,
    seq,
    bytes: new Uint8Array([0xff, 0xfb, seq]),
    sha256: `hash-${seq}`,
    startMs: seq * 10_000,
    durationMs: 10_000,
    createdAt: 10 + seq
  };
}

/** A scripted retention service: records every request, answers by a handler. */
class FakeServer {
  calls: { method: string; path: string; headers: Record<string, string> }[] = [];
  handler: (method: string, path: string) => Response | 'network-down' = (method, path) => {
    if (method === 'POST' && path === '/api/recordings') return json(201, { id: REC, uploadToken: 'tok' });
    if (method === 'PUT') return json(201, {});
    if (path.endsWith('/finish')) return json(200, { complete: true, missing: [] });
    return json(200, {});
  };
  fetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const method = init?.method ?? 'GET';
    const path = String(url);
    this.calls.push({ method, path, headers: (init?.headers ?? {}) as Record<string, string> });
    const r = this.handler(method, path);
    if (r === 'network-down') throw new TypeError('Failed to fetch');
    return r;
  };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

class FakeScheduler {
  timers: { fn: () => void; ms: number }[] = [];
  setTimeout = (fn: () => void, ms: number) => {
    const t = { fn, ms };
    this.timers.push(t);
    return t;
  };
  clearTimeout = (h: unknown) => {
    this.timers = this.timers.filter((t) => t !== h);
  };
  async fire(): Promise<void> {
    const t = this.timers.shift();
    if (!t) throw new Error('no timer pending');
    t.fn();
    await new Promise((r) => setTimeout(r, 0));
  }
}

let store: MemoryOutboxStore;
let server: FakeServer;
let scheduler: FakeScheduler;
let uploader: Uploader;

beforeEach(() => {
  store = new MemoryOutboxStore();
  server = new FakeServer();
  scheduler = new FakeScheduler();
  uploader = new Uploader({ store, fetch: server.fetch, random: () => 0, scheduler, concurrency: 1 });
});

describe('Uploader', () => {
  it('creates the recording, uploads segments oldest first, sends events, then finishes and empties the outbox', async () => {
    await store.putRecording({ ...recording(), finished: { segmentCount: 3, durationMs: 30_000 } });
    for (const seq of [2, 0, 1]) await store.putSegment(segment(seq));
    await store.putEvents([
      { recordingId: REC, eventId: 'e1', type: 'started', at: '2026-11-29T10:00:00.000Z', detail: {} }
    ]);
    await uploader.start();
    const sequence = server.calls.map((c) => `${c.method} ${c.path}`);
    expect(sequence).toEqual([
      'POST /api/recordings',
      `PUT /api/recordings/${REC}/segments/0`,
      `PUT /api/recordings/${REC}/segments/1`,
      `PUT /api/recordings/${REC}/segments/2`,
      `POST /api/recordings/${REC}/events`,
      `POST /api/recordings/${REC}/finish`
    ]);
    expect(server.calls[1]?.headers['x-segment-sha256']).toBe('hash-0');
    expect(server.calls[1]?.headers.authorization).toBe('Bearer tok');
    expect(store.segments.size).toBe(0);
    expect(store.recordings.size).toBe(0);
    expect(uploader.state).toBe('idle');
  });

  it('keeps everything while the service is down and delivers it after backoff', async () => {
    await store.putRecording(recording());
    await store.putSegment(segment(0));
    server.handler = () => 'network-down';
    await uploader.start();
    expect(uploader.state).toBe('waiting');
    expect(store.segments.size).toBe(1);
    expect(uploader.backlog).toMatchObject({ segments: 1, problem: 'The recording service is unreachable' });
    // A second failure waits longer (exponential backoff).
    await scheduler.fire();
    await new Promise((r) => setTimeout(r, 0));
    expect(scheduler.timers[0]?.ms).toBeGreaterThan(500);
    server.handler = new FakeServer().handler;
    await scheduler.fire();
    await new Promise((r) => setTimeout(r, 10));
    expect(store.segments.size).toBe(0);
    expect(uploader.backlog.problem).toBeNull();
  });

  it('treats "already stored, same bytes" (200) as delivered', async () => {
    await store.putRecording({ ...recording(), uploadToken: 'tok' });
    await store.putSegment(segment(0));
    server.handler = () => json(200, { sha256: 'hash-0' });
    await uploader.start();
    expect(store.segments.size).toBe(0);
  });

  it('never drops a segment the server refuses, and says why', async () => {
    await store.putRecording({ ...recording(), uploadToken: 'tok' });
    await store.putSegment(segment(0));
    await store.putSegment(segment(1));
    server.handler = (method, path) =>
      method === 'PUT' && path.endsWith('/0')
        ? json(409, { error: 'conflict', detail: 'different bytes' })
        : json(201, {});
    await uploader.start();
    expect([...store.segments.values()].map((s) => s.seq)).toEqual([0]);
    expect(uploader.backlog.problem).toMatch(/409.*different bytes/);
  });

  it('drops the local copy of a recording the server erased (410)', async () => {
    await store.putRecording({ ...recording(), uploadToken: 'tok' });
    await store.putSegment(segment(0));
    await store.putSegment(segment(1));
    server.handler = () => json(410, { error: 'gone' });
    await uploader.start();
    expect(store.segments.size).toBe(0);
    expect(store.recordings.size).toBe(0);
  });

  it('retries at once when kicked (back online) instead of waiting out the backoff', async () => {
    await store.putRecording(recording());
    await store.putSegment(segment(0));
    server.handler = () => 'network-down';
    await uploader.start();
    expect(uploader.state).toBe('waiting');
    server.handler = new FakeServer().handler;
    await uploader.kick();
    expect(store.segments.size).toBe(0);
    expect(scheduler.timers).toHaveLength(0);
  });

  it('waits for a login when the session expired before the recording was created', async () => {
    await store.putRecording(recording());
    await store.putSegment(segment(0));
    server.handler = () => json(401, { error: 'unauthenticated' });
    await uploader.start();
    expect(uploader.state).toBe('waiting');
    expect(uploader.backlog.problem).toMatch(/Log in again/);
    expect(store.segments.size).toBe(1);
  });
});

describe('Uploader and objections', () => {
  it('asks the server to erase an objected recording, uploads none of it, and forgets it', async () => {
    await store.putRecording({ ...recording(), uploadToken: 'tok', objected: true });
    await uploader.start();
    expect(server.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      `POST /api/recordings/${REC}/objection`
    ]);
    expect(store.recordings.size).toBe(0);
  });

  it('forgets an objected recording the server never had', async () => {
    await store.putRecording({ ...recording(), objected: true });
    await uploader.start();
    expect(server.calls).toHaveLength(0);
    expect(store.recordings.size).toBe(0);
  });

  it('asks again at least every 10 s however long the service is down, so its return is noticed soon', async () => {
    uploader = new Uploader({ store, fetch: server.fetch, random: () => 0.999, scheduler, concurrency: 1 });
    await store.putRecording(recording());
    await store.putSegment(segment(0));
    server.handler = () => 'network-down';
    await uploader.start();
    const delays: number[] = [];
    for (let i = 0; i < 12; i++) {
      delays.push(scheduler.timers[0]?.ms ?? NaN);
      await scheduler.fire();
    }
    expect(delays.slice(0, 4)).toEqual([1000, 1999, 3998, 7996]);
    expect(Math.max(...delays)).toBeLessThanOrEqual(10_000);
    expect(delays.slice(4).every((ms) => ms >= 9_990)).toBe(true);
    server.handler = new FakeServer().handler;
    await scheduler.fire();
    await new Promise((r) => setTimeout(r, 10));
    expect(store.segments.size).toBe(0);
  });

  it('keeps asking while the server is down', async () => {
    await store.putRecording({ ...recording(), uploadToken: 'tok', objected: true });
    server.handler = () => 'network-down';
    await uploader.start();
    expect(store.recordings.size).toBe(1);
    expect(uploader.state).toBe('waiting');
  });
});
