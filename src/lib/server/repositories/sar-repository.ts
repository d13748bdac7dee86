import type { Db } from '../db/open-database';

/** A sar_cases row in camelCase. Dates `YYYY-MM-DD`, times ISO-8601 UTC. */
export interface SarCaseRecord {
  id: number;
  reference: string;
  receivedOn: string;
  dueOn: string;
  extendedDueOn: string | null;
  extensionReason: string | null;
  status: 'open' | 'closed';
  openedBy: number | null;
  openedAt: string;
  closedAt: string | null;
  closeNote: string | null;
}

interface SarCaseRow {
  id: number;
  reference: string;
  received_on: string;
  due_on: string;
  extended_due_on: string | null;
  extension_reason: string | null;
  status: 'open' | 'closed';
  opened_by: number | null;
  opened_at: string;
  closed_at: string | null;
  close_note: string | null;
}

function toCase(r: SarCaseRow): SarCaseRecord {
  return {
    id: r.id,
    reference: r.reference,
    receivedOn: r.received_on,
    dueOn: r.due_on,
    extendedDueOn: r.extended_due_on,
    extensionReason: r.extension_reason,
    status: r.status,
    openedBy: r.opened_by,
    openedAt: r.opened_at,
    closedAt: r.closed_at,
    closeNote: r.close_note
  };
}

/** Fields of a new case. */
export interface NewSarCase {
  reference: string;
  receivedOn: string;
  dueOn: string;
  openedBy: number | null;
  openedAt: string;
}

/** Inserts an open case and returns its id. Throws a UNIQUE constraint error on a duplicate reference. */
export function insertSarCase(db: Db, c: NewSarCase): number {
  const info = db
    .prepare(
      `INSERT INTO sar_cases (reference, received_on, due_on, opened_by, opened_at)
       VALUES (@reference, @receivedOn, @dueOn, @openedBy, @openedAt)`
    )
    .run(c);
  return Number(info.lastInsertRowid);
}

export function findSarCase(db: Db, id: number): SarCaseRecord | undefined {
  const row = db.prepare('SELECT * FROM sar_cases WHERE id = ?').get(id) as SarCaseRow | undefined;
  return row && toCase(row);
}

export function findSarCaseByReference(db: Db, reference: string): SarCaseRecord | undefined {
  const row = db.prepare('SELECT * FROM sar_cases WHERE reference = ?').get(reference) as
    SarCaseRow | undefined;
  return row && toCase(row);
}

/** Cases, newest received first, optionally only those with `status`. */
export function listSarCases(db: Db, status?: 'open' | 'closed'): SarCaseRecord[] {
  const rows = (
    status
      ? db.prepare('SELECT * FROM sar_cases WHERE status = ? ORDER BY received_on DESC, id DESC').all(status)
      : db.prepare('SELECT * FROM sar_cases ORDER BY received_on DESC, id DESC').all()
  ) as SarCaseRow[];
  return rows.map(toCase);
}

export function setSarExtension(db: Db, id: number, extendedDueOn: string, reason: string): void {
  db.prepare('UPDATE sar_cases SET extended_due_on = ?, extension_reason = ? WHERE id = ?').run(
    extendedDueOn,
    reason,
    id
  );
}

export function closeSarCaseRow(db: Db, id: number, closedAt: string, note: string | null): void {
  db.prepare(`UPDATE sar_cases SET status = 'closed', closed_at = ?, close_note = ? WHERE id = ?`).run(
    closedAt,
    note,
    id
  );
}

/** One identifier of the data subject. */
export interface SarSubject {
  kind: 'phone' | 'advisor';
  /** The phone number, or the advisor's username when attached. */
  value: string;
  /** The advisor's user id (advisor subjects only). */
  userId: number | null;
  addedAt: string;
}

/** Adds a subject; @returns false when the case already had it. */
export function insertSarSubject(db: Db, caseId: number, s: SarSubject): boolean {
  return (
    db
      .prepare(
        `INSERT OR IGNORE INTO sar_subjects (case_id, kind, value, user_id, added_at)
         VALUES (?, ?, ?, ?, ?)`
      )
      .run(caseId, s.kind, s.value, s.userId, s.addedAt).changes > 0
  );
}

export function listSarSubjects(db: Db, caseId: number): SarSubject[] {
  return (
    db
      .prepare(
        `SELECT kind, value, user_id, added_at FROM sar_subjects WHERE case_id = ? ORDER BY kind, value`
      )
      .all(caseId) as { kind: 'phone' | 'advisor'; value: string; user_id: number | null; added_at: string }[]
  ).map((r) => ({ kind: r.kind, value: r.value, userId: r.user_id, addedAt: r.added_at }));
}

/** A recording that matches a case's subjects, as the DPO sees it. */
export interface SarRecordingRow {
  id: string;
  advisor: string;
  team: string | null;
  direction: string;
  remoteNumber: string | null;
  line: string | null;
  startedAt: string;
  durationMs: number | null;
  status: string;
  underLegalHold: boolean;
}

/** Filter and keyset page of {@link listSarRecordings}; times are ISO-8601 UTC, `to` exclusive. */
export interface SarRecordingQuery {
  from?: string | null;
  to?: string | null;
  /** Continue after this (startedAt, id). */
  after?: { startedAt: string; id: string } | null;
  limit: number;
}

/**
 * Live recordings (not erased or expired) whose remote number is one of the case's phone subjects or whose
 * advisor is one of its advisor subjects, oldest first.
 */
export function listSarRecordings(db: Db, caseId: number, q: SarRecordingQuery): SarRecordingRow[] {
  const rows = db
    .prepare(
      `WITH matched AS (
         SELECT r.id FROM recordings r
         WHERE r.remote_number IN (SELECT value FROM sar_subjects WHERE case_id = @caseId AND kind = 'phone')
         UNION
         SELECT r.id FROM recordings r
         WHERE r.advisor_id IN (SELECT user_id FROM sar_subjects WHERE case_id = @caseId AND kind = 'advisor')
       )
       SELECT r.id, u.username AS advisor, r.team, r.direction, r.remote_number, r.line, r.started_at,
         r.duration_ms, r.status, EXISTS (SELECT 1 FROM legal_holds h WHERE h.recording_id = r.id) AS held
       FROM matched m
       JOIN recordings r ON r.id = m.id
       JOIN users u ON u.id = r.advisor_id
       WHERE r.status IN ('open', 'complete')
         AND (@from IS NULL OR r.started_at >= @from)
         AND (@to IS NULL OR r.started_at < @to)
         AND (@afterStartedAt IS NULL OR (r.started_at, r.id) > (@afterStartedAt, @afterId))
       ORDER BY r.started_at, r.id
       LIMIT @limit`
    )
    .all({
      caseId,
      from: q.from ?? null,
      to: q.to ?? null,
      afterStartedAt: q.after?.startedAt ?? null,
      afterId: q.after?.id ?? null,
      limit: q.limit
    }) as {
    id: string;
    advisor: string;
    team: string | null;
    direction: string;
    remote_number: string | null;
    line: string | null;
    started_at: string;
    duration_ms: number | null;
    status: string;
    held: number;
  }[];
  return rows.map((r) => ({
    id: r.id,
    advisor: r.advisor,
    team: r.team,
    direction: r.direction,
    remoteNumber: r.remote_number,
    line: r.line,
    startedAt: r.started_at,
    durationMs: r.duration_ms,
    status: r.status,
    underLegalHold: r.held === 1
  }));
}

/** One access to a recording, from the audit log (who, when, what, why, outcome). */
export interface AccessHistoryRow {
  at: string;
  actor: string | null;
  role: string | null;
  action: string;
  purpose: string | null;
  result: string;
}

/** Every audit row whose target is the recording, in chain order. */
export function listAccessHistory(db: Db, recordingId: string): AccessHistoryRow[] {
  return (
    db
      .prepare(
        `SELECT at, actor_name, role, action, purpose, result FROM audit_log WHERE target = ? ORDER BY id`
      )
      .all(recordingId) as {
      at: string;
      actor_name: string | null;
      role: string | null;
      action: string;
      purpose: string | null;
      result: string;
    }[]
  ).map((r) => ({
    at: r.at,
    actor: r.actor_name,
    role: r.role,
    action: r.action,
    purpose: r.purpose,
    result: r.result
  }));
}
