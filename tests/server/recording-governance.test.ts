import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/lib/server/audit/verify-audit-chain';
import { listAuditRows } from '../../src/lib/server/repositories/audit-repository';
import { readAudio } from '../../src/lib/server/recordings/audio-service';
import { eraseRecording } from '../../src/lib/server/recordings/erase-service';
import { parseHold, placeLegalHold, releaseLegalHold } from '../../src/lib/server/recordings/hold-service';
import {
  authorizeUpload,
  createRecording,
  storeSegment
} from '../../src/lib/server/recordings/ingest-service';
import { actorOf } from '../../src/lib/server/recordings/recording-context';
import { parseNewRecording } from '../../src/lib/server/recordings/recording-validation';
import { getRecordingDetail, searchRecordings } from '../../src/lib/server/recordings/read-service';
import { runRetentionSweep } from '../../src/lib/server/services/retention-sweep';
import { BlobIntegrityError } from '../../src/lib/server/storage/blob-store';
import { silentFrames, sha256Hex, uuidV7 } from '../support/mpeg-frames';
import { count, outboundCall, recordingEnv } from './recording-helpers';

const ID = uuidV7(1, Date.parse('2025-03-01T08:59:00Z'));
const HOLD = { reference: 'CASE-1', reason: 'criminal proceedings', reviewBy: '2025-06-01' };

describe('recording storage, reads, legal hold, erasure and the audit chain', () => {
  let env: Awaited<ReturnType<typeof recordingEnv>>;
  const segments = [silentFrames(50, 1), silentFrames(30, 2)];

  beforeEach(async () => {
    env = await recordingEnv();
    const input = outboundCall(ID, env.clock.now());
    const { uploadToken } = createRecording(env.ctx, env.users.alice, input);
    const rec = authorizeUpload(env.ctx, ID, `Bearer ${uploadToken}`);
    for (const [seq, bytes] of segments.entries()) {
      await storeSegment(
        env.ctx,
        rec,
        seq,
        { sha256: sha256Hex(bytes), startMs: seq * 10_000, durationMs: 10_000 },
        bytes.slice() // a copy: storeSegment moves its bytes to a writer thread, and the tests read these
      );
    }
  });
  afterEach(() => env.cleanup());

  function storedFiles(): string[] {
    const dir = join(env.audioRoot, ID);
    return existsSync(dir) ? readdirSync(dir).map((f) => join(dir, f)) : [];
  }

  it('keeps files at rest encrypted: no MPEG sync word at the start, no plaintext inside, 0600', () => {
    const files = storedFiles();
    expect(files).toHaveLength(2);
    for (const file of files) {
      const bytes = readFileSync(file);
      expect(bytes.subarray(0, 4).toString('ascii')).toBe('APRB');
      expect(bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0).toBe(false);
      expect(bytes.includes(Buffer.from([0xff, 0xf3, 0x48, 0xc0]))).toBe(false);
    }
  });

  it('never counts a temp file left by a crash as stored, and detects a tampered file', async () => {
    const dir = join(env.audioRoot, ID);
    writeFileSync(join(dir, '.tmp-deadbeef'), Buffer.from(segments[0]!.subarray(0, 10)));
    const detail = await getRecordingDetail(env.ctx, env.users.sue, ID);
    expect(detail.segments.map((s) => s.integrity)).toEqual(['ok', 'ok']);
    expect(detail.integrity).toEqual({ ok: true, missing: [], corrupt: [] });
    expect(await env.store.removeStaleTempFiles(Date.now() + 2 * 3600_000)).toBe(1);

    const file = storedFiles()[0]!;
    const bytes = readFileSync(file);
    bytes[30] = (bytes[30] ?? 0) ^ 1;
    writeFileSync(file, bytes);
    const after = await getRecordingDetail(env.ctx, env.users.sue, ID);
    expect(after.integrity.ok).toBe(false);
    expect(after.integrity.corrupt).toEqual([0]);
  });

  it('plays the stitched MP3 with ranges, for its own team only, auditing plays and denials', async () => {
    const whole = Buffer.concat(segments);
    const all = await readAudio(env.ctx, env.users.tina, ID, 'quality', null);
    expect(Buffer.from(all.bytes).equals(whole)).toBe(true);
    const part = await readAudio(env.ctx, env.users.tina, ID, 'complaint', 'bytes=7000-7299');
    expect(part.range).toEqual({ start: 7000, end: 7299 });
    expect(Buffer.from(part.bytes).equals(whole.subarray(7000, 7300))).toBe(true);
    const tail = await readAudio(env.ctx, env.users.dee, ID, 'legal', 'bytes=-10');
    expect(Buffer.from(tail.bytes).equals(whole.subarray(whole.length - 10))).toBe(true);
    await expect(
      readAudio(env.ctx, env.users.sue, ID, 'fraud', `bytes=${whole.length}-`)
    ).rejects.toMatchObject({
      code: 'range_not_satisfiable'
    });
    await expect(readAudio(env.ctx, env.users.sam, ID, 'quality', null)).rejects.toMatchObject({
      code: 'forbidden'
    });
    const rows = listAuditRows(env.db).filter((r) => r.action === 'recording.play');
    expect(rows.map((r) => [r.actor_name, r.purpose, r.result])).toEqual([
      ['tina', 'quality', 'ok'],
      ['tina', 'complaint', 'ok'],
      ['dee', 'legal', 'ok'],
      ['sue', 'fraud', 'failed'],
      ['sam', null, 'denied']
    ]);
  });

  it('searches by number with team scoping and keyset pages', async () => {
    for (let i = 2; i <= 4; i++) {
      const id = uuidV7(i, Date.parse('2025-03-01T08:00:00Z') + i);
      createRecording(
        env.ctx,
        env.users.alice,
        parseNewRecording(
          {
            id,
            callId: `c${i}`,
            direction: 'inbound',
            remoteNumber: '01234567890',
            line: '5000',
            startedAt: `2025-03-01T08:0${i}:00.000Z`
          },
          env.clock.now()
        )
      );
    }
    const first = searchRecordings(env.ctx, env.users.tina, { number: '01234567890', limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.items[0]?.id).toBe(ID);
    const second = searchRecordings(env.ctx, env.users.tina, {
      number: '01234567890',
      limit: 3,
      cursor: first.nextCursor!
    });
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(searchRecordings(env.ctx, env.users.sam, { limit: 10 }).items).toEqual([]);
    expect(() => searchRecordings(env.ctx, env.users.sam, { team: 'north', limit: 10 })).toThrow(
      expect.objectContaining({ code: 'forbidden' })
    );
    const audited = listAuditRows(env.db).filter((r) => r.action === 'recording.search');
    expect(audited.map((r) => r.result)).toEqual(['ok', 'ok', 'ok', 'denied']);
    expect(JSON.parse(audited[0]!.detail!)).toMatchObject({ number: '01234567890' });
  });

  it('sets and releases a legal hold; erasure under hold is refused and audited', async () => {
    const now = env.clock.now();
    expect(() => parseHold({ ...HOLD, reviewBy: '2024-01-01' }, now)).toThrow(/past/);
    expect(() => parseHold({ ...HOLD, reference: '' }, now)).toThrow();
    expect(placeLegalHold(env.ctx, env.users.sue, ID, parseHold(HOLD, now)).created).toBe(true);
    expect(placeLegalHold(env.ctx, env.users.dee, ID, parseHold(HOLD, now)).created).toBe(false);
    await expect(
      eraseRecording(env.ctx, ID, { reason: 'SAR', reference: 'SAR-9', actor: actorOf(env.users.dee) })
    ).rejects.toMatchObject({ code: 'legal_hold' });
    expect(listAuditRows(env.db).at(-1)).toMatchObject({ action: 'recording.erase', result: 'refused' });
    expect(storedFiles()).toHaveLength(2);
    releaseLegalHold(env.ctx, env.users.sue, ID, 'case closed');
    expect(() => releaseLegalHold(env.ctx, env.users.sue, ID, null)).toThrow(
      expect.objectContaining({ code: 'not_found' })
    );
    expect(listAuditRows(env.db).at(-1)).toMatchObject({ action: 'legal-hold.release', result: 'ok' });
  });

  it('erases for real: files gone, personal data cleared, tombstone left; then 410', async () => {
    const outcome = await eraseRecording(env.ctx, ID, {
      reason: 'SAR',
      reference: 'SAR-9',
      actor: actorOf(env.users.dee)
    });
    expect(outcome).toBe('erased');
    expect(existsSync(join(env.audioRoot, ID))).toBe(false);
    expect(count(env.db, 'recording_segments')).toBe(0);
    expect(env.db.prepare('SELECT status, remote_number, call_id FROM recordings').get()).toEqual({
      status: 'erased',
      remote_number: null,
      call_id: null
    });
    expect(env.db.prepare('SELECT * FROM recording_tombstones').get()).toEqual({
      recording_id: ID,
      started_on: '2025-03-01',
      deleted_at: '2025-03-01T09:00:00.000Z',
      cause: 'erasure'
    });
    await expect(getRecordingDetail(env.ctx, env.users.dee, ID)).rejects.toMatchObject({ code: 'gone' });
    expect(
      await eraseRecording(env.ctx, ID, { reason: 'x', reference: 'y', actor: actorOf(env.users.dee) })
    ).toBe('already_gone');
  });

  it('leaves no undeletable folder after a crash between the erase commit and the file deletion', async () => {
    // The real store, except that the process "dies" before the folder is removed.
    const crashing = Object.assign(Object.create(env.store) as typeof env.store, {
      deletePrefix: async (): Promise<void> => {
        throw new Error('simulated crash before the folder is deleted');
      }
    });
    const ctx = { ...env.ctx, store: crashing };
    await expect(
      eraseRecording(ctx, ID, { reason: 'SAR', reference: 'SAR-9', actor: actorOf(env.users.dee) })
    ).rejects.toThrow('simulated crash');
    // Committed: the rows say erased, and the folder that outlived the crash is queued, not orphaned.
    expect(env.db.prepare('SELECT status, remote_number FROM recordings').get()).toEqual({
      status: 'erased',
      remote_number: null
    });
    expect(storedFiles().length).toBe(2);
    expect(env.db.prepare('SELECT recording_id FROM audio_purges').all()).toEqual([{ recording_id: ID }]);
    // The files that outlived the crash are already unreadable: their data key went with the commit.
    expect(count(env.db, 'recording_keys')).toBe(0);
    const [first] = env.db.prepare('SELECT blob_key FROM recording_segments').all();
    expect(first).toBeUndefined();
    for (const file of storedFiles()) {
      const key = `${ID}/${file.split('/').pop()}`;
      await expect(env.store.get(key)).rejects.toBeInstanceOf(BlobIntegrityError);
    }

    // The next sweep (the server's timer or the CLI) drains the queue and removes the folder for real.
    const sweep = await runRetentionSweep({
      db: env.db,
      store: env.store,
      now: env.clock.now,
      retentionDays: 90
    });
    expect(sweep).toMatchObject({ examined: 0, deleted: 0 });
    expect(existsSync(join(env.audioRoot, ID))).toBe(false);
    expect(count(env.db, 'audio_purges')).toBe(0);
  });

  it('gives each recording its own data key: files are format 2 and do not open with the master key alone', async () => {
    const wrapped = env.db
      .prepare('SELECT wrapped_key FROM recording_keys WHERE recording_id = ?')
      .get(ID) as {
      wrapped_key: Buffer;
    };
    expect(wrapped.wrapped_key).toHaveLength(65);
    for (const file of storedFiles()) {
      const sealed = readFileSync(file);
      expect(sealed.subarray(0, 5)).toEqual(Buffer.from([0x41, 0x50, 0x52, 0x42, 2]));
      await expect(env.store.get(`${ID}/${file.split('/').pop()}`)).rejects.toBeInstanceOf(
        BlobIntegrityError
      );
    }
    // The service reads them with the recording's key.
    const audio = await readAudio(env.ctx, env.users.sue, ID, 'quality', null);
    expect(audio.total).toBeGreaterThan(segments[0]!.length + segments[1]!.length - 1);
  });

  it("leaves no copy of an erased recording's wrapped key in the database files after a sweep", async () => {
    const { wrapped_key: wrapped } = env.db
      .prepare('SELECT wrapped_key FROM recording_keys WHERE recording_id = ?')
      .get(ID) as { wrapped_key: Buffer };
    const dbFiles = (): Buffer =>
      Buffer.concat(
        readdirSync(env.dir)
          .filter((f) => f.startsWith('advisor-phone.sqlite'))
          .map((f) => readFileSync(join(env.dir, f)))
      );
    expect(dbFiles().includes(wrapped)).toBe(true);
    await eraseRecording(env.ctx, ID, { reason: 'SAR', reference: 'SAR-9', actor: actorOf(env.users.dee) });
    await runRetentionSweep({ db: env.db, store: env.store, now: env.clock.now, retentionDays: 90 });
    expect(dbFiles().includes(wrapped)).toBe(false);
  });

  it('forgets the queued purge once an erasure has deleted the folder', async () => {
    await eraseRecording(env.ctx, ID, { reason: 'SAR', reference: 'SAR-9', actor: actorOf(env.users.dee) });
    expect(existsSync(join(env.audioRoot, ID))).toBe(false);
    expect(count(env.db, 'audio_purges')).toBe(0);
  });

  it('verifies the audit chain and detects an edited and a deleted row', () => {
    expect(verifyAuditChain(env.db)).toMatchObject({ ok: true });
    const rows = count(env.db, 'audit_log');
    expect(rows).toBeGreaterThan(3);
    const path = env.path;
    env.db.close();
    const raw = new Database(path);
    raw.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    raw.prepare("UPDATE audit_log SET result = 'denied' WHERE id = 2").run();
    expect(verifyAuditChain(raw)).toEqual({ rows, ok: false, firstBadId: 2, problem: 'hash' });
    raw.prepare("UPDATE audit_log SET result = 'ok' WHERE id = 2").run();
    expect(verifyAuditChain(raw)).toMatchObject({ ok: true });
    raw.prepare('DELETE FROM audit_log WHERE id = 3').run();
    expect(verifyAuditChain(raw)).toEqual({ rows: rows - 1, ok: false, firstBadId: 3, problem: 'gap' });
    raw.close();
  });
});
