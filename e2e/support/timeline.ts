import type { StoredRecording } from './stored-audio';

type Timeline = StoredRecording['timeline'];

/** Time (ms since epoch) of the `nth` (0-based) timeline event of `type`; throws when there is none. */
export function eventTime(timeline: Timeline, type: string, nth = 0): number {
  const event = timeline.filter((e) => e.type === type)[nth];
  if (!event) throw new Error(`timeline has no ${type} #${nth}: ${timeline.map((e) => e.type).join(', ')}`);
  return Date.parse(event.at);
}

/** A stretch of the stored audio, in ms from its start. */
export interface Stretch {
  fromMs: number;
  toMs: number;
}

/**
 * The stretches of the stored audio that the timeline says were captured, in order: each runs from
 * `started` or `resumed` to the next `paused` or `ended`, and they follow each other without a gap.
 */
export function capturedStretches(timeline: Timeline): Stretch[] {
  const stretches: Stretch[] = [];
  let total = 0;
  let since: number | null = null;
  for (const e of timeline) {
    const at = Date.parse(e.at);
    if ((e.type === 'started' || e.type === 'resumed') && since === null) since = at;
    if ((e.type === 'paused' || e.type === 'ended') && since !== null) {
      stretches.push({ fromMs: total, toMs: total + at - since });
      total += at - since;
      since = null;
    }
  }
  if (since !== null) throw new Error('timeline does not end: capture was never paused or ended');
  return stretches;
}

/**
 * Milliseconds of audio the timeline says were captured up to `untilMs` (default: all, and then the timeline
 * must have ended): every span from `started` or `resumed` to the next `paused` or `ended`. The stored audio
 * is these spans joined, so this is also where an instant of the call sits in the decoded audio.
 */
export function capturedMs(timeline: Timeline, untilMs = Number.POSITIVE_INFINITY): number {
  if (untilMs === Number.POSITIVE_INFINITY) return capturedStretches(timeline).at(-1)?.toMs ?? 0;
  let total = 0;
  let from: number | null = null;
  for (const e of timeline) {
    const at = Math.min(Date.parse(e.at), untilMs);
    if ((e.type === 'started' || e.type === 'resumed') && from === null) from = at;
    if ((e.type === 'paused' || e.type === 'ended') && from !== null) {
      total += at - from;
      from = null;
    }
  }
  return from === null ? total : total + untilMs - from;
}

/**
 * The inside of `stretch` of 16 kHz `pcm`, `marginMs` in from both ends: tone levels are measured per
 * stretch, since a tone cut at a pause and picked up at a resume changes phase and, measured across
 * the splice, partly cancels itself.
 */
export function stretchPcm(pcm: Float32Array, stretch: Stretch, marginMs = 250, rate = 16000): Float32Array {
  const at = (ms: number) => Math.max(0, Math.round((ms * rate) / 1000));
  return pcm.subarray(at(stretch.fromMs + marginMs), at(stretch.toMs - marginMs));
}
