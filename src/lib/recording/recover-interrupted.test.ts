import { describe, expect, it } from 'vitest';
import { MemoryOutboxStore } from '$lib/outbox/memory-outbox-store';
import type { OutboxRecording } from '$lib/outbox/outbox-types';
import { recoverInterrupted } from './recover-interrupted';

const base: OutboxRecording = {
  id: '01890000-0000-7000-8000-000000000001',
  callId: 'c',
  direction: 'inbound',
  remoteNumber: '3001',
  line: 'main',
  startedAt: '2026-11-29T10:00:00.000Z',
  uploadToken: null,
  finished: null,
  segmentsStored: 3,
  durationMs: 30_000,
  objected: false,
  createdAt: 1
};

describe('recoverInterrupted', () => {
  it('finishes a recording a closed tab left open with what was stored, and marks the gap', async () => {
    const store = new MemoryOutboxStore();
    await store.putRecording(base);
    await store.putRecording({ ...base, id: 'done', finished: { segmentCount: 1, durationMs: 1 } });
    await recoverInterrupted(store, Date.parse('2026-11-29T10:05:00Z'), (n) =>
      crypto.getRandomValues(new Uint8Array(n))
    );
    expect((await store.getRecording(base.id))?.finished).toEqual({ segmentCount: 3, durationMs: 30_000 });
    const events = await store.listEvents(base.id);
    expect(events.map((e) => [e.type, e.detail])).toEqual([
      ['gap', { cause: 'reload' }],
      ['ended', { reason: 'uncertain' }]
    ]);
    expect(await store.listEvents('done')).toEqual([]);
  });
});
