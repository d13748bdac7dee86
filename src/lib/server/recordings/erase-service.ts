import { appendAudit, type AuditActor } from '../audit/append-audit';
import { deleteAudioPurges, queueAudioPurges } from '../repositories/retention-repository';
import { repo, type RecordingContext } from './recording-context';
import { RecordingError } from './recording-error';
import { forgetDataKeys } from './recording-keys';
import { checkText } from './recording-validation';

/** Why and by whom a recording is erased. `reference` is e.g. the SAR case or ticket number. */
export interface EraseInput {
  reason: string;
  reference: string;
  actor: AuditActor;
}

/** Answer of {@link eraseRecording}. */
export type EraseOutcome =
  /** Erased now: audio files deleted, personal data cleared, tombstone written. */
  | 'erased'
  /** Was already erased or expired: nothing changed (left-over files, if any, were deleted again). */
  | 'already_gone';

/** Validates a `DELETE /api/recordings/{id}` body. @throws RecordingError bad_request */
export function parseErase(body: unknown): { reason: string; reference: string } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new RecordingError('bad_request', 'Send a JSON object {reason, reference}.');
  }
  const b = body as Record<string, unknown>;
  return { reason: checkText(b.reason, 'reason', 500), reference: checkText(b.reference, 'reference', 100) };
}

/**
 * Erases a recording for real: in one transaction the segment and event rows go, the caller's personal data
 * (remote number, call id, line) is cleared, the status becomes 'erased', a tombstone (start date only) is
 * written with its audit row, and the audio folder is queued in `audio_purges`; then the folder is deleted and
 * its queue entry forgotten. A crash between commit and deletion leaves the queue entry, which the next sweep
 * drains (the rows already say 'erased', so nothing can read the files meanwhile): no folder is ever left
 * without a pointer to it. An already-gone recording's folder is queued and deleted again the same way.
 * Under legal hold the erasure is refused and the refusal audited. Permission checks are the caller's (dpo).
 * Used by `DELETE /api/recordings/{id}` and by the subject access erase.
 * @throws RecordingError not_found | legal_hold
 */
export async function eraseRecording(
  ctx: RecordingContext,
  id: string,
  input: EraseInput
): Promise<EraseOutcome> {
  const now = ctx.now();
  const outcome = ctx.db
    .transaction((): EraseOutcome | 'held' => {
      const recordings = repo(ctx);
      const recording = recordings.findRecording(id);
      if (!recording) throw new RecordingError('not_found', 'No such recording.');
      if (recording.status === 'erased' || recording.status === 'expired') {
        queueAudioPurges(ctx.db, [id], now.toISOString());
        return 'already_gone';
      }
      const hold = recordings.findHold(id);
      if (hold) {
        appendAudit(
          ctx.db,
          {
            actor: input.actor,
            action: 'recording.erase',
            target: id,
            result: 'refused',
            detail: { reason: input.reason, reference: input.reference, legalHold: hold.reference }
          },
          now
        );
        return 'held';
      }
      recordings.removeRecordingData([id], {
        status: 'erased',
        at: now.toISOString(),
        reason: input.reason,
        reference: input.reference
      });
      forgetDataKeys([id]);
      queueAudioPurges(ctx.db, [id], now.toISOString());
      appendAudit(
        ctx.db,
        {
          actor: input.actor,
          action: 'recording.erase',
          target: id,
          result: 'ok',
          detail: { reason: input.reason, reference: input.reference }
        },
        now
      );
      return 'erased';
    })
    .immediate();
  if (outcome === 'held') throw new RecordingError('legal_hold', 'The recording is under legal hold.');
  await ctx.store.deletePrefix(id);
  deleteAudioPurges(ctx.db, [id]);
  return outcome;
}
