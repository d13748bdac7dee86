import { newDataKey, unwrapDataKey, wrapDataKey } from '../storage/data-keys';
import { repo, type RecordingContext } from './recording-context';

/** Gives a new recording its data key (call inside the transaction that inserts the recording). */
export function createDataKey(ctx: RecordingContext, recordingId: string, now: Date): void {
  const wrapped = wrapDataKey(ctx.config.recordingKey, recordingId, newDataKey());
  repo(ctx).insertDataKey(recordingId, wrapped, now.toISOString());
}

interface UnwrappedKey {
  masterKey: Buffer;
  wrapped: Buffer;
  key: Buffer;
}

/**
 * Recently unwrapped data keys by recording id, least recently used first. Unwrapping (an AES-GCM open) on
 * every 10-second segment was a visible share of the upload path; the wrapped key is still read from the
 * database on every use and an entry only answers for the very same wrapped bytes under the same master
 * key, so a removed key (erasure or expiry, in this process or another) is never served from here. Removals
 * in this process also drop the entry at once ({@link forgetDataKeys}), so the plain key does not outlive it.
 */
const unwrapped = new Map<string, UnwrappedKey>();
/** More than the recordings uploading at once (one per advisor on a call). */
const MAX_UNWRAPPED_KEYS = 256;

/**
 * The recording's data key for the blob store, or undefined for a recording made before per-recording keys
 * (its files are under the master key). An erased or expired recording has no key, and its version-2 files
 * no longer decrypt. The key may be shared with other callers: never modify it.
 * @throws DataKeyError when the stored key was altered
 */
export function dataKeyOf(ctx: RecordingContext, recordingId: string): Buffer | undefined {
  const wrapped = repo(ctx).findDataKey(recordingId);
  const hit = unwrapped.get(recordingId);
  unwrapped.delete(recordingId);
  if (!wrapped) return undefined;
  const masterKey = ctx.config.recordingKey;
  const entry =
    hit && hit.masterKey === masterKey && hit.wrapped.equals(wrapped)
      ? hit
      : { masterKey, wrapped: Buffer.from(wrapped), key: unwrapDataKey(masterKey, recordingId, wrapped) };
  unwrapped.set(recordingId, entry);
  if (unwrapped.size > MAX_UNWRAPPED_KEYS) {
    const oldest = unwrapped.keys().next();
    if (!oldest.done) unwrapped.delete(oldest.value);
  }
  return entry.key;
}

/** Drops the unwrapped keys of recordings whose wrapped keys were just removed (erasure, expiry). */
export function forgetDataKeys(recordingIds: readonly string[]): void {
  for (const id of recordingIds) unwrapped.delete(id);
}

/** Whether the plain data key of `recordingId` is held in memory (for tests). */
export function holdsUnwrappedKey(recordingId: string): boolean {
  return unwrapped.has(recordingId);
}
