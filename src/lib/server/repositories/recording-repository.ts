import type { Db } from '../db/open-database';
import { SqliteRecordingRepository } from './sqlite-recording-repository';

/** Lifecycle of a recording. 'erased' and 'expired' rows keep no personal data and no audio. */
export type RecordingStatus = 'open' | 'complete' | 'erased' | 'expired';

/** A recordings row in camelCase. Never send `uploadTokenHash` to a browser. */
export interface RecordingRecord {
  id: string;
  advisorId: number;
  team: string | null;
  callId: string | null;
  direction: 'inbound' | 'outbound';
  remoteNumber: string | null;
  line: string | null;
  startedAt: string;
  createdAt: string;
  uploadTokenHash: string;
  finishedAt: string | null;
  expectedSegmentCount: number | null;
  durationMs: number | null;
  /** Decoded samples before the first captured one (from `finish`); null when not reported. */
  encoderDelaySamples: number | null;
  /** Decoded samples after the last captured one (from `finish`); null when not reported. */
  paddingSamples: number | null;
  status: RecordingStatus;
  erasedAt: string | null;
  eraseReason: string | null;
  eraseReference: string | null;
}

/** Columns of a new recording. */
export type NewRecordingRecord = Pick<
  RecordingRecord,
  | 'id'
  | 'advisorId'
  | 'team'
  | 'callId'
  | 'direction'
  | 'remoteNumber'
  | 'line'
  | 'startedAt'
  | 'createdAt'
  | 'uploadTokenHash'
>;

/** One stored segment; `sha256` and `size` are of the plaintext MP3 bytes. */
export interface SegmentRecord {
  recordingId: string;
  seq: number;
  sha256: string;
  size: number;
  startMs: number;
  durationMs: number;
  /** MPEG frames in the segment; null for segments stored before frames were counted. */
  frameCount: number | null;
  blobKey: string;
  storedAt: string;
}

/** What `finish` records on a recording. */
export interface FinishRecord {
  expectedSegmentCount: number;
  durationMs: number;
  finishedAt: string;
  encoderDelaySamples: number | null;
  paddingSamples: number | null;
}

/** One timeline event. */
export interface EventRecord {
  recordingId: string;
  eventId: string;
  type: string;
  at: string;
  detail: Record<string, unknown> | null;
}

/** A legal hold on one recording. */
export interface LegalHoldRecord {
  recordingId: string;
  reference: string;
  reason: string;
  reviewBy: string;
  placedBy: number | null;
  placedAt: string;
}

/** Search filters; every one optional, combined with AND. `from` inclusive, `to` exclusive. */
export interface RecordingFilter {
  remoteNumber?: string;
  advisorId?: number;
  team?: string;
  from?: string;
  to?: string;
}

/** Keyset position: the last row of the previous page. Results run newest first. */
export interface RecordingCursor {
  startedAt: string;
  id: string;
}

/** How a recording's audio and personal data went away. */
export interface RemovalInput {
  status: 'erased' | 'expired';
  at: string;
  reason: string | null;
  reference: string | null;
}

/**
 * All SQL about recordings. The default implementation is SQLite; a PostgreSQL one would implement the same
 * contract (made async) and the services would await it. Callers own the transaction.
 */
export interface RecordingRepository {
  insertRecording(r: NewRecordingRecord): void;
  findRecording(id: string): RecordingRecord | undefined;
  findRecordingByTokenHash(tokenHash: string): RecordingRecord | undefined;
  findSegment(recordingId: string, seq: number): SegmentRecord | undefined;
  insertSegment(s: SegmentRecord): void;
  listSegments(recordingId: string): SegmentRecord[];
  /** Inserts events whose id is new; @returns how many were new. */
  insertEvents(events: readonly EventRecord[]): number;
  listEvents(recordingId: string): EventRecord[];
  setFinish(id: string, finish: FinishRecord): void;
  setStatus(id: string, status: RecordingStatus): void;
  /** Newest first, keyset-paginated by (started_at, id); erased and expired rows excluded. */
  search(filter: RecordingFilter, after: RecordingCursor | null, limit: number): RecordingRecord[];
  findHold(recordingId: string): LegalHoldRecord | undefined;
  upsertHold(hold: LegalHoldRecord): void;
  /** @returns whether a hold was removed. */
  deleteHold(recordingId: string): boolean;
  /** Stores the recording's wrapped data key (storage/data-keys.ts); called in the creating transaction. */
  insertDataKey(recordingId: string, wrappedKey: Uint8Array, createdAt: string): void;
  /** The wrapped data key, or undefined: erased, expired, or created before per-recording keys existed. */
  findDataKey(recordingId: string): Uint8Array | undefined;
  /**
   * For each recording: deletes the wrapped data key (which makes the audio unreadable), segments and events,
   * clears remote_number / call_id / line, sets the status and erase fields, and writes the tombstone (start
   * date only). One statement per table for the whole list (the sweep passes a batch, erasure one id).
   */
  removeRecordingData(ids: readonly string[], removal: RemovalInput): void;
}

const cache = new WeakMap<Db, RecordingRepository>();

/** The SQLite {@link RecordingRepository} over `db` (statements prepared once per connection). */
export function recordingRepository(db: Db): RecordingRepository {
  let repo = cache.get(db);
  if (!repo) {
    repo = new SqliteRecordingRepository(db);
    cache.set(db, repo);
  }
  return repo;
}
