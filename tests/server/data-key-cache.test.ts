import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eraseRecording } from '../../src/lib/server/recordings/erase-service';
import { createRecording } from '../../src/lib/server/recordings/ingest-service';
import { actorOf } from '../../src/lib/server/recordings/recording-context';
import { dataKeyOf, holdsUnwrappedKey } from '../../src/lib/server/recordings/recording-keys';
import { runRetentionSweep } from '../../src/lib/server/services/retention-sweep';
import { DataKeyError, unwrapDataKey } from '../../src/lib/server/storage/data-keys';
import { uuidV7 } from '../support/mpeg-frames';
import { outboundCall, recordingEnv, TEST_KEY } from './recording-helpers';

const ID = uuidV7(1, Date.parse('2025-03-01T08:59:00Z'));

describe('unwrapped data keys held for uploads', () => {
  let env: Awaited<ReturnType<typeof recordingEnv>>;
  const wrappedKey = (): Buffer =>
    (
      env.db.prepare('SELECT wrapped_key FROM recording_keys WHERE recording_id = ?').get(ID) as {
        wrapped_key: Buffer;
      }
    ).wrapped_key;

  beforeEach(async () => {
    env = await recordingEnv();
    const input = outboundCall(ID, env.clock.now());
    createRecording(env.ctx, env.users.alice, input);
  });
  afterEach(() => env.cleanup());

  it('unwraps once and answers the same key while the database holds the same wrapped key', () => {
    const key = dataKeyOf(env.ctx, ID);
    expect(key?.equals(unwrapDataKey(TEST_KEY, ID, wrappedKey()))).toBe(true);
    expect(holdsUnwrappedKey(ID)).toBe(true);
    expect(dataKeyOf(env.ctx, ID)).toBe(key);
  });

  it('drops the plain key when the recording is erased, and has none to give afterwards', async () => {
    expect(dataKeyOf(env.ctx, ID)).toBeDefined();
    await eraseRecording(env.ctx, ID, { reason: 'SAR', reference: 'SAR-9', actor: actorOf(env.users.dee) });
    expect(holdsUnwrappedKey(ID)).toBe(false);
    expect(dataKeyOf(env.ctx, ID)).toBeUndefined();
  });

  it('drops the plain key when the retention sweep expires the recording', async () => {
    expect(dataKeyOf(env.ctx, ID)).toBeDefined();
    env.clock.advance(120 * 24 * 3600 * 1000);
    const sweep = await runRetentionSweep({
      db: env.db,
      store: env.store,
      now: env.clock.now,
      retentionDays: 90
    });
    expect(sweep).toMatchObject({ deleted: 1 });
    expect(holdsUnwrappedKey(ID)).toBe(false);
    expect(dataKeyOf(env.ctx, ID)).toBeUndefined();
  });

  it('never answers from memory for a key removed or altered behind its back (another process)', () => {
    const key = dataKeyOf(env.ctx, ID);
    const wrapped = wrappedKey();
    const altered = Buffer.from(wrapped);
    altered[30] = (altered[30] as number) ^ 1;
    env.db.prepare('UPDATE recording_keys SET wrapped_key = ? WHERE recording_id = ?').run(altered, ID);
    expect(() => dataKeyOf(env.ctx, ID)).toThrow(DataKeyError);
    expect(holdsUnwrappedKey(ID)).toBe(false);

    env.db.prepare('UPDATE recording_keys SET wrapped_key = ? WHERE recording_id = ?').run(wrapped, ID);
    expect(dataKeyOf(env.ctx, ID)?.equals(key!)).toBe(true);
    env.db.prepare('DELETE FROM recording_keys WHERE recording_id = ?').run(ID);
    expect(dataKeyOf(env.ctx, ID)).toBeUndefined();
    expect(holdsUnwrappedKey(ID)).toBe(false);
  });
});
