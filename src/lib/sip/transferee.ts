import type { Referral, Session } from 'sip.js';
import type { CallSession } from './call-session';
import type { PhoneEvent } from './phone-events';

/** What the transferee side needs of the phone. */
export interface TransfereeDeps {
  /** Wraps a new SIP session in a leg the phone follows. */
  track(session: Session, init: ConstructorParameters<typeof CallSession>[1]): CallSession;
  emit(event: PhoneEvent): void;
}

/** We are the transferee: accept the REFER, call the target, and hang up the old leg (no NOTIFY needed). */
export function followRefer(leg: CallSession, referral: Referral, deps: TransfereeDeps): void {
  referral
    .accept()
    .then(() => {
      const inviter = referral.makeInviter();
      const next = deps.track(inviter, {
        direction: 'outbound',
        remoteNumber: inviter.remoteIdentity.uri.user ?? '',
        remoteName: '',
        recordedLine: false,
        consultation: false,
        state: 'dialing'
      });
      deps.emit({ type: 'outgoing', legId: next.id, remoteNumber: next.snapshot.remoteNumber });
      void leg.hangup('transferred');
      return inviter.invite().catch(() => next.fail('failed', 'The transfer could not be connected'));
    })
    .catch(() => undefined);
}

/** An attended transfer arriving at us (INVITE with Replaces): answer it and drop the replaced leg. */
export async function acceptReplacing(leg: CallSession, replaced: CallSession): Promise<void> {
  try {
    await leg.answer();
    await replaced.hangup('replaced');
  } catch (error) {
    leg.fail('failed', error instanceof Error ? error.message : 'Transfer could not be accepted');
  }
}
