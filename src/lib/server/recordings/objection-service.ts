import type { RecordingRecord } from '../repositories/recording-repository';
import { findUserById } from '../repositories/user-repository';
import { eraseRecording, type EraseOutcome } from './erase-service';
import type { RecordingContext } from './recording-context';

/**
 * The caller objected to being recorded (DESIGN rule 6): the advisor's browser, holding the
 * recording's upload token, asks for its audio to be deleted. The recording is erased for
 * real like a DPO erasure (audio files and personal data gone, tombstone left) and the
 * decision, not the audio, is kept in the audit log as a `recording.erase` with reason
 * "caller objected". A recording under legal hold is refused like any erasure.
 * @throws RecordingError legal_hold
 */
export function recordObjection(ctx: RecordingContext, recording: RecordingRecord): Promise<EraseOutcome> {
  return eraseRecording(ctx, recording.id, {
    reason: 'caller objected to being recorded',
    reference: 'objection',
    // The upload token stands for the recording's advisor: the audit row names them like any other actor.
    actor: {
      id: recording.advisorId,
      name: findUserById(ctx.db, recording.advisorId)?.username ?? null,
      role: 'advisor'
    }
  });
}
