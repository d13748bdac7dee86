import type { Db } from '../db/open-database';

/** A sessions row; `id` is the SHA-256 hex of the cookie token, never the token itself. */
export interface SessionRecord {
  id: string;
  userId: number;
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string;
}

interface SessionRow {
  id: string;
  user_id: number;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export function insertSession(db: Db, session: SessionRecord): void {
  db.prepare(
    `INSERT INTO sessions (id, user_id, created_at, expires_at, last_seen_at)
     VALUES (@id, @userId, @createdAt, @expiresAt, @lastSeenAt)`
  ).run(session);
}

export function findSession(db: Db, id: string): SessionRecord | undefined {
  const row = db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as SessionRow | undefined;
  return (
    row && {
      id: row.id,
      userId: row.user_id,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      lastSeenAt: row.last_seen_at
    }
  );
}

export function touchSession(db: Db, id: string, lastSeenAt: string): void {
  db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ?').run(lastSeenAt, id);
}

/** @returns whether a row was deleted. */
export function deleteSession(db: Db, id: string): boolean {
  return db.prepare('DELETE FROM sessions WHERE id = ?').run(id).changes > 0;
}

/** Ends every session of a user (disable, password change, role change). */
export function deleteSessionsOfUser(db: Db, userId: number): number {
  return db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId).changes;
}

/** Removes sessions that expired at or before `now` (ISO). */
export function deleteExpiredSessions(db: Db, now: string): number {
  return db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now).changes;
}
