import { expect, type Locator } from '@playwright/test';
import type { AdvisorTab } from './advisor';
import { connectMainLineCall, expectAdvisorIdle } from './calls';
import type { Peer } from './peer';
import {
  apiLogin,
  decodedAudio,
  findRecordings,
  recordingDetail,
  type StoredRecording
} from './stored-audio';

/** The advisor's always-visible recording indicator (REC / PAUSED / NOT RECORDED / ENDED). */
export function recordingIndicator(advisor: AdvisorTab): Locator {
  return advisor.page.getByRole('region', { name: 'Recording' });
}

/** Waits until the advisor's outbox is empty (every segment confirmed by the server). */
export async function expectUploaded(advisor: AdvisorTab, timeout = 30_000): Promise<void> {
  await expect(recordingIndicator(advisor)).not.toContainText('waiting to upload', { timeout });
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

/** Counts of the advisor's IndexedDB outbox stores: recordings, segments and chunks not yet confirmed. */
export async function outboxCounts(
  advisor: AdvisorTab
): Promise<{ recordings: number; segments: number; chunks: number }> {
  const outbox = await readOutbox(advisor);
  return { recordings: outbox.recordings, segments: outbox.segments.length, chunks: outbox.chunks.length };
}

/**
 * What the advisor's IndexedDB outbox holds: how many recordings, each segment's key and SHA-256, and the
 * keys of the chunks of segments still being recorded.
 */
export async function readOutbox(advisor: AdvisorTab): Promise<{
  recordings: number;
  segments: { recordingId: string; seq: number; sha256: string }[];
  chunks: { seq: number; part: number }[];
}> {
  return advisor.page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('advisor-phone-outbox');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const all = <T>(store: string) =>
      new Promise<T[]>((resolve) => {
        if (!db.objectStoreNames.contains(store)) return resolve([]);
        const req = db.transaction(store).objectStore(store).getAll();
        req.onsuccess = () => resolve(req.result as T[]);
      });
    const recordings = (await all<unknown>('recordings')).length;
    const segments = (await all<{ recordingId: string; seq: number; sha256: string }>('segments')).map(
      ({ recordingId, seq, sha256 }) => ({ recordingId, seq, sha256 })
    );
    const chunks = (await all<{ seq: number; part: number }>('chunks')).map(({ seq, part }) => ({
      seq,
      part
    }));
    db.close();
    return { recordings, segments, chunks };
  });
}

/** The recordings of one remote number as the supervisor sue sees them, noted before a call. */
export interface RecordingWatch {
  appUrl: string;
  cookie: string;
  number: string;
  before: Set<string>;
}

/** Logs in as the supervisor and notes the recordings `number` already has. */
export async function watchRecordings(appUrl: string, number: string): Promise<RecordingWatch> {
  const cookie = await apiLogin(appUrl, 'sue');
  return { appUrl, cookie, number, before: await recordingIds(appUrl, cookie, number) };
}

/**
 * After the call: waits until the advisor's outbox is empty, then returns the call's new recording as
 * the server stores it (its integrity checked) and its audio decoded to 16 kHz mono.
 */
export async function uploadedRecording(
  advisor: AdvisorTab,
  watch: RecordingWatch
): Promise<{ stored: StoredRecording; pcm: Float32Array }> {
  await expectUploaded(advisor);
  const stored = await newRecording(watch.appUrl, watch.cookie, watch.number, watch.before);
  expect(stored.integrity.ok).toBe(true);
  return { stored, pcm: await decodedAudio(watch.appUrl, watch.cookie, stored.recording.id) };
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
