import { appendAudit } from '../audit/append-audit';
import type { SessionUser } from '../auth/session-user';
import type { LegalHoldRecord } from '../repositories/recording-repository';
import { actorOf, repo, type RecordingContext } from './recording-context';
import { RecordingError } from './recording-error';
import { checkDate, checkText } from './recording-validation';

/** Body of `PUT /api/recordings/{id}/legal-hold`. */
export interface HoldInput {
  reference: string;
  reason: string;
  /** YYYY-MM-DD, today or later. */
  reviewBy: string;
}

/** Validates a hold body against today's date. @throws RecordingError bad_request */
export function parseHold(body: unknown, now: Date): HoldInput {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new RecordingError('bad_request', 'Send a JSON object {reference, reason, reviewBy}.');
  }
  const b = body as Record<string, unknown>;
  const reviewBy = checkDate(b.reviewBy, 'reviewBy');
  if (reviewBy < now.toISOString().slice(0, 10))
    throw new RecordingError('bad_request', 'reviewBy is in the past.');
  return {
    reference: checkText(b.reference, 'reference', 100),
    reason: checkText(b.reason, 'reason', 500),
    reviewBy
  };
}

function loadLive(ctx: RecordingContext, id: string) {
  const recording = repo(ctx).findRecording(id);
  if (!recording) throw new RecordingError('not_found', 'No such recording.');
  if (recording.status === 'erased' || recording.status === 'expired') {
    throw new RecordingError('gone', `The recording was ${recording.status}.`);
  }
  return recording;
}

/**
 * Places (or replaces) the legal hold on a recording; audited. Role checks are the caller's (supervisor, dpo).
 * @returns the hold and whether it is new.
 * @throws RecordingError not_found | gone
 */
export function placeLegalHold(
  ctx: RecordingContext,
  user: SessionUser,
  id: string,
  input: HoldInput
): { hold: LegalHoldRecord; created: boolean } {
  const now = ctx.now();
  return ctx.db
    .transaction(() => {
      loadLive(ctx, id);
      const created = repo(ctx).findHold(id) === undefined;
      const hold: LegalHoldRecord = {
        recordingId: id,
        ...input,
        placedBy: user.id,
        placedAt: now.toISOString()
      };
      repo(ctx).upsertHold(hold);
      appendAudit(
        ctx.db,
        {
          actor: actorOf(user),
          action: created ? 'legal-hold.place' : 'legal-hold.update',
          target: id,
          result: 'ok',
          detail: { ...input }
        },
        now
      );
      return { hold, created };
    })
    .immediate();
}

/**
 * Releases the legal hold; audited with the optional reason.
 * @throws RecordingError not_found (no recording or no hold)
 */
export function releaseLegalHold(
  ctx: RecordingContext,
  user: SessionUser,
  id: string,
  reason: string | null
): void {
  const now = ctx.now();
  ctx.db
    .transaction(() => {
      const recording = repo(ctx).findRecording(id);
      if (!recording) throw new RecordingError('not_found', 'No such recording.');
      const hold = repo(ctx).findHold(id);
      if (!hold || !repo(ctx).deleteHold(id))
        throw new RecordingError('not_found', 'The recording has no legal hold.');
      appendAudit(
        ctx.db,
        {
          actor: actorOf(user),
          action: 'legal-hold.release',
          target: id,
          result: 'ok',
          detail: { reference: hold.reference, reason }
        },
        now
      );
    })
    .immediate();
}
