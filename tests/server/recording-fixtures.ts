import { createHash } from 'node:crypto';
import type { Db } from '../../src/lib/server/db/open-database';
import { newDataKey, wrapDataKey } from '../../src/lib/server/storage/data-keys';

/** A UUID v7-shaped id made from a number, so tests can name recordings. */
export function recordingId(n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `0190a000-0000-7000-8000-${hex}`;
}

/** Inserts a user straight into the table (no password hashing) and returns its id. */
export function seedUser(db: Db, username: string, role = 'advisor', team: string | null = 'blue'): number {
  const info = db
    .prepare(
      `INSERT INTO users (username, password_hash, role, team, display_name, created_at)
       VALUES (?, 'x', ?, ?, ?, '2025-01-01T00:00:00.000Z')`
    )
    .run(username, role, team, username);
  return Number(info.lastInsertRowid);
}

/** What {@link seedRecording} writes. */
export interface SeededRecording {
  id: string;
  advisorId: number;
  remoteNumber: string;
  callId: string;
  startedAt: string;
  segments: Buffer[];
  /** The recording's data key, when seeded with `masterKey`. */
  dataKey?: Buffer;
}

/** A fake MP3 segment: an MPEG-1 Layer III frame header followed by bytes derived from `seed`. */
export function fakeMp3(seed: string, size = 417): Buffer {
  const out = Buffer.alloc(size);
  out.set([0xff, 0xfb, 0x50, 0xc4]);
  const fill = createHash('sha256').update(seed).digest();
  for (let i = 4; i < size; i++) out[i] = fill[i % fill.length] as number;
  return out;
}

/**
 * Inserts a complete recording with its segments, two timeline events, and puts each segment's bytes into
 * `put(key, bytes)` (the blob store under test). With `masterKey` the recording gets a data key wrapped under
 * it, as the ingest service makes one, and the segments are put with that key; without, it is a recording
 * from before per-recording keys.
 */
export async function seedRecording(
  db: Db,
  put: (key: string, bytes: Uint8Array, dataKey?: Uint8Array) => Promise<void>,
  r: {
    n: number;
    advisorId: number;
    remoteNumber: string;
    startedAt: string;
    segments?: number;
    masterKey?: Buffer;
  }
): Promise<SeededRecording> {
  const id = recordingId(r.n);
  db.prepare(
    `INSERT INTO recordings (id, advisor_id, team, call_id, direction, remote_number, line, started_at,
       created_at, upload_token_hash, finished_at, expected_segment_count, duration_ms, status)
     VALUES (?, ?, 'blue', ?, 'inbound', ?, 'main', ?, ?, ?, ?, ?, ?, 'complete')`
  ).run(
    id,
    r.advisorId,
    `call-${r.n}@pbx`,
    r.remoteNumber,
    r.startedAt,
    r.startedAt,
    createHash('sha256').update(`token-${r.n}`).digest('hex'),
    r.startedAt,
    r.segments ?? 2,
    (r.segments ?? 2) * 10_000
  );
  const dataKey = r.masterKey && newDataKey();
  if (r.masterKey && dataKey) {
    db.prepare('INSERT INTO recording_keys (recording_id, wrapped_key, created_at) VALUES (?, ?, ?)').run(
      id,
      wrapDataKey(r.masterKey, id, dataKey),
      r.startedAt
    );
  }
  const segments: Buffer[] = [];
  for (let seq = 0; seq < (r.segments ?? 2); seq++) {
    const bytes = fakeMp3(`${id}/${seq}`);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const key = `${id}/${String(seq).padStart(5, '0')}-${sha.slice(0, 16)}.seg`;
    await put(key, bytes, dataKey);
    db.prepare(
      `INSERT INTO recording_segments (recording_id, seq, sha256, size, start_ms, duration_ms, blob_key, stored_at)
       VALUES (?, ?, ?, ?, ?, 10000, ?, ?)`
    ).run(id, seq, sha, bytes.length, seq * 10_000, key, r.startedAt);
    segments.push(bytes);
  }
  const events = db.prepare(
    `INSERT INTO recording_events (recording_id, event_id, type, at, detail_json) VALUES (?, ?, ?, ?, ?)`
  );
  events.run(id, 'e1', 'started', r.startedAt, JSON.stringify({ remoteNumber: r.remoteNumber }));
  events.run(id, 'e2', 'ended', r.startedAt, JSON.stringify({ reason: 'hangup' }));
  return {
    id,
    advisorId: r.advisorId,
    remoteNumber: r.remoteNumber,
    callId: `call-${r.n}@pbx`,
    startedAt: r.startedAt,
    segments,
    ...(dataKey ? { dataKey } : {})
  };
}

/** Places a legal hold straight into the table. */
export function seedHold(db: Db, id: string): void {
  db.prepare(
    `INSERT INTO legal_holds (recording_id, reference, reason, review_by, placed_at)
     VALUES (?, 'CRIM-1', 'criminal proceedings', '2026-01-01', '2025-01-02T00:00:00.000Z')`
  ).run(id);
}
