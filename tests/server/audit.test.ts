import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, SYSTEM_ACTOR } from '../../src/lib/server/audit/append-audit';
import {
  auditRowCanonical,
  auditRowHash,
  canonicalJson,
  GENESIS_HASH,
  type AuditRowContent
} from '../../src/lib/server/audit/audit-hash';
import { listAuditRows } from '../../src/lib/server/repositories/audit-repository';
import { fakeClock, tempDb } from './helpers';

describe('audit log', () => {
  let env: ReturnType<typeof tempDb>;
  const clock = fakeClock();
  beforeEach(() => {
    env = tempDb();
  });
  afterEach(() => env.cleanup());

  it('hashes the same canonical JSON as sorting the keys would (so old chains still verify)', () => {
    const rows: AuditRowContent[] = [
      {
        id: 1,
        at: '2025-01-01T00:00:00.000Z',
        actor_id: null,
        actor_name: 'system',
        role: 'system',
        action: 'recording.expire',
        target: '0190a000-0000-7000-8000-000000000001',
        purpose: null,
        result: 'ok',
        detail: '{"startedOn":"2025-01-01","retentionDays":90}',
        prev_hash: GENESIS_HASH
      },
      {
        id: 123456,
        at: '2025-06-30T23:59:59.999Z',
        actor_id: 42,
        actor_name: 'Zoë "the DPO" \\ O\u2019Brien\n',
        role: 'dpo',
        action: 'sar.export',
        target: null,
        purpose: 'subject-access',
        result: 'denied',
        detail: null,
        prev_hash: 'f'.repeat(64)
      }
    ];
    for (const row of rows) expect(auditRowCanonical(row)).toBe(canonicalJson(row));
  });

  it('chains each row to the previous one by hash', () => {
    const actor = { id: 7, name: 'tina', role: 'team_leader' };
    appendAudit(
      env.db,
      { actor, action: 'recording.search', result: 'ok', detail: { team: 'blue' } },
      clock.now()
    );
    appendAudit(
      env.db,
      { actor, action: 'recording.play', target: 'r1', purpose: 'complaint', result: 'ok' },
      clock.now()
    );
    appendAudit(
      env.db,
      { actor: SYSTEM_ACTOR, action: 'sweep', result: 'ok', detail: 'deleted 0' },
      clock.now()
    );
    const rows = listAuditRows(env.db);
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(rows[0]?.prev_hash).toBe(GENESIS_HASH);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      expect(row.hash).toBe(auditRowHash(row));
      if (i > 0) expect(row.prev_hash).toBe(rows[i - 1]!.hash);
    }
    expect(rows[0]?.detail).toBe('{"team":"blue"}');
    expect(rows[1]).toMatchObject({
      actor_id: 7,
      actor_name: 'tina',
      role: 'team_leader',
      purpose: 'complaint'
    });
  });

  it('detects an edited row by its hash', () => {
    const row = appendAudit(env.db, { actor: SYSTEM_ACTOR, action: 'a', result: 'ok' }, clock.now());
    expect(auditRowHash({ ...row, result: 'denied' })).not.toBe(row.hash);
    expect(auditRowHash({ ...row, prev_hash: '1'.repeat(64) })).not.toBe(row.hash);
  });

  it('refuses UPDATE and DELETE', () => {
    appendAudit(env.db, { actor: SYSTEM_ACTOR, action: 'a', result: 'ok' }, clock.now());
    expect(() => env.db.prepare("UPDATE audit_log SET result = 'x'").run()).toThrow(/append-only/);
    expect(() => env.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
  });

  it('rolls back with the caller transaction', () => {
    expect(() =>
      env.db.transaction(() => {
        appendAudit(env.db, { actor: SYSTEM_ACTOR, action: 'a', result: 'ok' }, clock.now());
        throw new Error('change failed');
      })()
    ).toThrow('change failed');
    expect(listAuditRows(env.db)).toEqual([]);
  });
});
