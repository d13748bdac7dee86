/** The five roles, in the order of the DESIGN table. */
export const ROLES = ['advisor', 'team_leader', 'supervisor', 'dpo', 'admin'] as const;

/** A user's role; deny by default: permission checks list the roles they allow. */
export type Role = (typeof ROLES)[number];

/** The logged-in user as the app sees it (`event.locals.user`). Never carries the password hash. */
export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  team: string | null;
  extension: string | null;
}

/**
 * Landing page of each role after login: the softphone for everyone who takes calls,
 * the account page for the others (their own areas arrive with the retention service).
 */
export type HomePath = '/advisor' | '/';

const HOMES: Record<Role, HomePath> = {
  advisor: '/advisor',
  team_leader: '/advisor',
  supervisor: '/advisor',
  dpo: '/',
  admin: '/'
};

/** Where a role lands after login. */
export function homeForRole(role: Role): HomePath {
  return HOMES[role];
}

/** Type guard for untrusted role strings. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
