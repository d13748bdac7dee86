import { join } from 'node:path';
import type { SessionUser } from '../../src/lib/server/auth/session-user';
import type { Db } from '../../src/lib/server/db/open-database';
import type { RecordingContext } from '../../src/lib/server/recordings/recording-context';
import {
  parseNewRecording,
  type NewRecordingInput
} from '../../src/lib/server/recordings/recording-validation';
import { EncryptedFileStore } from '../../src/lib/server/storage/encrypted-file-store';
import { addUser } from '../../src/lib/server/services/user-admin';
import { adminContext, fakeClock, tempDb } from './helpers';

export const TEST_KEY = Buffer.alloc(32, 7);

/** A temp DATA_DIR with a migrated database, an encrypted store under `audio/`, a clock and users. */
export async function recordingEnv() {
  const env = tempDb();
  const clock = fakeClock('2025-03-01T09:00:00.000Z');
  const audioRoot = join(env.dir, 'audio');
  const store = new EncryptedFileStore(audioRoot, TEST_KEY);
  const ctx: RecordingContext = {
    db: env.db,
    store,
    now: clock.now,
    config: { dataDir: env.dir, recordingKey: TEST_KEY, segmentMaxBytes: 64 * 1024, blobWriterThreads: 2 }
  };
  const admin = adminContext(env.db, clock.now);
  const add = async (username: string, role: string, team: string | null): Promise<SessionUser> => {
    const u = await addUser(admin, { username, password: 'password-123', role, team });
    return { id: u.id, username, displayName: username, role: u.role, team, extension: null };
  };
  const users = {
    alice: await add('alice', 'advisor', 'north'),
    bob: await add('bob', 'advisor', 'north'),
    tina: await add('tina', 'team_leader', 'north'),
    sam: await add('sam', 'team_leader', 'south'),
    sue: await add('sue', 'supervisor', null),
    dee: await add('dee', 'dpo', null)
  };
  return { ...env, clock, audioRoot, store, ctx, users };
}

export function count(db: Db, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

/** A valid outbound call `id` (as POST /api/recordings takes it), started a minute before the env's clock. */
export function outboundCall(id: string, now: Date): NewRecordingInput {
  return parseNewRecording(
    {
      id,
      callId: 'c1',
      direction: 'outbound',
      remoteNumber: '01234567890',
      line: 'outbound',
      startedAt: '2025-03-01T08:59:00.000Z'
    },
    now
  );
}
