import { newDataKey, unwrapDataKey, wrapDataKey } from '../storage/data-keys';
import { repo, type RecordingContext } from './recording-context';

/** Gives a new recording its data key (call inside the transaction that inserts the recording). */
export function createDataKey(ctx: RecordingContext, recordingId: string, now: Date): void {
  const wrapped = wrapDataKey(ctx.config.recordingKey, recordingId, newDataKey());
  repo(ctx).insertDataKey(recordingId, wrapped, now.toISOString());
}

/**
 * The recording's data key for the blob store, or undefined for a recording made before per-recording keys
 * (its files are under the master key). An erased or expired recording has no key, and its version-2 files
 * no longer decrypt. @throws DataKeyError when the stored key was altered
 */
export function dataKeyOf(ctx: RecordingContext, recordingId: string): Buffer | undefined {
  const wrapped = repo(ctx).findDataKey(recordingId);
  return wrapped && unwrapDataKey(ctx.config.recordingKey, recordingId, wrapped);
}
