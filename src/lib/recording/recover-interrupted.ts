import { timelineEventId } from './capture-session';
import type { OutboxStore } from '$lib/outbox/outbox-types';

/** A tab closed mid-call left a recording unfinished: close it with what was captured and mark the gap. */
export async function recoverInterrupted(
  store: OutboxStore,
  now: number,
  randomBytes: (n: number) => Uint8Array
): Promise<void> {
  for (const r of await store.listRecordings()) {
    if (r.finished || r.objected) continue;
    const entries: { type: string; detail: Record<string, string> }[] = [
      { type: 'gap', detail: { cause: 'reload' } },
      { type: 'ended', detail: { reason: 'uncertain' } }
    ];
    await store.putEvents(
      entries.map((e, i) => ({
        recordingId: r.id,
        eventId: timelineEventId(now, i, randomBytes),
        type: e.type,
        at: new Date(now).toISOString(),
        detail: e.detail
      }))
    );
    await store.updateRecording(r.id, {
      finished: { segmentCount: r.segmentsStored, durationMs: r.durationMs }
    });
  }
}
