import { expect } from '@playwright/test';
import type { AdvisorTab } from './advisor';
import { connectMainLineCall, expectAdvisorIdle } from './calls';
import type { Peer } from './peer';
import { apiLogin, findRecordings, recordingDetail, type StoredRecording } from './stored-audio';

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

/** A recorded main-line call in progress: who can read its recording, and which recordings existed before. */
export interface RecordedCall {
  cookie: string;
  before: Set<string>;
}

/** Connects a main-line call from `caller` (number `number`) to the advisor and waits until it records. */
export async function startRecordedCall(
  appUrl: string,
  advisor: AdvisorTab,
  caller: Peer,
  number: string
): Promise<RecordedCall> {
  const cookie = await apiLogin(appUrl, 'sue');
  const before = await recordingIds(appUrl, cookie, number);
  await connectMainLineCall(advisor, caller);
  await expect(advisor.page.getByRole('region', { name: 'Recording' })).toContainText('REC');
  return { cookie, before };
}

/** The caller hangs up; returns the recording once every segment is on the server and it is complete. */
export async function finishRecordedCall(
  appUrl: string,
  advisor: AdvisorTab,
  caller: Peer,
  number: string,
  call: RecordedCall
): Promise<StoredRecording> {
  await caller.hangup();
  await expectAdvisorIdle(advisor);
  await expectUploaded(advisor);
  const stored = await newRecording(appUrl, call.cookie, number, call.before);
  expect(stored.integrity.ok).toBe(true);
  return stored;
}

/** Seconds of `pcm` (16 kHz) and seconds from the recording's started to its ended event. */
export function recordedLength(
  stored: StoredRecording,
  pcm: Float32Array
): { audio: number; timeline: number } {
  const at = (type: string) => Date.parse(stored.timeline.find((e) => e.type === type)?.at ?? '');
  return { audio: pcm.length / 16000, timeline: (at('ended') - at('started')) / 1000 };
}
