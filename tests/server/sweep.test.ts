import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SarContext } from '../../src/lib/server/services/sar-cases';
import { addSarSubjects, closeSarCase, openSarCase } from '../../src/lib/server/services/sar-cases';
import {
  runRetentionSweep,
  type AudioRemover,
  type SweepContext
} from '../../src/lib/server/services/retention-sweep';
import type { Db } from '../../src/lib/server/db/open-database';
import { BlobIntegrityError } from '../../src/lib/server/storage/blob-store';
import { unwrapDataKey } from '../../src/lib/server/storage/data-keys';
import { EncryptedFileStore } from '../../src/lib/server/storage/encrypted-file-store';
import { seedHold, seedRecording, seedUser, type SeededRecording } from './recording-fixtures';
import { tempDb } from './helpers';

const START = '2025-01-01T10:00:00.000Z';
const AT_90_DAYS = new Date('2025-04-01T10:00:00.000Z');
const JUST_BEFORE = new Date('2025-04-01T09:59:00.000Z');

/** The real encrypted store, counting folder removals, so tests see that audio really goes away. */
class CountingStore implements AudioRemover {
  deleted = 0;
  readonly masterKey = randomBytes(32);
  private readonly inner: EncryptedFileStore;
  constructor(readonly root: string) {
    this.inner = new EncryptedFileStore(root, this.masterKey);
  }
  put = (key: string, bytes: Uint8Array, dataKey?: Uint8Array): Promise<void> =>
    this.inner.put(key, bytes, undefined, dataKey);
  /** Segment 0 of a recording read back with the data key the database still holds for it (if any). */
  async readFirst(db: Db, id: string): Promise<Uint8Array | undefined> {
    const [file] = readdirSync(join(this.root, id));
    const wrapped = db.prepare('SELECT wrapped_key FROM recording_keys WHERE recording_id = ?').get(id) as
      { wrapped_key: Buffer } | undefined;
    const dataKey = wrapped && unwrapDataKey(this.masterKey, id, wrapped.wrapped_key);
    return this.inner.get(`${id}/${file}`, dataKey);
  }
  async deletePrefix(prefix: string): Promise<void> {
    await this.inner.deletePrefix(prefix);
    this.deleted++;
  }
  has(id: string): boolean {
    return existsSync(join(this.root, id));
  }
}

describe('retention sweep', () => {
  let env: ReturnType<typeof tempDb>;
  let store: CountingStore;
  let advisor: number;
  let other: number;
  let now: Date;
  const sweep = (extra: Partial<SweepContext> = {}, dryRun = false) =>
    runRetentionSweep(
      { db: env.db, store, now: () => now, retentionDays: 90, batchSize: 2, ...extra },
      { dryRun }
    );
  const seed = (n: number, remoteNumber = `0770090000${n}`, advisorId = advisor, startedAt = START) =>
    seedRecording(env.db, store.put, { n, advisorId, remoteNumber, startedAt, masterKey: store.masterKey });
  const row = (id: string) => env.db.prepare('SELECT * FROM recordings WHERE id = ?').get(id);
  const count = (sql: string, ...args: unknown[]) =>
    (env.db.prepare(`SELECT count(*) AS n FROM ${sql}`).get(...args) as { n: number }).n;
  const sarCtx = (): SarContext => ({
    db: env.db,
    now: () => now,
    actor: { id: null, name: 'dora', role: 'dpo' }
  });

  beforeEach(() => {
    env = tempDb();
    store = new CountingStore(join(env.dir, 'audio'));
    advisor = seedUser(env.db, 'alice');
    other = seedUser(env.db, 'bob');
    now = AT_90_DAYS;
  });
  afterEach(() => env.cleanup());

  /** Erased: no data key, no personal data, no timeline; the audio may still be queued for unlinking. */
  function expectErased(r: SeededRecording): void {
    expect(count('recording_keys WHERE recording_id = ?', r.id)).toBe(0);
    expect(row(r.id)).toMatchObject({
      status: 'expired',
      remote_number: null,
      call_id: null,
      line: null,
      erased_at: AT_90_DAYS.toISOString()
    });
    expect(count('recording_segments WHERE recording_id = ?', r.id)).toBe(0);
    expect(count('recording_events WHERE recording_id = ?', r.id)).toBe(0);
    expect(env.db.prepare('SELECT * FROM recording_tombstones WHERE recording_id = ?').get(r.id)).toEqual({
      recording_id: r.id,
      started_on: '2025-01-01',
      deleted_at: AT_90_DAYS.toISOString(),
      cause: 'retention'
    });
    const everything = JSON.stringify([
      env.db.prepare('SELECT * FROM recordings').all(),
      env.db.prepare('SELECT * FROM recording_tombstones').all(),
      env.db.prepare('SELECT * FROM audit_log').all()
    ]);
    expect(everything).not.toContain(r.remoteNumber);
    expect(everything).not.toContain(r.callId);
  }

  /** Erased, and its files unlinked too. */
  function expectGone(r: SeededRecording): void {
    expectErased(r);
    expect(store.has(r.id)).toBe(false);
  }

  it('keeps a recording at 89 d 23 h 59 m', async () => {
    const r = await seed(1);
    now = JUST_BEFORE;
    expect(await sweep()).toEqual({
      now: JUST_BEFORE.toISOString(),
      retentionDays: 90,
      examined: 0,
      deleted: 0,
      skippedHold: 0,
      skippedSar: 0,
      audioFoldersRemoved: 0,
      dryRun: false
    });
    expect(store.has(r.id)).toBe(true);
    expect(row(r.id)).toMatchObject({ status: 'complete', remote_number: r.remoteNumber });
  });

  it('deletes audio and personal data at 90 d, leaves a tombstone and audits each deletion', async () => {
    const rs = [await seed(1), await seed(2), await seed(3)];
    const young = await seed(4, '07700900004', advisor, '2025-01-02T00:00:00.000Z');
    expect(await sweep()).toMatchObject({ examined: 3, deleted: 3, skippedHold: 0, skippedSar: 0 });
    rs.forEach(expectGone);
    expect(store.has(young.id)).toBe(true);
    expect(count('audio_purges')).toBe(0);
    const audit = env.db.prepare(`SELECT actor_name, role, action, target, detail FROM audit_log`).all();
    expect(audit).toEqual(
      rs.map((r) => ({
        actor_name: 'system',
        role: 'system',
        action: 'recording.expire',
        target: r.id,
        detail: '{"startedOn":"2025-01-01","retentionDays":90}'
      }))
    );
  });

  it('is idempotent: a second run finds nothing to do', async () => {
    await seed(1);
    await sweep();
    expect(await sweep()).toMatchObject({ examined: 0, deleted: 0 });
    expect(count("audit_log WHERE action = 'recording.expire'")).toBe(1);
  });

  it('keeps a recording under legal hold', async () => {
    const held = await seed(1);
    const free = await seed(2);
    seedHold(env.db, held.id);
    expect(await sweep()).toMatchObject({ examined: 2, deleted: 1, skippedHold: 1, skippedSar: 0 });
    expect(store.has(held.id)).toBe(true);
    expect(row(held.id)).toMatchObject({ status: 'complete', remote_number: held.remoteNumber });
    expectGone(free);
  });

  it('keeps recordings covered by an open SAR case until it closes', async () => {
    const byPhone = await seed(1, '01632960001');
    const byAdvisor = await seed(2, '01632960002', other);
    const unrelated = await seed(3, '01632960003');
    now = new Date('2025-03-01T00:00:00.000Z');
    const c = openSarCase(sarCtx(), { reference: 'SAR-1', receivedOn: '2025-03-01' });
    addSarSubjects(sarCtx(), c.id, { phones: ['01632960001'], advisors: ['bob'] });
    now = AT_90_DAYS;
    expect(await sweep()).toMatchObject({ examined: 3, deleted: 1, skippedHold: 0, skippedSar: 2 });
    expect(store.has(byPhone.id) && store.has(byAdvisor.id)).toBe(true);
    expectGone(unrelated);

    closeSarCase(sarCtx(), c.id, 'answered');
    expect(await sweep()).toMatchObject({ examined: 2, deleted: 2, skippedSar: 0 });
    expectGone(byPhone);
    expectGone(byAdvisor);
  });

  it('changes nothing in a dry run', async () => {
    const held = await seed(1);
    seedHold(env.db, held.id);
    await seed(2);
    await seed(3);
    const snapshot = () => ({
      tables: [
        'recordings',
        'recording_segments',
        'recording_events',
        'recording_tombstones',
        'audit_log'
      ].map((t) => env.db.prepare(`SELECT * FROM ${t}`).all()),
      files: readdirSync(store.root, { recursive: true }).sort()
    });
    const before = snapshot();
    expect(await sweep({}, true)).toMatchObject({ examined: 3, deleted: 2, skippedHold: 1, dryRun: true });
    expect(snapshot()).toEqual(before);
    expect(store.deleted).toBe(0);
  });

  it('makes the audio unreadable before any file is unlinked (crypto-erasure)', async () => {
    const rs = [await seed(1), await seed(2), await seed(3)];
    for (const r of rs) expect(Buffer.from((await store.readFirst(env.db, r.id))!)).toEqual(r.segments[0]);
    const seen: string[] = [];
    await runRetentionSweep(
      { db: env.db, store, now: () => now, retentionDays: 90, batchSize: 2 },
      {
        onErased: () => {
          for (const r of rs) {
            // Every file is still on disk, but nothing the service holds decrypts it any more.
            expect(store.has(r.id)).toBe(true);
            expectErased(r);
            seen.push(r.id);
          }
        }
      }
    );
    expect(seen).toHaveLength(3);
    rs.forEach(expectGone);
  });

  it('leaves files of erased recordings undecryptable even when unlinking never happens', async () => {
    const r = await seed(1);
    const crashing: AudioRemover = {
      deletePrefix: () => Promise.reject(new Error('simulated crash while removing audio'))
    };
    await expect(sweep({ store: crashing })).rejects.toThrow('simulated crash');
    expectErased(r);
    expect(store.has(r.id)).toBe(true);
    await expect(store.readFirst(env.db, r.id)).rejects.toBeInstanceOf(BlobIntegrityError);
  });

  it('unlinks a recording made before per-recording keys (its files are under the master key)', async () => {
    const legacy = await seedRecording(env.db, store.put, {
      n: 9,
      advisorId: advisor,
      remoteNumber: '07700900009',
      startedAt: START
    });
    expect(count('recording_keys')).toBe(0);
    expect(Buffer.from((await store.readFirst(env.db, legacy.id))!)).toEqual(legacy.segments[0]);
    expect(await sweep()).toMatchObject({ deleted: 1, audioFoldersRemoved: 1 });
    expectGone(legacy);
  });

  it('finishes after a crash between erasing and unlinking the audio', async () => {
    const rs = [await seed(1), await seed(2), await seed(3), await seed(4), await seed(5)];
    let calls = 0;
    const crashing: AudioRemover = {
      deletePrefix: async (prefix) => {
        if (++calls === 2) throw new Error('simulated crash while removing audio');
        await store.deletePrefix(prefix);
      }
    };
    await expect(sweep({ store: crashing, deleteConcurrency: 1 })).rejects.toThrow('simulated crash');
    // Every batch committed: keys and personal data are gone; the audio not yet unlinked is still queued.
    rs.forEach(expectErased);
    expect(store.has(rs[0]!.id)).toBe(false);
    expect(store.has(rs[1]!.id)).toBe(true);
    expect(count('audio_purges')).toBe(4);

    expect(await sweep()).toMatchObject({ examined: 0, deleted: 0, audioFoldersRemoved: 4 });
    rs.forEach(expectGone);
    expect(count('audio_purges')).toBe(0);
    expect(count("audit_log WHERE action = 'recording.expire'")).toBe(5);
  });

  it('syncs removed folders once per batch, and forgets nothing of a batch whose sync failed', async () => {
    const rs = [await seed(1), await seed(2), await seed(3), await seed(4), await seed(5)];
    const files = new EncryptedFileStore(store.root, randomBytes(32));
    const syncs: string[][] = [];
    let failSync = true;
    const batched: AudioRemover = {
      deletePrefix: () => Promise.reject(new Error('the batched path must not remove one by one')),
      removePrefixUnsynced: (prefix) => files.removePrefixUnsynced(prefix),
      syncRemovals: async (prefixes) => {
        if (failSync) {
          failSync = false;
          throw new Error('simulated crash before the folder sync');
        }
        syncs.push([...prefixes]);
        await files.syncRemovals(prefixes);
      }
    };
    await expect(sweep({ store: batched })).rejects.toThrow('simulated crash before the folder sync');
    // Every recording is erased; the first batch's folders may be gone, but no queue entry is forgotten
    // until a sync succeeds.
    rs.forEach(expectErased);
    expect(count('audio_purges')).toBe(5);

    expect(await sweep({ store: batched })).toMatchObject({ examined: 0, audioFoldersRemoved: 5 });
    rs.forEach(expectGone);
    expect(count('audio_purges')).toBe(0);
    // One sync per batch of two (2, 2, 1).
    expect(syncs.map((s) => s.length)).toEqual([2, 2, 1]);
  });

  it('rolls a batch back completely when it fails inside its transaction, then a re-run completes', async () => {
    const rs = [await seed(1), await seed(2), await seed(3), await seed(4)];
    env.db.exec(`CREATE TEMP TRIGGER crash BEFORE INSERT ON recording_tombstones
      WHEN NEW.recording_id = '${rs[3]!.id}' BEGIN SELECT RAISE(ABORT, 'simulated crash in batch'); END`);
    await expect(sweep()).rejects.toThrow('simulated crash in batch');
    expectErased(rs[0]!);
    expectErased(rs[1]!);
    for (const r of rs.slice(2)) {
      expect(row(r.id)).toMatchObject({ status: 'complete', remote_number: r.remoteNumber });
      expect(count('recording_tombstones WHERE recording_id = ?', r.id)).toBe(0);
      expect(count('audit_log WHERE target = ?', r.id)).toBe(0);
      expect(count('recording_keys WHERE recording_id = ?', r.id)).toBe(1);
      expect(store.has(r.id)).toBe(true);
    }
    env.db.exec('DROP TRIGGER temp.crash');
    expect(await sweep()).toMatchObject({ examined: 2, deleted: 2 });
    rs.forEach(expectGone);
  });
});
