import type { TimelineKind } from './recording-policy-types';

/**
 * Every timeline event kind the recording policy emits (DESIGN "Recording policy" 9), as a
 * runtime list: the retention service accepts exactly these. The two type checks below fail
 * to compile when a kind is added to {@link TimelineKind} and not here, or the other way round.
 */
export const TIMELINE_KINDS = [
  'started',
  'paused',
  'resumed',
  'hold',
  'unhold',
  'consultation-started',
  'consultation-connected',
  'consultation-ended',
  'transfer-requested',
  'transfer-accepted',
  'transfer-failed',
  'transfer-completed',
  'payment-leg-started',
  'payment-leg-ended',
  'manual-pause',
  'manual-resume',
  'objection',
  'gap',
  'ended'
] as const satisfies readonly TimelineKind[];

type Listed = (typeof TIMELINE_KINDS)[number];
// Compile-time proof that the list is complete: a kind missing from the list is a missing property here.
const complete: Record<Exclude<TimelineKind, Listed>, never> = {};
void complete;
