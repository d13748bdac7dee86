import { createHash } from 'node:crypto';
import { appendAudit } from '../audit/append-audit';
import { recordingRepository } from '../repositories/recording-repository';
import { listAccessHistory, listSarSubjects, type SarRecordingRow } from '../repositories/sar-repository';
import { BlobIntegrityError } from '../storage/blob-store';
import { gaplessPrefix } from '../recordings/gapless-prefix';
import { ZipWriter } from '../zip/zip-writer';
import { mustFindCase, sarTarget } from './sar-cases';
import { allSarRecordings, type SarRecordingContext } from './sar-recordings';
import { SarError, type SarRecordingFilter } from './sar-validation';
import { bundleReadme } from './sar-readme';

/** One file of a bundle as listed in manifest.json. */
export interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
}

/** A finished export: a ZIP archive in chunks, ready to send. */
export interface SarBundle {
  fileName: string;
  chunks: Buffer[];
  size: number;
  /** SHA-256 of manifest.json, also written to the audit log so the bundle sent can be identified later. */
  manifestSha256: string;
  recordings: number;
}

const DEFAULT_MAX_BUNDLE_BYTES = 512 * 1024 * 1024;

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value, null, 2) + '\n', 'utf8');

interface RecordingFiles {
  row: SarRecordingRow;
  audio: Buffer;
  timeline: unknown;
  integrity: { ok: boolean; missing: number[]; corrupt: number[] };
}

/** Stitches a recording's stored segments (in seq order) and checks each one's SHA-256 on the way. */
async function readRecording(
  ctx: SarRecordingContext,
  row: SarRecordingRow,
  subjectPhones: ReadonlySet<string>
): Promise<RecordingFiles> {
  const repo = recordingRepository(ctx.db);
  const segments = repo.listSegments(row.id);
  const dataKey = ctx.dataKeyOf(row.id);
  const parts: Uint8Array[] = [];
  const missing: number[] = [];
  const corrupt: number[] = [];
  for (const s of segments) {
    let bytes: Uint8Array | undefined;
    try {
      bytes = await ctx.store.get(s.blobKey, dataKey);
    } catch (err) {
      if (!(err instanceof BlobIntegrityError)) throw err;
      corrupt.push(s.seq);
      continue;
    }
    if (!bytes) missing.push(s.seq);
    else if (sha256(bytes) !== s.sha256) corrupt.push(s.seq);
    else parts.push(bytes);
  }
  const timeline = {
    recording: {
      id: row.id,
      startedAt: row.startedAt,
      direction: row.direction,
      // A caller's number is only disclosed to the subject who owns it (advisor SARs get 'withheld').
      remoteNumber:
        row.remoteNumber !== null && subjectPhones.has(row.remoteNumber) ? row.remoteNumber : 'withheld',
      line: row.line,
      advisor: row.advisor,
      team: row.team,
      durationMs: row.durationMs,
      status: row.status,
      underLegalHold: row.underLegalHold
    },
    events: repo.listEvents(row.id).map((e) => ({ id: e.eventId, type: e.type, at: e.at, detail: e.detail })),
    segments: segments.map(({ seq, sha256: hash, size, startMs, durationMs }) => ({
      seq,
      sha256: hash,
      size,
      startMs,
      durationMs
    }))
  };
  const ok = missing.length === 0 && corrupt.length === 0;
  const recording = repo.findRecording(row.id);
  // The same gapless frame as playback, when every segment is sound (it counts their frames).
  const prefix = ok && recording ? gaplessPrefix(recording, segments, parts[0]?.subarray(0, 4)) : undefined;
  return {
    row,
    audio: Buffer.concat(prefix ? [prefix, ...parts] : parts),
    timeline,
    integrity: { ok, missing, corrupt }
  };
}

/** A folder name that sorts by time and names the recording: `20250101T100000Z-<id>`. */
function folder(row: SarRecordingRow): string {
  return `recordings/${row.startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${row.id}`;
}

/**
 * Builds the export bundle of a case: for every live recording matching its subjects (optionally within
 * from / to) its stitched MP3, its timeline and its access history from the audit log, plus manifest.json
 * (every file's path, size and SHA-256), SHA256SUMS (for `sha256sum -c`) and README.txt. Audited in one
 * transaction: a `recording.export` row per recording and a `sar.export` row with the manifest's SHA-256.
 * A caller's number appears only when it is one of the case's phone subjects (third-party data otherwise).
 * The bundle is built in memory; a case larger than `maxBundleBytes` must be exported in date ranges.
 * @throws SarError not_found, bad_request (too large: narrow from / to)
 */
export async function exportSarBundle(
  ctx: SarRecordingContext,
  caseId: number,
  filter: SarRecordingFilter
): Promise<SarBundle> {
  const c = mustFindCase(ctx.db, caseId);
  const now = ctx.now();
  const rows = allSarRecordings(ctx, caseId, filter);
  const limit = ctx.maxBundleBytes ?? DEFAULT_MAX_BUNDLE_BYTES;
  const zip = new ZipWriter(now);
  const chunks: Buffer[] = [];
  const files: ManifestFile[] = [];
  const add = (path: string, data: Buffer, deflate: boolean): void => {
    chunks.push(...zip.add(path, data, { deflate }));
    files.push({ path, size: data.length, sha256: sha256(data) });
  };
  const recordings: unknown[] = [];
  const subjectPhones = new Set(
    listSarSubjects(ctx.db, caseId)
      .filter((s) => s.kind === 'phone')
      .map((s) => s.value)
  );
  let audioBytes = 0;
  for (const row of rows) {
    const r = await readRecording(ctx, row, subjectPhones);
    audioBytes += r.audio.length;
    if (audioBytes > limit) {
      throw new SarError(
        'bad_request',
        `The bundle would exceed ${limit} bytes of audio; export by date range.`
      );
    }
    const dir = folder(row);
    add(`${dir}/audio.mp3`, r.audio, false);
    add(`${dir}/timeline.json`, json(r.timeline), true);
    add(`${dir}/access-history.json`, json(listAccessHistory(ctx.db, row.id)), true);
    recordings.push({ id: row.id, startedAt: row.startedAt, folder: dir, integrity: r.integrity });
  }
  const readme = Buffer.from(bundleReadme(c.reference, now.toISOString(), rows.length), 'utf8');
  add('README.txt', readme, true);
  const manifest = json({
    format: 'advisor-phone-sar-bundle/1',
    caseReference: c.reference,
    receivedOn: c.receivedOn,
    generatedAt: now.toISOString(),
    generatedBy: ctx.actor.name,
    filter,
    recordings,
    files
  });
  const manifestSha256 = sha256(manifest);
  chunks.push(...zip.add('manifest.json', manifest, { deflate: true }));
  const sums = [...files, { path: 'manifest.json', sha256: manifestSha256 }]
    .map((f) => `${f.sha256}  ${f.path}\n`)
    .join('');
  chunks.push(...zip.add('SHA256SUMS', Buffer.from(sums, 'utf8'), { deflate: true }));
  chunks.push(...zip.finish());

  ctx.db
    .transaction(() => {
      for (const row of rows) {
        appendAudit(
          ctx.db,
          {
            actor: ctx.actor,
            action: 'recording.export',
            target: row.id,
            purpose: 'subject-access',
            result: 'ok',
            detail: { reference: c.reference }
          },
          now
        );
      }
      appendAudit(
        ctx.db,
        {
          actor: ctx.actor,
          action: 'sar.export',
          target: sarTarget(c),
          purpose: 'subject-access',
          result: 'ok',
          detail: { reference: c.reference, ...filter, recordings: rows.length, manifestSha256 }
        },
        now
      );
    })
    .immediate();
  const safeRef = c.reference.replace(/[^A-Za-z0-9._-]/g, '_');
  return {
    fileName: `sar-${safeRef}-${now.toISOString().slice(0, 10)}.zip`,
    chunks,
    size: zip.size,
    manifestSha256,
    recordings: rows.length
  };
}
