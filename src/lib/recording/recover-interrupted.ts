import { timelineEventId } from './capture-session';
import { frameOffsets } from '$lib/recorder/mp3-frames';
import type { OutboxChunk, OutboxSegment, OutboxStore } from '$lib/outbox/outbox-types';

/** What closes an interrupted recording's timeline (each only if not already stored, e.g. by pagehide). */
const CLOSING_EVENTS: readonly { type: string; detail: Record<string, string> }[] = [
  { type: 'gap', detail: { cause: 'reload' } },
  { type: 'ended', detail: { reason: 'uncertain' } }
];

/** What recovery needs besides the store. */
export interface RecoveryDeps {
  now: number;
  randomBytes(n: number): Uint8Array;
  /** SHA-256 of the bytes as lower-case hex. */
  sha256(bytes: Uint8Array): Promise<string>;
}

/**
 * A tab closed or crashed mid-call left a recording unfinished: close it with what was captured and mark the
 * gap. The chunks of the segment that was being built (stored about once a second) are joined into that
 * segment, so at most the last chunk's worth of audio is lost. Every step is idempotent (the segment replaces
 * its chunks in one transaction; events already stored are not added again; `finished` is written last), so
 * recovery interrupted by another crash converges on the same result when it runs again.
 */
export async function recoverInterrupted(store: OutboxStore, deps: RecoveryDeps): Promise<void> {
  for (const r of await store.listRecordings()) {
    if (r.finished || r.objected) continue;
    const segments = (await store.listSegments()).filter((s) => s.recordingId === r.id);
    const chunks = await store.listChunks(r.id);
    for (const segment of await joinChunks(chunks, segments, deps.sha256)) {
      await store.putSegment(segment);
      segments.push(segment);
    }
    if (chunks.length > 0) await store.deleteChunks(r.id); // frames that could not be joined (never expected)
    // The segments themselves are the truth: the row's bookkeeping lags a segment write by one transaction.
    let segmentCount = r.segmentsStored;
    let durationMs = r.durationMs;
    for (const s of segments) {
      segmentCount = Math.max(segmentCount, s.seq + 1);
      durationMs = Math.max(durationMs, s.startMs + s.durationMs);
    }
    const lastAudioAt = Math.max(0, ...segments.map((s) => s.createdAt), ...chunks.map((c) => c.createdAt));
    const at = lastAudioAt > 0 ? lastAudioAt : deps.now;
    const stored = new Set((await store.listEvents(r.id)).map((e) => e.type));
    const entries = CLOSING_EVENTS.filter((e) => !stored.has(e.type));
    await store.putEvents(
      entries.map((e, i) => ({
        recordingId: r.id,
        eventId: timelineEventId(at, i, deps.randomBytes),
        type: e.type,
        at: new Date(at).toISOString(),
        detail: e.detail
      }))
    );
    // The encoder delay is known (the start plays exact); the padding is not, as the final frames never came.
    const delay = r.encoderDelaySamples ?? chunks[0]?.encoderDelaySamples;
    await store.updateRecording(r.id, {
      segmentsStored: segmentCount,
      durationMs,
      finished: { segmentCount, durationMs, ...(delay === undefined ? {} : { encoderDelaySamples: delay }) }
    });
  }
}

/**
 * Joins each unfinished segment's chunks, in part order, into the segment the encoder was building: the same
 * bytes, start and frame-count duration it would have had if cut after the last chunk. Chunks must follow on
 * frame by frame from part 0; joining stops at the first one that does not (or is not whole frames).
 */
async function joinChunks(
  chunks: readonly OutboxChunk[],
  segments: readonly OutboxSegment[],
  sha256: (bytes: Uint8Array) => Promise<string>
): Promise<OutboxSegment[]> {
  const bySeq = new Map<number, OutboxChunk[]>();
  for (const c of chunks) bySeq.set(c.seq, [...(bySeq.get(c.seq) ?? []), c]);
  const out: OutboxSegment[] = [];
  for (const [seq, parts] of bySeq) {
    if (segments.some((s) => s.seq === seq)) continue; // the segment completed: its chunks are stale
    const run: OutboxChunk[] = [];
    for (const c of parts) {
      const prev = run.at(-1);
      if (!(prev ? follows(prev, c) : c.part === 0) || !wholeFrames(c)) break;
      run.push(c);
    }
    const first = run[0];
    const last = run.at(-1);
    if (!first || !last) continue;
    const bytes = new Uint8Array(run.reduce((n, c) => n + c.bytes.length, 0));
    let offset = 0;
    for (const c of run) {
      bytes.set(c.bytes, offset);
      offset += c.bytes.length;
    }
    const frames = run.reduce((n, c) => n + c.frameCount, 0);
    out.push({
      recordingId: first.recordingId,
      seq,
      bytes,
      sha256: await sha256(bytes),
      startMs: first.startMs,
      durationMs: (frames * first.samplesPerFrame * 1000) / first.sampleRate,
      createdAt: last.createdAt
    });
  }
  return out;
}

/** `c` is the part after `prev`, starts on the frame after it and is in the same format. */
function follows(prev: OutboxChunk, c: OutboxChunk): boolean {
  return (
    c.part === prev.part + 1 &&
    Math.abs(c.startMs - (prev.startMs + prev.durationMs)) < 1e-6 &&
    c.sampleRate === prev.sampleRate &&
    c.samplesPerFrame === prev.samplesPerFrame &&
    c.encoderDelaySamples === prev.encoderDelaySamples
  );
}

function wholeFrames(c: OutboxChunk): boolean {
  try {
    return frameOffsets(c.bytes).length === c.frameCount;
  } catch {
    return false;
  }
}
