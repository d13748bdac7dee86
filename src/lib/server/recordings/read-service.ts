import { createHash } from 'node:crypto';
import { appendAudit } from '../audit/append-audit';
import type { SessionUser } from '../auth/session-user';
import { findUserById, findUserByUsername } from '../repositories/user-repository';
import type { RecordingCursor, RecordingFilter, RecordingRecord } from '../repositories/recording-repository';
import { BlobIntegrityError } from '../storage/blob-store';
import { actorOf, deny, loadVisible, repo, type RecordingContext } from './recording-context';
import { RecordingError } from './recording-error';
import { dataKeyOf } from './recording-keys';

/** Query of {@link searchRecordings} (already validated). */
export interface RecordingQuery {
  number?: string;
  /** A username. */
  advisor?: string;
  team?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit: number;
}

/** A recording as listed for listeners: no token hash, the advisor by name. */
export interface RecordingSummary {
  id: string;
  advisor: string | null;
  team: string | null;
  callId: string | null;
  direction: 'inbound' | 'outbound';
  remoteNumber: string | null;
  line: string | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  expectedSegmentCount: number | null;
  status: string;
  legalHold: boolean;
}

/** One page of results; `nextCursor` null on the last page. */
export interface RecordingPage {
  items: RecordingSummary[];
  nextCursor: string | null;
}

export function encodeCursor(c: RecordingCursor): string {
  return Buffer.from(JSON.stringify([c.startedAt, c.id]), 'utf8').toString('base64url');
}

/** @throws RecordingError bad_request for a cursor this server did not make. */
export function decodeCursor(text: string): RecordingCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string'
    ) {
      return { startedAt: value[0], id: value[1] };
    }
  } catch {
    // fall through
  }
  throw new RecordingError('bad_request', 'cursor is not one this server made.');
}

function summarise(
  ctx: RecordingContext,
  r: RecordingRecord,
  names: Map<number, string | null>
): RecordingSummary {
  if (!names.has(r.advisorId)) names.set(r.advisorId, findUserById(ctx.db, r.advisorId)?.username ?? null);
  return {
    id: r.id,
    advisor: names.get(r.advisorId) ?? null,
    team: r.team,
    callId: r.callId,
    direction: r.direction,
    remoteNumber: r.remoteNumber,
    line: r.line,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    durationMs: r.durationMs,
    expectedSegmentCount: r.expectedSegmentCount,
    status: r.status,
    legalHold: repo(ctx).findHold(r.id) !== undefined
  };
}

/**
 * Searches recordings newest first. Team leaders are limited to their own team (another team: 403, audited);
 * every search is audited with its filters.
 * @throws RecordingError forbidden | bad_request
 */
export function searchRecordings(
  ctx: RecordingContext,
  user: SessionUser,
  query: RecordingQuery
): RecordingPage {
  const filters = {
    number: query.number,
    advisor: query.advisor,
    team: query.team,
    from: query.from,
    to: query.to
  };
  let team = query.team;
  if (user.role === 'team_leader') {
    if (user.team === null)
      deny(ctx, user, 'recording.search', 'recordings', 'A team leader without a team.');
    if (team !== undefined && team !== user.team)
      deny(ctx, user, 'recording.search', 'recordings', 'Another team.');
    team = user.team;
  }
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
  const filter: RecordingFilter = { remoteNumber: query.number, team, from: query.from, to: query.to };
  let rows: RecordingRecord[] = [];
  if (query.advisor !== undefined) {
    const advisor = findUserByUsername(ctx.db, query.advisor);
    if (advisor) rows = repo(ctx).search({ ...filter, advisorId: advisor.id }, after, query.limit + 1);
  } else {
    rows = repo(ctx).search(filter, after, query.limit + 1);
  }
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const names = new Map<number, string | null>();
  appendAudit(
    ctx.db,
    {
      actor: actorOf(user),
      action: 'recording.search',
      target: 'recordings',
      result: 'ok',
      detail: { ...filters, cursor: query.cursor !== undefined, results: page.length }
    },
    ctx.now()
  );
  return {
    items: page.map((r) => summarise(ctx, r, names)),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null
  };
}

/** A segment with its integrity verdict. */
export interface SegmentIntegrity {
  seq: number;
  sha256: string;
  size: number;
  startMs: number;
  durationMs: number;
  storedAt: string;
  /** 'ok' decrypted and hashed to `sha256`; 'missing' file gone; 'corrupt' failed authentication or hash. */
  integrity: 'ok' | 'missing' | 'corrupt';
}

/** Answer of {@link getRecordingDetail}. */
export interface RecordingDetail {
  recording: RecordingSummary;
  legalHold: { reference: string; reason: string; reviewBy: string; placedAt: string } | null;
  timeline: { id: string; type: string; at: string; detail: Record<string, unknown> | null }[];
  segments: SegmentIntegrity[];
  integrity: { ok: boolean; missing: number[]; corrupt: number[] };
  /** What the browser's encoder reported for exact playback (decoded samples); null when not reported. */
  gapless: { encoderDelaySamples: number; paddingSamples: number | null } | null;
}

/**
 * Metadata, timeline, segments and integrity of one recording, audited as a read. Integrity decrypts every
 * segment: AES-GCM authentication plus the SHA-256 of the plaintext (a few MB for an hour of 32 kbps audio).
 * @throws RecordingError not_found | forbidden | gone
 */
export async function getRecordingDetail(
  ctx: RecordingContext,
  user: SessionUser,
  id: string
): Promise<RecordingDetail> {
  const recording = loadVisible(ctx, user, id, 'recording.read');
  const recordings = repo(ctx);
  const stored = recordings.listSegments(id);
  const dataKey = dataKeyOf(ctx, id);
  const segments: SegmentIntegrity[] = [];
  for (const s of stored) {
    let integrity: SegmentIntegrity['integrity'] = 'ok';
    try {
      const bytes = await ctx.store.get(s.blobKey, dataKey);
      if (!bytes) integrity = 'missing';
      else if (createHash('sha256').update(bytes).digest('hex') !== s.sha256) integrity = 'corrupt';
    } catch (err) {
      if (!(err instanceof BlobIntegrityError)) throw err;
      integrity = 'corrupt';
    }
    const { seq, sha256, size, startMs, durationMs, storedAt } = s;
    segments.push({ seq, sha256, size, startMs, durationMs, storedAt, integrity });
  }
  const have = new Set(stored.map((s) => s.seq));
  const top = Math.max(recording.expectedSegmentCount ?? 0, ...stored.map((s) => s.seq + 1));
  const missing: number[] = [];
  for (let seq = 0; seq < top; seq++) if (!have.has(seq)) missing.push(seq);
  missing.push(...segments.filter((s) => s.integrity === 'missing').map((s) => s.seq));
  const corrupt = segments.filter((s) => s.integrity === 'corrupt').map((s) => s.seq);
  const hold = recordings.findHold(id);
  appendAudit(
    ctx.db,
    { actor: actorOf(user), action: 'recording.read', target: id, result: 'ok' },
    ctx.now()
  );
  return {
    recording: summarise(ctx, recording, new Map()),
    legalHold: hold
      ? { reference: hold.reference, reason: hold.reason, reviewBy: hold.reviewBy, placedAt: hold.placedAt }
      : null,
    timeline: recordings
      .listEvents(id)
      .map((e) => ({ id: e.eventId, type: e.type, at: e.at, detail: e.detail })),
    segments,
    gapless:
      recording.encoderDelaySamples === null
        ? null
        : { encoderDelaySamples: recording.encoderDelaySamples, paddingSamples: recording.paddingSamples },
    integrity: {
      ok: missing.length === 0 && corrupt.length === 0,
      missing: missing.sort((a, b) => a - b),
      corrupt
    }
  };
}
