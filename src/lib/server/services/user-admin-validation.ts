import { isRole, type Role } from '../auth/session-user';

/** Why a user-admin command was refused; nothing was changed. */
export type UserAdminErrorCode =
  | 'bad_username'
  | 'bad_password'
  | 'bad_team'
  | 'bad_display_name'
  | 'bad_extension'
  | 'unknown_role'
  | 'unknown_user'
  | 'duplicate_username'
  | 'duplicate_extension';

/** Refusal of a user-admin command, with a message fit for a CLI's stderr or an admin page. */
export class UserAdminError extends Error {
  constructor(
    readonly code: UserAdminErrorCode,
    message: string
  ) {
    super(message);
    this.name = 'UserAdminError';
  }
}

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const EXTENSION = /^[0-9]{2,16}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export const MIN_PASSWORD_LENGTH = 8;
const MAX_PASSWORD_LENGTH = 1024;

export function checkUsername(username: string): string {
  if (!USERNAME.test(username)) {
    throw new UserAdminError(
      'bad_username',
      `Bad username "${username}": use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.`
    );
  }
  return username;
}

export function checkPassword(password: string): string {
  if (password.trim() === '') throw new UserAdminError('bad_password', 'Password must not be empty.');
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new UserAdminError('bad_password', `Password must be at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new UserAdminError('bad_password', `Password must be at most ${MAX_PASSWORD_LENGTH} characters.`);
  }
  return password;
}

export function checkRole(role: string): Role {
  if (!isRole(role)) {
    throw new UserAdminError(
      'unknown_role',
      `Unknown role "${role}": use advisor, team_leader, supervisor, dpo or admin.`
    );
  }
  return role;
}

/** '' or null clears the team. */
export function checkTeam(team: string | null): string | null {
  const value = team?.trim() ?? '';
  if (value === '') return null;
  if (value.length > 64 || CONTROL.test(value)) {
    throw new UserAdminError('bad_team', `Bad team "${value}": at most 64 printable characters.`);
  }
  return value;
}

/** '' or null clears the extension. Reserved numbers (main line, payment line) are refused. */
export function checkExtension(extension: string | null, reserved: readonly string[]): string | null {
  const value = extension?.trim() ?? '';
  if (value === '') return null;
  if (!EXTENSION.test(value)) {
    throw new UserAdminError('bad_extension', `Bad extension "${value}": use 2-16 digits.`);
  }
  if (reserved.includes(value)) {
    throw new UserAdminError('bad_extension', `Extension ${value} is reserved (main line or payment line).`);
  }
  return value;
}

export function checkDisplayName(name: string): string {
  const value = name.trim();
  if (value === '' || value.length > 100 || CONTROL.test(value)) {
    throw new UserAdminError('bad_display_name', 'Display name must be 1-100 printable characters.');
  }
  return value;
}
