import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/lib/server/audit/verify-audit-chain';
import { listAuditRows } from '../../src/lib/server/repositories/audit-repository';
import { placeLegalHold, parseHold } from '../../src/lib/server/recordings/hold-service';
import {
  authorizeUpload,
  createRecording,
  storeSegment
} from '../../src/lib/server/recordings/ingest-service';
import { recordObjection } from '../../src/lib/server/recordings/objection-service';
import { parseNewRecording } from '../../src/lib/server/recordings/recording-validation';
import { silentFrames, sha256Hex, uuidV7 } from '../support/mpeg-frames';
import { recordingEnv } from './recording-helpers';

const ID = uuidV7(7, Date.parse('2025-03-01T08:59:00Z'));

describe('caller objection', () => {
  let env: Awaited<ReturnType<typeof recordingEnv>>;
  let token: string;

  beforeEach(async () => {
    env = await recordingEnv();
    const input = parseNewRecording(
      {
        id: ID,
        callId: 'c1',
        direction: 'inbound',
        remoteNumber: '01234567890',
        line: 'main',
        startedAt: '2025-03-01T08:59:00.000Z'
      },
      env.clock.now()
    );
    token = createRecording(env.ctx, env.users.alice, input).uploadToken;
    const bytes = silentFrames(20, 1);
    await storeSegment(
      env.ctx,
      authorizeUpload(env.ctx, ID, `Bearer ${token}`),
      0,
      { sha256: sha256Hex(bytes), startMs: 0, durationMs: 10_000 },
      bytes
    );
  });
  afterEach(() => env.cleanup());

  it('erases the audio and personal data, keeps the decision on the audit log, and answers 410 afterwards', async () => {
    const outcome = await recordObjection(env.ctx, authorizeUpload(env.ctx, ID, `Bearer ${token}`));
    expect(outcome).toBe('erased');
    expect(() => authorizeUpload(env.ctx, ID, `Bearer ${token}`)).toThrow(/erased/);
    const rows = listAuditRows(env.ctx.db).filter((r) => r.target === ID && r.action === 'recording.erase');
    expect(rows.at(-1)).toMatchObject({ result: 'ok', role: 'advisor', actor_name: 'alice' });
    expect(rows.at(-1)?.detail).toContain('caller objected');
    expect(env.ctx.db.prepare('SELECT remote_number FROM recordings WHERE id = ?').get(ID)).toEqual({
      remote_number: null
    });
    expect(verifyAuditChain(env.ctx.db).ok).toBe(true);
  });

  it('is refused under legal hold, like any erasure', async () => {
    placeLegalHold(
      env.ctx,
      env.users.sue,
      ID,
      parseHold({ reference: 'CASE-9', reason: 'proceedings', reviewBy: '2025-06-01' }, env.clock.now())
    );
    await expect(recordObjection(env.ctx, authorizeUpload(env.ctx, ID, `Bearer ${token}`))).rejects.toThrow(
      /legal hold/
    );
  });
});
