import { expect } from '@playwright/test';
import type { AdvisorTab } from './advisor';
import { findRecordings, recordingDetail, type StoredRecording } from './stored-audio';

/** Waits until the advisor's outbox is empty (every segment confirmed by the server). */
export async function expectUploaded(advisor: AdvisorTab, timeout = 30_000): Promise<void> {
  await expect(advisor.page.getByRole('region', { name: 'Recording' })).not.toContainText(
    'waiting to upload',
    { timeout }
  );
}

/** Ids of the server's recordings for `number` right now (take it before a call, pass it to {@link newRecording}). */
export async function recordingIds(appUrl: string, cookie: string, number: string): Promise<Set<string>> {
  return new Set((await findRecordings(appUrl, cookie, number)).map((r) => r.id));
}

/** The one recording for `number` that was not in `before`, once the server has it complete. */
export async function newRecording(
  appUrl: string,
  cookie: string,
  number: string,
  before: Set<string>
): Promise<StoredRecording> {
  let found: StoredRecording | null = null;
  await expect
    .poll(
      async () => {
        const fresh = (await findRecordings(appUrl, cookie, number)).filter((r) => !before.has(r.id));
        if (fresh.length !== 1) return `recordings: ${fresh.length}`;
        found = await recordingDetail(appUrl, cookie, (fresh[0] as { id: string }).id);
        return found.recording.status;
      },
      { timeout: 30_000, message: 'the server should have one new complete recording' }
    )
    .toBe('complete');
  return found as unknown as StoredRecording;
}

/** Counts of the advisor's IndexedDB outbox stores (recordings and segments not yet confirmed). */
export async function outboxCounts(advisor: AdvisorTab): Promise<{ recordings: number; segments: number }> {
  return advisor.page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('advisor-phone-outbox');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const count = (store: string) =>
      new Promise<number>((resolve) => {
        if (!db.objectStoreNames.contains(store)) return resolve(0);
        const req = db.transaction(store).objectStore(store).count();
        req.onsuccess = () => resolve(req.result);
      });
    const counts = { recordings: await count('recordings'), segments: await count('segments') };
    db.close();
    return counts;
  });
}

/**
 * Milliseconds of audio the timeline says were captured up to `untilMs` (default: all): every span from
 * `started` or `resumed` to the next `paused` or `ended`. The stored audio is these spans joined, so this
 * is also where an instant of the call sits in the decoded audio.
 */
export function capturedMs(
  timeline: StoredRecording['timeline'],
  untilMs = Number.POSITIVE_INFINITY
): number {
  let total = 0;
  let from: number | null = null;
  for (const e of timeline) {
    const at = Math.min(Date.parse(e.at), untilMs);
    if ((e.type === 'started' || e.type === 'resumed') && from === null) from = at;
    if ((e.type === 'paused' || e.type === 'ended') && from !== null) {
      total += at - from;
      from = null;
    }
  }
  if (from !== null && untilMs !== Number.POSITIVE_INFINITY) total += untilMs - from;
  return total;
}

/** The time (ms since epoch) of the first timeline event of `type`; fails the test when there is none. */
export function eventAt(timeline: StoredRecording['timeline'], type: string): number {
  const found = timeline.find((e) => e.type === type);
  if (!found) throw new Error(`the timeline has no ${type} event: ${timeline.map((e) => e.type).join(', ')}`);
  return Date.parse(found.at);
}
