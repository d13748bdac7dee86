import { appendAudit } from '../audit/append-audit';
import type { SessionUser } from '../auth/session-user';
import type { RecordingRecord, SegmentRecord } from '../repositories/recording-repository';
import { gaplessPrefix, mayHaveGaplessPrefix } from './gapless-prefix';
import { actorOf, loadVisible, repo, type RecordingContext } from './recording-context';
import { RecordingError } from './recording-error';
import { dataKeyOf } from './recording-keys';

/** Why someone listens; playback without one of these is refused. */
export const PLAY_PURPOSES = [
  'complaint',
  'quality',
  'training',
  'fraud',
  'legal',
  'subject-access',
  'safeguarding'
] as const;

export type PlayPurpose = (typeof PLAY_PURPOSES)[number];

/** @throws RecordingError bad_request unless `value` is one of {@link PLAY_PURPOSES}. */
export function checkPurpose(value: string | null): PlayPurpose {
  if (value === null || !(PLAY_PURPOSES as readonly string[]).includes(value)) {
    throw new RecordingError('bad_request', `purpose must be one of ${PLAY_PURPOSES.join(', ')}.`);
  }
  return value as PlayPurpose;
}

/** An inclusive byte range. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Parses a single `Range: bytes=a-b | a- | -n` against `total` bytes. Returns null for no header, a malformed
 * one or several ranges (answered with the whole body, as RFC 9110 allows), 'unsatisfiable' for 416.
 */
export function parseRange(header: string | null, total: number): ByteRange | null | 'unsatisfiable' {
  const match = /^bytes=(\d*)-(\d*)$/.exec((header ?? '').trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  const [, a = '', b = ''] = match;
  if (a === '') {
    const suffix = Number(b);
    if (suffix === 0 || total === 0) return 'unsatisfiable';
    return { start: Math.max(0, total - suffix), end: total - 1 };
  }
  const start = Number(a);
  const end = b === '' ? total - 1 : Math.min(Number(b), total - 1);
  if (b !== '' && Number(b) < start) return null;
  if (start >= total) return 'unsatisfiable';
  return { start, end };
}

/** Answer of {@link readAudio}: the bytes to send and the range they are (null = the whole file). */
export interface AudioBody {
  bytes: Uint8Array;
  total: number;
  range: ByteRange | null;
}

/** One piece of the stitched file: fixed bytes (the gapless frame) or a stored segment. */
type Part = { size: number; bytes: Uint8Array } | { size: number; segment: SegmentRecord };

async function segmentBytes(
  ctx: RecordingContext,
  id: string,
  s: SegmentRecord,
  dataKey: Uint8Array | undefined
): Promise<Uint8Array> {
  const bytes = await ctx.store.get(s.blobKey, dataKey);
  if (!bytes || bytes.length !== s.size) throw new Error(`segment ${s.seq} of ${id} is missing or damaged`);
  return bytes;
}

/** The stitched file's pieces: the gapless frame when the recording can have one, then the segments in seq order. */
async function stitchedParts(
  ctx: RecordingContext,
  recording: RecordingRecord,
  dataKey: Uint8Array | undefined
): Promise<Part[]> {
  const segments = repo(ctx).listSegments(recording.id);
  const first = segments[0];
  // Segment 0 is decrypted once: its header shapes the gapless frame and its bytes are kept as a part.
  const firstBytes =
    first && mayHaveGaplessPrefix(recording, segments)
      ? await segmentBytes(ctx, recording.id, first, dataKey)
      : undefined;
  const prefix = gaplessPrefix(recording, segments, firstBytes?.subarray(0, 4));
  const parts: Part[] = prefix.length > 0 ? [{ size: prefix.length, bytes: prefix }] : [];
  return parts.concat(
    segments.map((segment, i) =>
      i === 0 && firstBytes ? { size: segment.size, bytes: firstBytes } : { size: segment.size, segment }
    )
  );
}

/**
 * The recording's MP3: a gapless info frame (so players drop the encoder delay and padding and the duration is
 * exactly what was captured) and its segments concatenated in seq order (cut on frame boundaries, so it plays
 * gapless), or the requested byte range of it. Audited as a play with the purpose and the range.
 * @throws RecordingError not_found | forbidden | gone | range_not_satisfiable
 */
export async function readAudio(
  ctx: RecordingContext,
  user: SessionUser,
  id: string,
  purpose: PlayPurpose,
  rangeHeader: string | null
): Promise<AudioBody> {
  const recording = loadVisible(ctx, user, id, 'recording.play');
  const dataKey = dataKeyOf(ctx, id);
  const parts = await stitchedParts(ctx, recording, dataKey);
  const total = parts.reduce((sum, p) => sum + p.size, 0);
  const range = parseRange(rangeHeader, total);
  appendAudit(
    ctx.db,
    {
      actor: actorOf(user),
      action: 'recording.play',
      target: id,
      purpose,
      result: range === 'unsatisfiable' ? 'failed' : 'ok',
      detail: range && range !== 'unsatisfiable' ? { range: `${range.start}-${range.end}` } : null
    },
    ctx.now()
  );
  if (range === 'unsatisfiable') {
    throw new RecordingError('range_not_satisfiable', `The recording has ${total} bytes.`);
  }
  const want = range ?? { start: 0, end: total - 1 };
  const out = new Uint8Array(Math.max(0, want.end - want.start + 1));
  let offset = 0;
  for (const p of parts) {
    const partStart = offset;
    const partEnd = offset + p.size - 1;
    offset += p.size;
    if (partEnd < want.start || partStart > want.end) continue;
    const bytes = 'bytes' in p ? p.bytes : await segmentBytes(ctx, id, p.segment, dataKey);
    const from = Math.max(want.start, partStart) - partStart;
    const to = Math.min(want.end, partEnd) - partStart + 1;
    out.set(bytes.subarray(from, to), Math.max(want.start, partStart) - want.start);
  }
  return { bytes: out, total, range };
}
