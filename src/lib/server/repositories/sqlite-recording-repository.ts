import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open-database';
import type {
  EventRecord,
  FinishRecord,
  LegalHoldRecord,
  NewRecordingRecord,
  RecordingCursor,
  RecordingFilter,
  RecordingRecord,
  RecordingRepository,
  RecordingStatus,
  RemovalInput,
  SegmentRecord
} from './recording-repository';

interface RecordingRow {
  id: string;
  advisor_id: number;
  team: string | null;
  call_id: string | null;
  direction: 'inbound' | 'outbound';
  remote_number: string | null;
  line: string | null;
  started_at: string;
  created_at: string;
  upload_token_hash: string;
  finished_at: string | null;
  expected_segment_count: number | null;
  duration_ms: number | null;
  encoder_delay_samples: number | null;
  padding_samples: number | null;
  status: RecordingStatus;
  erased_at: string | null;
  erase_reason: string | null;
  erase_reference: string | null;
}

/** The ids of one removal, as the JSON array the statements read with json_each. */
const IDS = 'SELECT value FROM json_each(@ids)';

/**
 * `removeRecordingData` as set statements, one per table, in order: the data key first (the audio becomes
 * unreadable), then segments and timeline, the tombstone, and the personal columns.
 */
const REMOVAL_SQL: Record<string, string> = {
  removeDataKeys: `DELETE FROM recording_keys WHERE recording_id IN (${IDS})`,
  removeSegments: `DELETE FROM recording_segments WHERE recording_id IN (${IDS})`,
  removeEvents: `DELETE FROM recording_events WHERE recording_id IN (${IDS})`,
  removeTombstones: `INSERT OR REPLACE INTO recording_tombstones (recording_id, started_on, deleted_at, cause)
    SELECT id, substr(started_at, 1, 10), @at, @cause FROM recordings WHERE id IN (${IDS})`,
  removePersonal: `UPDATE recordings SET status = @status, remote_number = NULL, call_id = NULL, line = NULL,
    erased_at = @at, erase_reason = @reason, erase_reference = @reference WHERE id IN (${IDS})`
};

function removalStatements(p: (sql: string) => Statement): Record<string, Statement> {
  return Object.fromEntries(Object.entries(REMOVAL_SQL).map(([name, sql]) => [name, p(sql)]));
}

function toRecording(r: RecordingRow): RecordingRecord {
  return {
    id: r.id,
    advisorId: r.advisor_id,
    team: r.team,
    callId: r.call_id,
    direction: r.direction,
    remoteNumber: r.remote_number,
    line: r.line,
    startedAt: r.started_at,
    createdAt: r.created_at,
    uploadTokenHash: r.upload_token_hash,
    finishedAt: r.finished_at,
    expectedSegmentCount: r.expected_segment_count,
    durationMs: r.duration_ms,
    encoderDelaySamples: r.encoder_delay_samples,
    paddingSamples: r.padding_samples,
    status: r.status,
    erasedAt: r.erased_at,
    eraseReason: r.erase_reason,
    eraseReference: r.erase_reference
  };
}

interface SegmentRow {
  recording_id: string;
  seq: number;
  sha256: string;
  size: number;
  start_ms: number;
  duration_ms: number;
  frame_count: number | null;
  blob_key: string;
  stored_at: string;
}

function toSegment(r: SegmentRow): SegmentRecord {
  return {
    recordingId: r.recording_id,
    seq: r.seq,
    sha256: r.sha256,
    size: r.size,
    startMs: r.start_ms,
    durationMs: r.duration_ms,
    frameCount: r.frame_count,
    blobKey: r.blob_key,
    storedAt: r.stored_at
  };
}

/** SQLite implementation of {@link RecordingRepository}. */
export class SqliteRecordingRepository implements RecordingRepository {
  private readonly stmt: Record<string, Statement>;

  constructor(private readonly db: Db) {
    const p = (sql: string) => db.prepare(sql);
    this.stmt = {
      insertRecording: p(
        `INSERT INTO recordings (id, advisor_id, team, call_id, direction, remote_number, line, started_at,
           created_at, upload_token_hash)
         VALUES (@id, @advisorId, @team, @callId, @direction, @remoteNumber, @line, @startedAt, @createdAt,
           @uploadTokenHash)`
      ),
      findRecording: p('SELECT * FROM recordings WHERE id = ?'),
      findByToken: p('SELECT * FROM recordings WHERE upload_token_hash = ?'),
      findSegment: p('SELECT * FROM recording_segments WHERE recording_id = ? AND seq = ?'),
      insertSegment: p(
        `INSERT INTO recording_segments (recording_id, seq, sha256, size, start_ms, duration_ms, frame_count, blob_key,
           stored_at)
         VALUES (@recordingId, @seq, @sha256, @size, @startMs, @durationMs, @frameCount, @blobKey, @storedAt)`
      ),
      listSegments: p('SELECT * FROM recording_segments WHERE recording_id = ? ORDER BY seq'),
      insertEvent: p(
        `INSERT OR IGNORE INTO recording_events (recording_id, event_id, type, at, detail_json)
         VALUES (?, ?, ?, ?, ?)`
      ),
      listEvents: p('SELECT * FROM recording_events WHERE recording_id = ? ORDER BY at, event_id'),
      setFinish: p(
        `UPDATE recordings SET expected_segment_count = @expectedSegmentCount, duration_ms = @durationMs,
           finished_at = @finishedAt, encoder_delay_samples = @encoderDelaySamples,
           padding_samples = @paddingSamples WHERE id = @id`
      ),
      setStatus: p('UPDATE recordings SET status = ? WHERE id = ?'),
      findHold: p('SELECT * FROM legal_holds WHERE recording_id = ?'),
      upsertHold: p(
        `INSERT INTO legal_holds (recording_id, reference, reason, review_by, placed_by, placed_at)
         VALUES (@recordingId, @reference, @reason, @reviewBy, @placedBy, @placedAt)
         ON CONFLICT (recording_id) DO UPDATE SET reference = excluded.reference, reason = excluded.reason,
           review_by = excluded.review_by, placed_by = excluded.placed_by, placed_at = excluded.placed_at`
      ),
      deleteHold: p('DELETE FROM legal_holds WHERE recording_id = ?'),
      insertDataKey: p('INSERT INTO recording_keys (recording_id, wrapped_key, created_at) VALUES (?, ?, ?)'),
      findDataKey: p('SELECT wrapped_key FROM recording_keys WHERE recording_id = ?'),
      ...removalStatements(p)
    };
  }

  private s(name: string): Statement {
    const statement = this.stmt[name];
    if (!statement) throw new Error(`no statement ${name}`);
    return statement;
  }

  insertRecording(r: NewRecordingRecord): void {
    this.s('insertRecording').run(r);
  }

  findRecording(id: string): RecordingRecord | undefined {
    const row = this.s('findRecording').get(id) as RecordingRow | undefined;
    return row && toRecording(row);
  }

  findRecordingByTokenHash(tokenHash: string): RecordingRecord | undefined {
    const row = this.s('findByToken').get(tokenHash) as RecordingRow | undefined;
    return row && toRecording(row);
  }

  findSegment(recordingId: string, seq: number): SegmentRecord | undefined {
    const row = this.s('findSegment').get(recordingId, seq) as SegmentRow | undefined;
    return row && toSegment(row);
  }

  insertSegment(s: SegmentRecord): void {
    this.s('insertSegment').run(s);
  }

  listSegments(recordingId: string): SegmentRecord[] {
    return (this.s('listSegments').all(recordingId) as SegmentRow[]).map(toSegment);
  }

  insertEvents(events: readonly EventRecord[]): number {
    let added = 0;
    for (const e of events) {
      const detail = e.detail === null ? null : JSON.stringify(e.detail);
      added += this.s('insertEvent').run(e.recordingId, e.eventId, e.type, e.at, detail).changes;
    }
    return added;
  }

  listEvents(recordingId: string): EventRecord[] {
    const rows = this.s('listEvents').all(recordingId) as {
      recording_id: string;
      event_id: string;
      type: string;
      at: string;
      detail_json: string | null;
    }[];
    return rows.map((r) => ({
      recordingId: r.recording_id,
      eventId: r.event_id,
      type: r.type,
      at: r.at,
      detail: r.detail_json === null ? null : (JSON.parse(r.detail_json) as Record<string, unknown>)
    }));
  }

  setFinish(id: string, finish: FinishRecord): void {
    this.s('setFinish').run({ ...finish, id });
  }

  setStatus(id: string, status: RecordingStatus): void {
    this.s('setStatus').run(status, id);
  }

  search(filter: RecordingFilter, after: RecordingCursor | null, limit: number): RecordingRecord[] {
    const where = ["status IN ('open', 'complete')"];
    const params: Record<string, unknown> = { limit };
    if (filter.remoteNumber !== undefined) {
      where.push('remote_number = @remoteNumber');
      params.remoteNumber = filter.remoteNumber;
    }
    if (filter.advisorId !== undefined) {
      where.push('advisor_id = @advisorId');
      params.advisorId = filter.advisorId;
    }
    if (filter.team !== undefined) {
      where.push('team = @team');
      params.team = filter.team;
    }
    if (filter.from !== undefined) {
      where.push('started_at >= @from');
      params.from = filter.from;
    }
    if (filter.to !== undefined) {
      where.push('started_at < @to');
      params.to = filter.to;
    }
    if (after) {
      where.push('(started_at, id) < (@afterStartedAt, @afterId)');
      params.afterStartedAt = after.startedAt;
      params.afterId = after.id;
    }
    const sql = `SELECT * FROM recordings WHERE ${where.join(' AND ')}
      ORDER BY started_at DESC, id DESC LIMIT @limit`;
    return (this.db.prepare(sql).all(params) as RecordingRow[]).map(toRecording);
  }

  findHold(recordingId: string): LegalHoldRecord | undefined {
    const row = this.s('findHold').get(recordingId) as
      | {
          recording_id: string;
          reference: string;
          reason: string;
          review_by: string;
          placed_by: number | null;
          placed_at: string;
        }
      | undefined;
    return (
      row && {
        recordingId: row.recording_id,
        reference: row.reference,
        reason: row.reason,
        reviewBy: row.review_by,
        placedBy: row.placed_by,
        placedAt: row.placed_at
      }
    );
  }

  upsertHold(hold: LegalHoldRecord): void {
    this.s('upsertHold').run(hold);
  }

  deleteHold(recordingId: string): boolean {
    return this.s('deleteHold').run(recordingId).changes > 0;
  }

  insertDataKey(recordingId: string, wrappedKey: Uint8Array, createdAt: string): void {
    this.s('insertDataKey').run(recordingId, wrappedKey, createdAt);
  }

  findDataKey(recordingId: string): Uint8Array | undefined {
    const row = this.s('findDataKey').get(recordingId) as { wrapped_key: Buffer } | undefined;
    return row?.wrapped_key;
  }

  removeRecordingData(ids: readonly string[], removal: RemovalInput): void {
    if (ids.length === 0) return;
    const params = {
      ...removal,
      ids: JSON.stringify(ids),
      cause: removal.status === 'erased' ? 'erasure' : 'retention'
    };
    for (const name of Object.keys(REMOVAL_SQL)) this.s(name).run(params);
  }
}
