import { createHash } from 'node:crypto';
import { appendAudit, type AuditActor } from '../audit/append-audit';
import type { SessionUser } from '../auth/session-user';
import type { RecordingRecord } from '../repositories/recording-repository';
import { BlobHashMismatchError, segmentBlobKey } from '../storage/blob-store';
import type { RecordingEventInput } from './event-validation';
import { countFrames, looksLikeMpegAudio } from './mpeg-check';
import { actorOf, repo, type RecordingContext } from './recording-context';
import { RecordingError } from './recording-error';
import { createDataKey, dataKeyOf } from './recording-keys';
import type { FinishInput, NewRecordingInput, SegmentHeaders } from './recording-validation';
import { bearerToken, deriveUploadToken, hashUploadToken, sameHash } from './upload-token';

/** Audit actor for requests authenticated by an upload token alone. */
const TOKEN_ACTOR: AuditActor = Object.freeze({ id: null, name: 'upload-token', role: null });

/** Answer of {@link createRecording}: `created` false means the same advisor sent the same id again. */
export interface CreatedRecording {
  created: boolean;
  id: string;
  uploadToken: string;
}

/**
 * Creates a recording for an advisor and returns its upload token. The same id again by the same advisor
 * returns the same token (created: false); by anyone else, or for an erased recording, `conflict`.
 * @throws RecordingError conflict
 */
export function createRecording(
  ctx: RecordingContext,
  user: SessionUser,
  input: NewRecordingInput
): CreatedRecording {
  const uploadToken = deriveUploadToken(ctx.config.recordingKey, input.id);
  const now = ctx.now();
  return ctx.db
    .transaction((): CreatedRecording => {
      const recordings = repo(ctx);
      const existing = recordings.findRecording(input.id);
      if (existing) {
        if (existing.advisorId !== user.id || existing.status === 'erased' || existing.status === 'expired') {
          throw new RecordingError('conflict', 'A recording with this id already exists.');
        }
        return { created: false, id: input.id, uploadToken };
      }
      recordings.insertRecording({
        ...input,
        advisorId: user.id,
        team: user.team,
        createdAt: now.toISOString(),
        uploadTokenHash: hashUploadToken(uploadToken)
      });
      createDataKey(ctx, input.id, now);
      appendAudit(
        ctx.db,
        {
          actor: actorOf(user),
          action: 'recording.create',
          target: input.id,
          result: 'ok',
          detail: { direction: input.direction, line: input.line }
        },
        now
      );
      return { created: true, id: input.id, uploadToken };
    })
    .immediate();
}

/**
 * Checks `Authorization: Bearer <token>` for a write to recording `id`: 401 no or unknown token, 403 (audited)
 * the token of another recording, 410 the recording is erased or expired.
 * @throws RecordingError
 */
export function authorizeUpload(
  ctx: RecordingContext,
  id: string,
  authorization: string | null
): RecordingRecord {
  const token = bearerToken(authorization);
  if (token === null)
    throw new RecordingError('unauthenticated', 'Send Authorization: Bearer <upload token>.');
  const recording = repo(ctx).findRecordingByTokenHash(hashUploadToken(token));
  if (!recording) throw new RecordingError('unauthenticated', 'Unknown upload token.');
  if (recording.id !== id) {
    appendAudit(
      ctx.db,
      {
        actor: TOKEN_ACTOR,
        action: 'recording.upload',
        target: id.slice(0, 64),
        result: 'denied',
        detail: { tokenOf: recording.id }
      },
      ctx.now()
    );
    throw new RecordingError('forbidden', 'This upload token belongs to another recording.');
  }
  if (recording.status === 'erased' || recording.status === 'expired') {
    throw new RecordingError('gone', `The recording was ${recording.status}.`);
  }
  return recording;
}

/** Answer of {@link storeSegment}: `created` false when identical bytes were already stored. */
export interface StoredSegment {
  created: boolean;
  seq: number;
  sha256: string;
}

function markCompleteIfWhole(ctx: RecordingContext, recording: RecordingRecord): boolean {
  const expected = recording.expectedSegmentCount;
  if (expected === null) return false;
  const have = new Set(
    repo(ctx)
      .listSegments(recording.id)
      .map((s) => s.seq)
  );
  for (let seq = 0; seq < expected; seq++) if (!have.has(seq)) return false;
  if (recording.status === 'open') repo(ctx).setStatus(recording.id, 'complete');
  return true;
}

/**
 * Stores one segment: checks MPEG audio and SHA-256, writes the encrypted blob atomically, then the row.
 * Identical bytes again: created false. Different bytes for a stored seq: `conflict`. Takes `bytes` over: a
 * new segment's buffer is moved to the store's writer thread, so the caller's view may be empty afterwards.
 * @throws RecordingError not_mpeg | hash_mismatch | conflict | gone
 */
export async function storeSegment(
  ctx: RecordingContext,
  recording: RecordingRecord,
  seq: number,
  headers: SegmentHeaders,
  bytes: Uint8Array
): Promise<StoredSegment> {
  if (bytes.length === 0 || !looksLikeMpegAudio(bytes)) {
    throw new RecordingError('not_mpeg', 'The body is not MPEG audio (one whole Layer III frame at least).');
  }
  const mismatch = (): RecordingError =>
    new RecordingError('hash_mismatch', 'X-Segment-Sha256 does not match the body.');
  const recordings = repo(ctx);
  const check = (sha256: string): StoredSegment | undefined => {
    const existing = recordings.findSegment(recording.id, seq);
    if (!existing) return undefined;
    if (existing.sha256 === sha256) return { created: false, seq, sha256 };
    throw new RecordingError('conflict', `Segment ${seq} is already stored with different bytes.`);
  };
  if (recordings.findSegment(recording.id, seq)) {
    // A retry or a conflict (rare): hash here, since nothing is written.
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (!sameHash(sha256, headers.sha256)) throw mismatch();
    return check(sha256) as StoredSegment;
  }

  // The store's writer thread hashes the body and writes nothing unless it matches the header.
  const sha256 = headers.sha256;
  const blobKey = segmentBlobKey(recording.id, seq, sha256);
  // The body is handed over to the writer thread (moved, not copied), so read what the row needs first.
  const size = bytes.length;
  const frameCount = countFrames(bytes) ?? null;
  try {
    await ctx.store.put(blobKey, bytes, sha256, dataKeyOf(ctx, recording.id), { handOver: true });
  } catch (err) {
    if (err instanceof BlobHashMismatchError) throw mismatch();
    throw err;
  }
  const now = ctx.now();
  try {
    return ctx.db
      .transaction((): StoredSegment => {
        const current = recordings.findRecording(recording.id);
        if (!current || current.status === 'erased' || current.status === 'expired') {
          throw new RecordingError('gone', 'The recording was removed while the segment was written.');
        }
        const raced = check(sha256);
        if (raced) return raced;
        recordings.insertSegment({
          recordingId: recording.id,
          seq,
          sha256,
          size,
          startMs: headers.startMs,
          durationMs: headers.durationMs,
          frameCount,
          blobKey,
          storedAt: now.toISOString()
        });
        markCompleteIfWhole(ctx, current);
        return { created: true, seq, sha256 };
      })
      .immediate();
  } catch (err) {
    // Our file has a key of its own (hash in the name) unless identical bytes won the race; drop it.
    if (err instanceof RecordingError) await ctx.store.delete(blobKey);
    throw err;
  }
}

/** Answer of {@link addEvents}. */
export interface AddedEvents {
  added: number;
  duplicates: number;
}

/** Adds timeline events; an event id seen before is ignored (first one wins). */
export function addEvents(
  ctx: RecordingContext,
  recording: RecordingRecord,
  events: readonly RecordingEventInput[]
): AddedEvents {
  return ctx.db
    .transaction((): AddedEvents => {
      const added = repo(ctx).insertEvents(
        events.map((e) => ({
          recordingId: recording.id,
          eventId: e.id,
          type: e.type,
          at: e.at,
          detail: e.detail
        }))
      );
      return { added, duplicates: events.length - added };
    })
    .immediate();
}

/** Answer of {@link finishRecording}: complete when segments 0..segmentCount-1 are all stored. */
export interface FinishResult {
  complete: boolean;
  missing: number[];
}

/** Records the expected segment count and duration; can be sent again (the last one counts). */
export function finishRecording(
  ctx: RecordingContext,
  recording: RecordingRecord,
  input: FinishInput
): FinishResult {
  const now = ctx.now();
  return ctx.db
    .transaction((): FinishResult => {
      const recordings = repo(ctx);
      recordings.setFinish(recording.id, {
        expectedSegmentCount: input.segmentCount,
        durationMs: input.durationMs,
        finishedAt: now.toISOString(),
        encoderDelaySamples: input.encoderDelaySamples ?? null,
        paddingSamples: input.paddingSamples ?? null
      });
      const have = new Set(recordings.listSegments(recording.id).map((s) => s.seq));
      const missing: number[] = [];
      for (let seq = 0; seq < input.segmentCount; seq++) if (!have.has(seq)) missing.push(seq);
      const complete = missing.length === 0;
      recordings.setStatus(recording.id, complete ? 'complete' : 'open');
      appendAudit(
        ctx.db,
        {
          actor: TOKEN_ACTOR,
          action: 'recording.finish',
          target: recording.id,
          result: 'ok',
          detail: { segmentCount: input.segmentCount, durationMs: input.durationMs, missing: missing.length }
        },
        now
      );
      return { complete, missing };
    })
    .immediate();
}
