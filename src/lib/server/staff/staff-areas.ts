import type { Role } from '../auth/session-user';
import { LISTENER_ROLES } from '../recordings/recording-context';

/**
 * Which staff pages and controls a role is offered. Only what the UI shows: the API decides every access
 * again (deny by default), so a control missing here is a convenience, never the protection.
 */
export interface StaffAreas {
  /** Search, read and play recordings (team leaders: their own team). */
  recordings: boolean;
  /** Place and release legal holds. */
  holds: boolean;
  /** Erase a recording. */
  erase: boolean;
  /** Subject access request cases. */
  sar: boolean;
}

/** The areas of `role`, from the same role lists the API routes check. */
export function staffAreas(role: Role): StaffAreas {
  return {
    recordings: (LISTENER_ROLES as readonly Role[]).includes(role),
    holds: role === 'supervisor' || role === 'dpo',
    erase: role === 'dpo',
    sar: role === 'dpo'
  };
}
