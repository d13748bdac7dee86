import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eraseRecording } from '../../src/lib/server/recordings/erase-service';
import { dataKeyOf } from '../../src/lib/server/recordings/recording-keys';
import type { RecordingContext } from '../../src/lib/server/recordings/recording-context';
import {
  addSarSubjects,
  closeSarCase,
  extendSarCase,
  getSarCase,
  openSarCase
} from '../../src/lib/server/services/sar-cases';
import { exportSarBundle } from '../../src/lib/server/services/sar-export';
import {
  eraseSarRecordings,
  listSarCaseRecordings,
  type SarRecordingContext
} from '../../src/lib/server/services/sar-recordings';
import { parseOpenSar, parseSarSubjects } from '../../src/lib/server/services/sar-validation';
import { EncryptedFileStore } from '../../src/lib/server/storage/encrypted-file-store';
import { fakeClock, tempDb } from './helpers';
import { seedHold, seedRecording, seedUser, type SeededRecording } from './recording-fixtures';
import { readZip, unzipTest } from './zip-reader';

const NO_FILTER = { from: null, to: null };

describe('subject access requests', () => {
  let env: ReturnType<typeof tempDb>;
  let clock: ReturnType<typeof fakeClock>;
  let ctx: SarRecordingContext;
  let rc: RecordingContext;
  let alice: number;
  let bob: number;

  beforeEach(() => {
    env = tempDb();
    clock = fakeClock('2025-03-10T12:00:00.000Z');
    const store = new EncryptedFileStore(join(env.dir, 'audio'), randomBytes(32));
    rc = {
      db: env.db,
      store,
      now: clock.now,
      config: {
        dataDir: env.dir,
        recordingKey: randomBytes(32),
        segmentMaxBytes: 1 << 20,
        blobWriterThreads: 2
      }
    };
    const dpo = seedUser(env.db, 'dora', 'dpo', null);
    alice = seedUser(env.db, 'alice');
    bob = seedUser(env.db, 'bob');
    ctx = {
      db: env.db,
      now: clock.now,
      actor: { id: dpo, name: 'dora', role: 'dpo' },
      store,
      dataKeyOf: (id) => dataKeyOf(rc, id),
      erase: (id, input) => eraseRecording(rc, id, input)
    };
  });
  afterEach(() => env.cleanup());

  const seed = (n: number, remoteNumber: string, advisorId: number, startedAt: string) =>
    seedRecording(env.db, (k, b) => rc.store.put(k, b), { n, advisorId, remoteNumber, startedAt });
  const actions = () =>
    (env.db.prepare('SELECT action, result FROM audit_log ORDER BY id').all() as { action: string }[]).map(
      (r) => r.action
    );

  it('opens a case due one calendar month after receipt, and refuses a duplicate reference', () => {
    const c = openSarCase(
      ctx,
      parseOpenSar({ reference: 'SAR-2025-001', receivedOn: '2025-01-31' }, clock.now())
    );
    expect(c).toMatchObject({
      reference: 'SAR-2025-001',
      receivedOn: '2025-01-31',
      dueOn: '2025-02-28',
      effectiveDueOn: '2025-02-28',
      status: 'open',
      subjects: []
    });
    expect(() => openSarCase(ctx, { reference: 'SAR-2025-001', receivedOn: '2025-03-01' })).toThrow(
      expect.objectContaining({ code: 'duplicate_reference' })
    );
    expect(actions()).toEqual(['sar.open']);
  });

  it.each([
    [{ reference: 'x', receivedOn: '2025-03-11' }, 'in the future'],
    [{ reference: 'x', receivedOn: '2025-02-30' }, 'real date'],
    [{ reference: '../x', receivedOn: '2025-03-01' }, 'reference'],
    [{ reference: 'x', receivedOn: '2025-03-01', extra: 1 }, 'Unknown field']
  ])('refuses %j', (body, message) => {
    expect(() => parseOpenSar(body, clock.now())).toThrow(message);
  });

  it('extends within the time limit with a reason, and records it', () => {
    const c = openSarCase(ctx, { reference: 'SAR-1', receivedOn: '2025-03-10' });
    const extended = extendSarCase(ctx, c.id, { months: 2, reason: 'complex: several systems' });
    expect(extended).toMatchObject({
      dueOn: '2025-04-10',
      extendedDueOn: '2025-06-10',
      effectiveDueOn: '2025-06-10',
      extensionReason: 'complex: several systems'
    });
    expect(() => extendSarCase(ctx, c.id, { months: 1, reason: 'again' })).toThrow(
      expect.objectContaining({ code: 'not_later' })
    );
    clock.advance(100 * 86_400_000);
    const late = openSarCase(ctx, { reference: 'SAR-2', receivedOn: '2025-03-10' });
    expect(() => extendSarCase(ctx, late.id, { months: 1, reason: 'late' })).toThrow(
      expect.objectContaining({ code: 'too_late' })
    );
    const row = env.db.prepare("SELECT detail FROM audit_log WHERE action = 'sar.extend'").get();
    expect(row).toEqual({
      detail: JSON.stringify({
        reference: 'SAR-1',
        months: 2,
        reason: 'complex: several systems',
        from: '2025-04-10',
        to: '2025-06-10'
      })
    });
  });

  it('attaches normalised numbers and known advisors only, and refuses changes once closed', () => {
    const c = openSarCase(ctx, { reference: 'SAR-1', receivedOn: '2025-03-01' });
    expect(() => addSarSubjects(ctx, c.id, { phones: ['0111'], advisors: ['nobody'] })).toThrow(
      expect.objectContaining({ code: 'unknown_advisor' })
    );
    expect(getSarCase(ctx, c.id).subjects).toEqual([]);
    const input = parseSarSubjects({ phones: ['01632 960-001', '(01632) 960001'], advisors: ['bob'] });
    expect(addSarSubjects(ctx, c.id, input).subjects).toEqual([
      { kind: 'advisor', value: 'bob' },
      { kind: 'phone', value: '01632960001' }
    ]);
    closeSarCase(ctx, c.id, 'answered');
    expect(() => addSarSubjects(ctx, c.id, input)).toThrow(expect.objectContaining({ code: 'case_closed' }));
    expect(() => closeSarCase(ctx, c.id, null)).toThrow(expect.objectContaining({ code: 'case_closed' }));
    expect(() => parseSarSubjects({ phones: ['abc'] })).toThrow('not a phone number');
    expect(() => parseSarSubjects({})).toThrow('at least one');
  });

  async function caseWithRecordings(): Promise<{ id: number; rs: SeededRecording[] }> {
    const rs = [
      await seed(1, '01632960001', alice, '2025-02-01T09:00:00.000Z'),
      await seed(2, '01632960001', alice, '2025-02-15T09:00:00.000Z'),
      await seed(3, '01632960999', bob, '2025-02-20T09:00:00.000Z'),
      await seed(4, '01632960999', alice, '2025-02-21T09:00:00.000Z')
    ];
    const c = openSarCase(ctx, { reference: 'SAR/7', receivedOn: '2025-03-01' });
    addSarSubjects(ctx, c.id, { phones: ['01632960001'], advisors: ['bob'] });
    return { id: c.id, rs };
  }

  it('lists recordings by phone number or advisor, within dates, page by page, and audits the search', async () => {
    const { id, rs } = await caseWithRecordings();
    const all = listSarCaseRecordings(ctx, id, NO_FILTER, null);
    expect(all.recordings.map((r) => r.id)).toEqual([rs[0]!.id, rs[1]!.id, rs[2]!.id]);
    expect(all.nextCursor).toBeNull();
    const february = listSarCaseRecordings(
      ctx,
      id,
      { from: '2025-02-10T00:00:00.000Z', to: '2025-02-20T09:00:00.000Z' },
      null
    );
    expect(february.recordings.map((r) => r.id)).toEqual([rs[1]!.id]);
    const first = listSarCaseRecordings(ctx, id, NO_FILTER, null, 2);
    const second = listSarCaseRecordings(ctx, id, NO_FILTER, first.nextCursor, 2);
    expect([...first.recordings, ...second.recordings].map((r) => r.id)).toEqual(
      all.recordings.map((r) => r.id)
    );
    expect(second.nextCursor).toBeNull();
    expect(actions().filter((a) => a === 'sar.search')).toHaveLength(4);
  });

  it('exports a bundle whose every file verifies against manifest.json and SHA256SUMS', async () => {
    const { id, rs } = await caseWithRecordings();
    const bundle = await exportSarBundle(ctx, id, NO_FILTER);
    const zip = Buffer.concat(bundle.chunks);
    expect(zip.length).toBe(bundle.size);
    expect(bundle.fileName).toBe('sar-SAR_7-2025-03-10.zip');
    const files = new Map(readZip(zip).map((f) => [f.name, f.data]));
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    const manifest = JSON.parse(files.get('manifest.json')!.toString()) as {
      caseReference: string;
      generatedAt: string;
      files: { path: string; size: number; sha256: string }[];
    };
    expect(manifest).toMatchObject({ caseReference: 'SAR/7', generatedAt: '2025-03-10T12:00:00.000Z' });
    expect(manifest.files.length).toBe(3 * 3 + 1);
    for (const f of manifest.files) {
      expect(files.get(f.path)?.length, f.path).toBe(f.size);
      expect(sha(files.get(f.path)!), f.path).toBe(f.sha256);
    }
    const sums = files.get('SHA256SUMS')!.toString().trim().split('\n');
    expect(sums).toHaveLength(manifest.files.length + 1);
    for (const line of sums) {
      const [hash, path] = line.split('  ');
      expect(sha(files.get(path!)!), path).toBe(hash);
    }
    expect(bundle.manifestSha256).toBe(sha(files.get('manifest.json')!));

    const dir = 'recordings/20250201T090000Z-' + rs[0]!.id;
    expect(files.get(`${dir}/audio.mp3`)!.equals(Buffer.concat(rs[0]!.segments))).toBe(true);
    const timeline = JSON.parse(files.get(`${dir}/timeline.json`)!.toString()) as Record<string, unknown>;
    expect(timeline).toMatchObject({
      recording: { id: rs[0]!.id, remoteNumber: '01632960001', advisor: 'alice' },
      events: [{ type: 'started' }, { type: 'ended' }],
      segments: [{ seq: 0 }, { seq: 1 }]
    });
    const bobs = JSON.parse(
      files.get(`recordings/20250220T090000Z-${rs[2]!.id}/timeline.json`)!.toString()
    ) as { recording: { remoteNumber: string } };
    expect(bobs.recording.remoteNumber).toBe('withheld');
    expect(files.get('README.txt')!.toString()).toContain('sha256sum -c SHA256SUMS');

    const audit = env.db
      .prepare("SELECT target, purpose FROM audit_log WHERE action = 'recording.export' ORDER BY id")
      .all();
    expect(audit).toEqual(rs.slice(0, 3).map((r) => ({ target: r.id, purpose: 'subject-access' })));
    const history = JSON.parse(files.get(`${dir}/access-history.json`)!.toString()) as unknown[];
    expect(history).toEqual([]);
    const again = readZip(Buffer.concat((await exportSarBundle(ctx, id, NO_FILTER)).chunks));
    const history2 = again.find((f) => f.name === `${dir}/access-history.json`)!;
    expect(JSON.parse(history2.data.toString())).toEqual([
      expect.objectContaining({
        actor: 'dora',
        role: 'dpo',
        action: 'recording.export',
        purpose: 'subject-access'
      })
    ]);

    const tested = unzipTest(zip, env.dir);
    if (tested) {
      expect(tested.status, tested.output).toBe(0);
      const out = join(env.dir, 'unpacked');
      for (const [name, data] of files) {
        mkdirSync(dirname(join(out, name)), { recursive: true });
        writeFileSync(join(out, name), data);
      }
      const check = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: out, encoding: 'utf8' });
      if (!check.error) expect(check.status, check.stdout + check.stderr).toBe(0);
    }
  });

  it('erases matching recordings, refuses and reports held ones, and keeps others', async () => {
    const { id, rs } = await caseWithRecordings();
    seedHold(env.db, rs[1]!.id);
    const result = await eraseSarRecordings(ctx, id, 'subject asked for erasure');
    expect(result).toEqual({
      erased: [rs[0]!.id, rs[2]!.id],
      refused: [{ id: rs[1]!.id, error: 'legal_hold', detail: expect.any(String) }]
    });
    const status = (r: SeededRecording) =>
      (env.db.prepare('SELECT status FROM recordings WHERE id = ?').get(r.id) as { status: string }).status;
    expect(rs.map(status)).toEqual(['erased', 'complete', 'erased', 'complete']);
    expect(existsSync(join(env.dir, 'audio', rs[0]!.id))).toBe(false);
    expect(existsSync(join(env.dir, 'audio', rs[1]!.id))).toBe(true);
    const erase = env.db
      .prepare("SELECT target, result, detail FROM audit_log WHERE action LIKE '%erase' ORDER BY id")
      .all() as { target: string; result: string; detail: string }[];
    expect(erase.map((r) => [r.target, r.result])).toEqual([
      [rs[0]!.id, 'ok'],
      [rs[1]!.id, 'refused'],
      [rs[2]!.id, 'ok'],
      [`sar:${id}`, 'partial']
    ]);
    expect(JSON.parse(erase[0]!.detail)).toMatchObject({ reference: 'SAR/7' });
    closeSarCase(ctx, id, null);
    await expect(eraseSarRecordings(ctx, id, 'again')).rejects.toMatchObject({ code: 'case_closed' });
  });
});
