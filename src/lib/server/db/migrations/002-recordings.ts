import type { Migration } from './migration';

/**
 * Recordings and everything hanging off them. Times are ISO-8601 UTC text; ids are UUID v7 made by the browser.
 *
 * - `recordings`: one row per recorded call. On erasure or expiry the row stays (so an upload with its token
 *   gets 410, not 401) with `status` 'erased' | 'expired' and the caller's personal data (remote_number,
 *   call_id, line) set to NULL; its segments, events and audio are deleted.
 * - `recording_segments`: one row per stored segment; the row is written only after the encrypted blob is
 *   durably renamed into place, so a row always means "stored and verifiable".
 * - `recording_events`: the timeline, idempotent by the browser's event id.
 * - `legal_holds`: at most one hold per recording; a held recording is neither swept nor erased.
 * - `recording_tombstones`: what is left after deletion — no personal data, the start date only.
 */
export const migration002: Migration = {
  id: 2,
  name: 'recordings',
  sql: `
    CREATE TABLE recordings (
      id TEXT PRIMARY KEY CHECK (length(id) = 36),
      advisor_id INTEGER NOT NULL REFERENCES users (id),
      team TEXT,
      call_id TEXT,
      direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
      remote_number TEXT,
      line TEXT,
      started_at TEXT NOT NULL,
      created_at TEXT NOT NULL,
      upload_token_hash TEXT NOT NULL UNIQUE,
      finished_at TEXT,
      expected_segment_count INTEGER CHECK (expected_segment_count >= 0),
      duration_ms INTEGER CHECK (duration_ms >= 0),
      status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'complete', 'erased', 'expired')),
      erased_at TEXT,
      erase_reason TEXT,
      erase_reference TEXT
    );
    CREATE INDEX recordings_started ON recordings (started_at, id);
    CREATE INDEX recordings_remote_number ON recordings (remote_number, started_at, id);
    CREATE INDEX recordings_advisor ON recordings (advisor_id, started_at, id);
    CREATE INDEX recordings_team ON recordings (team, started_at, id);
    CREATE INDEX recordings_status_started ON recordings (status, started_at);

    CREATE TABLE recording_segments (
      recording_id TEXT NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
      seq INTEGER NOT NULL CHECK (seq >= 0 AND seq < 100000),
      sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
      size INTEGER NOT NULL CHECK (size > 0),
      start_ms INTEGER NOT NULL CHECK (start_ms >= 0),
      duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
      blob_key TEXT NOT NULL UNIQUE,
      stored_at TEXT NOT NULL,
      PRIMARY KEY (recording_id, seq)
    ) WITHOUT ROWID;

    CREATE TABLE recording_events (
      recording_id TEXT NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
      event_id TEXT NOT NULL,
      type TEXT NOT NULL,
      at TEXT NOT NULL,
      detail_json TEXT,
      PRIMARY KEY (recording_id, event_id)
    ) WITHOUT ROWID;
    CREATE INDEX recording_events_at ON recording_events (recording_id, at);

    CREATE TABLE legal_holds (
      recording_id TEXT PRIMARY KEY REFERENCES recordings (id),
      reference TEXT NOT NULL,
      reason TEXT NOT NULL,
      review_by TEXT NOT NULL,
      placed_by INTEGER REFERENCES users (id),
      placed_at TEXT NOT NULL
    );

    CREATE TABLE recording_tombstones (
      recording_id TEXT PRIMARY KEY,
      started_on TEXT NOT NULL CHECK (length(started_on) = 10),
      deleted_at TEXT NOT NULL,
      cause TEXT NOT NULL CHECK (cause IN ('retention', 'erasure'))
    );
  `
};
