/**
 * Retention rules for recordings (pure; no I/O, the clock is a parameter).
 *
 * A recording is expired once `now >= startedAt + retentionDays × 24 h` (UTC, so every day has 24 hours):
 * with 90 days, 89 d 23 h 59 m after the start it is kept, at exactly 90 d it is expired. An expired recording
 * is still kept while it is under legal hold or covered by an open subject access request (SAR) case.
 *
 * ```
 *   age < retention ─────────────────────────────► keep
 *   age >= retention ─┬─ under legal hold ───────► held   (kept until the hold is released)
 *                     ├─ covered by an open SAR ─► sar    (kept until the case closes)
 *                     └─ otherwise ──────────────► delete
 * ```
 */

/** Milliseconds in one retention day. */
export const DAY_MS = 86_400_000;

/** What the sweep does with one recording. */
export type RetentionDecision = 'keep' | 'held' | 'sar' | 'delete';

/** The facts about one recording that decide its retention. */
export interface RetentionFacts {
  /** ISO-8601 UTC start of the recording. */
  startedAt: string;
  /** An active legal hold exists. */
  underLegalHold: boolean;
  /** The recording matches a subject of a SAR case that is still open. */
  coveredByOpenSar: boolean;
}

function checkDays(retentionDays: number): void {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    throw new RangeError(`retentionDays must be a positive integer, was ${retentionDays}`);
  }
}

function parseInstant(iso: string, what: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`${what} must be an ISO-8601 time, was "${iso}"`);
  return ms;
}

/** The instant a recording started at `startedAt` expires. */
export function expiresAt(startedAt: string, retentionDays: number): Date {
  checkDays(retentionDays);
  return new Date(parseInstant(startedAt, 'startedAt') + retentionDays * DAY_MS);
}

/** Whether a recording started at `startedAt` has passed its retention period at `now`. */
export function isExpired(startedAt: string, now: Date, retentionDays: number): boolean {
  return now.getTime() >= expiresAt(startedAt, retentionDays).getTime();
}

/**
 * The ISO-8601 UTC cutoff: recordings whose `startedAt <= cutoff` are expired at `now`. Lets a repository
 * select candidates with an index (ISO-8601 UTC text with a fixed format sorts like time).
 */
export function retentionCutoff(now: Date, retentionDays: number): string {
  checkDays(retentionDays);
  return new Date(now.getTime() - retentionDays * DAY_MS).toISOString();
}

/** Decides what the sweep does with one recording at `now`. Exemptions only matter once it has expired. */
export function retentionDecision(
  facts: RetentionFacts,
  now: Date,
  retentionDays: number
): RetentionDecision {
  if (!isExpired(facts.startedAt, now, retentionDays)) return 'keep';
  if (facts.underLegalHold) return 'held';
  if (facts.coveredByOpenSar) return 'sar';
  return 'delete';
}
