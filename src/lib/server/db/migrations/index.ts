import { migration001 } from './001-users-sessions-audit';
import { migration002 } from './002-recordings';
import { migration003 } from './003-sar-retention';
import { migration004 } from './004-gapless-playback';
import { migration005 } from './005-recording-keys';
import { migration006 } from './006-audit-hash-not-unique';
import type { Migration } from './migration';

export type { Migration } from './migration';

/**
 * Every migration, in order. To change the schema add a file `NNN-what.ts` and append it here.
 */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006
];
