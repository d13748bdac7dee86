import type { Db } from '../db/open-database';
import type { Role, SessionUser } from '../auth/session-user';

/** A users row in camelCase, including secrets; never send it to the browser. */
export interface UserRecord extends SessionUser {
  passwordHash: string;
  disabled: boolean;
  failedLogins: number;
  lockedUntil: string | null;
  createdAt: string;
}

interface UserRow {
  id: number;
  username: string;
  password_hash: string;
  role: Role;
  team: string | null;
  extension: string | null;
  display_name: string;
  disabled: number;
  failed_logins: number;
  locked_until: string | null;
  created_at: string;
}

function toRecord(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    team: row.team,
    extension: row.extension,
    passwordHash: row.password_hash,
    disabled: row.disabled === 1,
    failedLogins: row.failed_logins,
    lockedUntil: row.locked_until,
    createdAt: row.created_at
  };
}

/** Strips secrets and counters. */
export function toSessionUser(user: UserRecord): SessionUser {
  const { id, username, displayName, role, team, extension } = user;
  return { id, username, displayName, role, team, extension };
}

/** Case-insensitive lookup. */
export function findUserByUsername(db: Db, username: string): UserRecord | undefined {
  const row = db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
  return row && toRecord(row);
}

export function findUserById(db: Db, id: number): UserRecord | undefined {
  const row = db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
  return row && toRecord(row);
}

export function findUserByExtension(db: Db, extension: string): UserRecord | undefined {
  const row = db.prepare('SELECT * FROM users WHERE extension = ?').get(extension) as UserRow | undefined;
  return row && toRecord(row);
}

/** All users ordered by username. */
export function listUserRecords(db: Db): UserRecord[] {
  return (db.prepare('SELECT * FROM users ORDER BY username COLLATE NOCASE').all() as UserRow[]).map(
    toRecord
  );
}

/** Fields of a new user. */
export interface NewUser {
  username: string;
  passwordHash: string;
  role: Role;
  team: string | null;
  extension: string | null;
  displayName: string;
  createdAt: string;
}

/** Inserts a user and returns its id. Throws SQLite constraint errors on duplicates. */
export function insertUser(db: Db, user: NewUser): number {
  const info = db
    .prepare(
      `INSERT INTO users (username, password_hash, role, team, extension, display_name, created_at)
       VALUES (@username, @passwordHash, @role, @team, @extension, @displayName, @createdAt)`
    )
    .run(user);
  return Number(info.lastInsertRowid);
}

/** Changeable profile fields; omitted ones stay as they are. */
export interface UserChanges {
  role?: Role;
  team?: string | null;
  extension?: string | null;
  displayName?: string;
  disabled?: boolean;
  passwordHash?: string;
}

const COLUMNS: Record<keyof UserChanges, string> = {
  role: 'role',
  team: 'team',
  extension: 'extension',
  displayName: 'display_name',
  disabled: 'disabled',
  passwordHash: 'password_hash'
};

/** Applies the given changes to one user. */
export function updateUser(db: Db, id: number, changes: UserChanges): void {
  const keys = (Object.keys(changes) as (keyof UserChanges)[]).filter((k) => changes[k] !== undefined);
  if (keys.length === 0) return;
  const sets = keys.map((k) => `${COLUMNS[k]} = @${k}`).join(', ');
  const params: Record<string, unknown> = { id };
  for (const k of keys) params[k] = k === 'disabled' ? (changes[k] ? 1 : 0) : changes[k];
  db.prepare(`UPDATE users SET ${sets} WHERE id = @id`).run(params);
}

/** Adds one failed login and returns the new count. */
export function incrementFailedLogins(db: Db, id: number): number {
  const row = db
    .prepare('UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins')
    .get(id) as { failed_logins: number };
  return row.failed_logins;
}

/** Sets the lockout (or clears it with null) and the failure counter. */
export function setLoginState(db: Db, id: number, failedLogins: number, lockedUntil: string | null): void {
  db.prepare('UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?').run(
    failedLogins,
    lockedUntil,
    id
  );
}
