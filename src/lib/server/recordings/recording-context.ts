import { appendAudit, type AuditActor } from '../audit/append-audit';
import type { SessionUser } from '../auth/session-user';
import type { Db } from '../db/open-database';
import type { RecordingConfig } from '../recording-config';
import {
  recordingRepository,
  type RecordingRecord,
  type RecordingRepository
} from '../repositories/recording-repository';
import type { BlobStore } from '../storage/blob-store';
import { RecordingError } from './recording-error';

/** Side effects of every recording service; the real ones are wired in `server-recordings.ts`. */
export interface RecordingContext {
  db: Db;
  store: BlobStore;
  now: () => Date;
  config: RecordingConfig;
}

/** The repository over the context's database. */
export function repo(ctx: RecordingContext): RecordingRepository {
  return recordingRepository(ctx.db);
}

/** The audit actor for a logged-in user. */
export function actorOf(user: SessionUser): AuditActor {
  return { id: user.id, name: user.username, role: user.role };
}

/** Roles that may search, read and play recordings (team leaders for their own team only). */
export const LISTENER_ROLES = ['team_leader', 'supervisor', 'dpo'] as const;

/** Deny by default: supervisors and DPOs see every recording, team leaders their own team's, nobody else any. */
export function maySee(user: SessionUser, recording: Pick<RecordingRecord, 'team'>): boolean {
  if (user.role === 'supervisor' || user.role === 'dpo') return true;
  return user.role === 'team_leader' && user.team !== null && recording.team === user.team;
}

/** Writes a denial to the audit log, then throws `forbidden`. */
export function deny(
  ctx: RecordingContext,
  user: SessionUser,
  action: string,
  target: string,
  why: string
): never {
  appendAudit(ctx.db, { actor: actorOf(user), action, target, result: 'denied', detail: why }, ctx.now());
  throw new RecordingError('forbidden', why);
}

/**
 * Loads a recording a listener may see: 404 unknown, 403 (audited) other team, 410 erased or expired.
 * @throws RecordingError
 */
export function loadVisible(
  ctx: RecordingContext,
  user: SessionUser,
  id: string,
  action: string
): RecordingRecord {
  const recording = repo(ctx).findRecording(id);
  if (!recording) throw new RecordingError('not_found', 'No such recording.');
  if (!maySee(user, recording)) deny(ctx, user, action, id, 'Recording of another team.');
  if (recording.status === 'erased' || recording.status === 'expired') {
    throw new RecordingError('gone', `The recording was ${recording.status}.`);
  }
  return recording;
}
