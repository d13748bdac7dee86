import type { Migration } from './migration';

/**
 * Subject access request cases and the retention sweep's work queue. Dates (`*_on`) are `YYYY-MM-DD`, times
 * (`*_at`) ISO-8601 UTC text.
 *
 * - `sar_cases`: one row per request, found by its unique reference. `due_on` is one calendar month after
 *   `received_on`; an extension (with its reason) sets `extended_due_on`; every change is also in the audit log.
 * - `sar_subjects`: the data subject's identifiers on a case: phone numbers (`kind` 'phone', `value` the number
 *   as recordings store it) and advisors (`kind` 'advisor', `value` the username when attached, `user_id` the
 *   stable key used for matching). While a case is open, every recording matching one of its subjects is kept
 *   from the retention sweep.
 * - `audio_purges`: recordings whose rows are already expired or erased but whose audio folder may still exist.
 *   A row is queued in the same transaction that removes the personal data and deleted only after the blob
 *   store confirmed the folder is gone, so a crash between the two never leaves an orphan nobody deletes.
 */
export const migration003: Migration = {
  id: 3,
  name: 'sar-retention',
  sql: `
    CREATE TABLE sar_cases (
      id INTEGER PRIMARY KEY,
      reference TEXT NOT NULL UNIQUE,
      received_on TEXT NOT NULL CHECK (length(received_on) = 10),
      due_on TEXT NOT NULL CHECK (length(due_on) = 10),
      extended_due_on TEXT CHECK (extended_due_on IS NULL OR length(extended_due_on) = 10),
      extension_reason TEXT,
      status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
      opened_by INTEGER REFERENCES users (id),
      opened_at TEXT NOT NULL,
      closed_at TEXT,
      close_note TEXT,
      CHECK ((extended_due_on IS NULL) = (extension_reason IS NULL)),
      CHECK ((status = 'closed') = (closed_at IS NOT NULL))
    );
    CREATE INDEX sar_cases_status ON sar_cases (status, received_on);

    CREATE TABLE sar_subjects (
      case_id INTEGER NOT NULL REFERENCES sar_cases (id),
      kind TEXT NOT NULL CHECK (kind IN ('phone', 'advisor')),
      value TEXT NOT NULL,
      user_id INTEGER REFERENCES users (id),
      added_at TEXT NOT NULL,
      CHECK ((kind = 'advisor') = (user_id IS NOT NULL)),
      PRIMARY KEY (case_id, kind, value)
    ) WITHOUT ROWID;
    CREATE INDEX sar_subjects_phone ON sar_subjects (value) WHERE kind = 'phone';
    CREATE INDEX sar_subjects_user ON sar_subjects (user_id) WHERE kind = 'advisor';

    CREATE TABLE audio_purges (
      recording_id TEXT PRIMARY KEY,
      queued_at TEXT NOT NULL
    ) WITHOUT ROWID;
  `
};
