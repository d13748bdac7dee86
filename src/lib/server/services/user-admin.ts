import { appendAudit, type AuditActor } from '../audit/append-audit';
import { DEFAULT_SCRYPT_PARAMS, hashPassword, type ScryptParams } from '../auth/password';
import type { Role } from '../auth/session-user';
import type { Db } from '../db/open-database';
import { deleteSessionsOfUser } from '../repositories/session-repository';
import {
  findUserByExtension,
  findUserByUsername,
  insertUser,
  listUserRecords,
  setLoginState,
  updateUser as updateUserRow,
  type UserChanges,
  type UserRecord
} from '../repositories/user-repository';
import {
  checkDisplayName,
  checkExtension,
  checkPassword,
  checkRole,
  checkTeam,
  checkUsername,
  UserAdminError
} from './user-admin-validation';

export { UserAdminError, type UserAdminErrorCode } from './user-admin-validation';

/** Side effects of the user-admin service. */
export interface UserAdminContext {
  db: Db;
  now: () => Date;
  /** Written to the audit log as the one who made the change. */
  actor: AuditActor;
  /** Numbers no user may take as extension: pass the main line and payment line targets. */
  reservedNumbers?: readonly string[];
  /** Only tests lower these. */
  hashParams?: ScryptParams;
}

/** A user as listed by admins: no hash, no counters. */
export interface UserSummary {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  team: string | null;
  extension: string | null;
  disabled: boolean;
}

function summary(u: UserRecord): UserSummary {
  const { id, username, displayName, role, team, extension, disabled } = u;
  return { id, username, displayName, role, team, extension, disabled };
}

function mustFind(db: Db, username: string): UserRecord {
  const user = findUserByUsername(db, username);
  if (!user) throw new UserAdminError('unknown_user', `Unknown user "${username}".`);
  return user;
}

function assertFreeExtension(db: Db, extension: string | null, ownerId?: number): void {
  if (extension === null) return;
  const owner = findUserByExtension(db, extension);
  if (owner && owner.id !== ownerId) {
    throw new UserAdminError(
      'duplicate_extension',
      `Extension ${extension} is already used by ${owner.username}.`
    );
  }
}

/** Input of {@link addUser}; `role` is checked, so an untrusted string is fine. */
export interface AddUserInput {
  username: string;
  password: string;
  role: string;
  team?: string | null;
  extension?: string | null;
  displayName?: string;
}

/** Creates a user. @throws UserAdminError (nothing changed) on bad or duplicate input. */
export async function addUser(ctx: UserAdminContext, input: AddUserInput): Promise<UserSummary> {
  const { db } = ctx;
  const username = checkUsername(input.username.trim());
  const role = checkRole(input.role);
  const team = checkTeam(input.team ?? null);
  const extension = checkExtension(input.extension ?? null, ctx.reservedNumbers ?? []);
  const displayName = checkDisplayName(input.displayName ?? username);
  checkPassword(input.password);
  const checkFree = () => {
    if (findUserByUsername(db, username)) {
      throw new UserAdminError('duplicate_username', `User "${username}" already exists.`);
    }
    assertFreeExtension(db, extension);
  };
  checkFree();
  const passwordHash = await hashPassword(input.password, ctx.hashParams ?? DEFAULT_SCRYPT_PARAMS);
  const now = ctx.now();
  return db
    .transaction(() => {
      checkFree();
      const id = insertUser(db, {
        username,
        passwordHash,
        role,
        team,
        extension,
        displayName,
        createdAt: now.toISOString()
      });
      appendAudit(
        db,
        {
          actor: ctx.actor,
          action: 'user.add',
          target: username,
          result: 'ok',
          detail: { role, team, extension }
        },
        now
      );
      return { id, username, displayName, role, team, extension, disabled: false };
    })
    .immediate();
}

/** Every user, ordered by username. */
export function listUsers(db: Db): UserSummary[] {
  return listUserRecords(db).map(summary);
}

/**
 * Disables or enables a user. Disabling ends their sessions; enabling also clears a login lockout.
 * @throws UserAdminError unknown_user
 */
export function setUserDisabled(ctx: UserAdminContext, username: string, disabled: boolean): UserSummary {
  const { db } = ctx;
  const now = ctx.now();
  return db
    .transaction(() => {
      const user = mustFind(db, username);
      updateUserRow(db, user.id, { disabled });
      if (disabled) deleteSessionsOfUser(db, user.id);
      else setLoginState(db, user.id, 0, null);
      appendAudit(
        db,
        {
          actor: ctx.actor,
          action: disabled ? 'user.disable' : 'user.enable',
          target: user.username,
          result: 'ok'
        },
        now
      );
      return { ...summary(user), disabled };
    })
    .immediate();
}

/** Profile changes; omitted fields stay, '' or null clears team / extension. */
export interface UpdateUserInput {
  role?: string;
  team?: string | null;
  extension?: string | null;
  displayName?: string;
}

/**
 * Changes role, team, extension or display name. A role change ends the user's sessions.
 * @throws UserAdminError (nothing changed)
 */
export function updateUser(ctx: UserAdminContext, username: string, input: UpdateUserInput): UserSummary {
  const { db } = ctx;
  const changes: UserChanges = {};
  if (input.role !== undefined) changes.role = checkRole(input.role);
  if (input.team !== undefined) changes.team = checkTeam(input.team);
  if (input.extension !== undefined) {
    changes.extension = checkExtension(input.extension, ctx.reservedNumbers ?? []);
  }
  if (input.displayName !== undefined) changes.displayName = checkDisplayName(input.displayName);
  const now = ctx.now();
  return db
    .transaction(() => {
      const user = mustFind(db, username);
      if (changes.extension !== undefined) assertFreeExtension(db, changes.extension, user.id);
      updateUserRow(db, user.id, changes);
      if (changes.role !== undefined && changes.role !== user.role) deleteSessionsOfUser(db, user.id);
      appendAudit(
        db,
        {
          actor: ctx.actor,
          action: 'user.update',
          target: user.username,
          result: 'ok',
          detail: { ...changes }
        },
        now
      );
      return summary({ ...user, ...changes } as UserRecord);
    })
    .immediate();
}

/** Sets a new password and ends the user's sessions. @throws UserAdminError */
export async function changePassword(
  ctx: UserAdminContext,
  username: string,
  password: string
): Promise<void> {
  const { db } = ctx;
  checkPassword(password);
  mustFind(db, username);
  const passwordHash = await hashPassword(password, ctx.hashParams ?? DEFAULT_SCRYPT_PARAMS);
  const now = ctx.now();
  db.transaction(() => {
    const user = mustFind(db, username);
    updateUserRow(db, user.id, { passwordHash });
    setLoginState(db, user.id, 0, null);
    deleteSessionsOfUser(db, user.id);
    appendAudit(db, { actor: ctx.actor, action: 'user.passwd', target: user.username, result: 'ok' }, now);
  }).immediate();
}
