import type { Direction, EndReason } from './call-leg';

/** One line of the recent-calls list. Kept in memory only: phone numbers are personal data. */
export interface RecentCall {
  id: string;
  direction: Direction;
  remoteNumber: string;
  startedAt: number;
  durationMs: number;
  outcome: EndReason;
}

export const RECENT_CALLS_LIMIT = 20;

/** Adds a call at the top, replacing an entry with the same id, keeping at most `limit`. */
export function addRecentCall(
  list: readonly RecentCall[],
  call: RecentCall,
  limit = RECENT_CALLS_LIMIT
): RecentCall[] {
  return [call, ...list.filter((c) => c.id !== call.id)].slice(0, limit);
}

/** Words for an outcome in the recent-calls list. */
export function describeOutcome(call: RecentCall): string {
  switch (call.outcome) {
    case 'local-hangup':
    case 'remote-hangup':
      return call.durationMs > 0 ? 'Answered' : 'Not connected';
    case 'declined':
      return 'Declined';
    case 'missed':
      return 'Missed';
    case 'answered-elsewhere':
      return 'Answered by a colleague';
    case 'cancelled':
      return 'Cancelled';
    case 'rejected':
    case 'failed':
      return 'Failed';
    case 'transferred':
      return 'Transferred';
    case 'replaced':
      return 'Transferred to you';
  }
}
