import { UserAgent } from 'sip.js';
import { transferFailureMessage } from '$lib/domain/sip-status';
import {
  nextTransferState,
  type TransferEvent,
  type TransferKind,
  type TransferState
} from '$lib/domain/transfer';
import type { CallSession } from './call-session';
import type { PhoneEvent } from './phone-events';
import type { Scheduler } from './sip-link';

interface PhoneView {
  readonly mainLeg: CallSession | undefined;
  readonly consultLeg: CallSession | undefined;
}

interface TransferDeps {
  dial(target: string, consultation: boolean): CallSession;
  emit(event: PhoneEvent): void;
  changed(): void;
  scheduler: Scheduler;
  domain: string;
}

/** How long the consultation leg may stay up after a completed attended transfer before we hang it up. */
const REPLACES_GRACE_MS = 15_000;

/**
 * Blind transfer, attended transfer (consult, complete, cancel) and the payment line,
 * driven by the transfer state machine. SIP.js sends no NOTIFY after following a
 * REFER, so a 2xx to the REFER completes the transfer from our side.
 */
export class Transfers {
  #state: TransferState = 'idle';
  #kind: TransferKind | null = null;
  #error: string | null = null;

  constructor(
    private readonly phone: PhoneView,
    private readonly deps: TransferDeps
  ) {}

  get state(): TransferState {
    return this.#state;
  }
  get kind(): TransferKind | null {
    return this.#kind;
  }
  /** The last transfer failure, to show the advisor; cleared by the next attempt. */
  get error(): string | null {
    return this.#error;
  }

  /** Blind transfer (REFER) of the current call to `target`; `kind` 'payment' for the payment line. */
  async blind(target: string, kind: 'blind' | 'payment' = 'blind'): Promise<void> {
    const leg = this.#requireMain();
    this.#begin('blind', kind);
    this.deps.emit({ type: 'transfer-requested', legId: leg.id, target, kind });
    await this.#refer(leg, this.#uri(target), kind);
  }

  /** Puts the caller on hold and calls `target` on a consultation leg. */
  async consult(target: string, kind: 'attended' | 'payment' = 'attended'): Promise<void> {
    const leg = this.#requireMain();
    this.#begin('consult', kind);
    // The caller must not hear the consultation: hold first.
    if (leg.state === 'connected') await leg.hold();
    this.deps.emit({ type: 'consultation-started', legId: leg.id, target, kind });
    this.deps.emit({ type: 'transfer-requested', legId: leg.id, target, kind });
    this.deps.dial(target, true);
  }

  /** Completes an attended transfer: REFER with Replaces to the caller. */
  async complete(): Promise<void> {
    const leg = this.#requireMain();
    const consult = this.phone.consultLeg;
    if (!consult || consult.state !== 'connected') {
      throw new Error('The colleague must answer before the transfer can be completed');
    }
    this.#fire('complete');
    await this.#refer(leg, consult, this.#kind ?? 'attended');
  }

  /** Abandons the consultation and brings the caller back. */
  async cancel(): Promise<void> {
    const consult = this.phone.consultLeg;
    this.#fire('cancel');
    if (consult) await consult.hangup('local-hangup');
    const leg = this.phone.mainLeg;
    if (leg?.state === 'held') await leg.resume();
  }

  /** Called by the phone for every leg that ends. */
  legEnded(leg: CallSession): void {
    if (leg.snapshot.consultation) {
      this.deps.emit({ type: 'consultation-ended', legId: leg.id });
      if (this.#state === 'consulting' || this.#state === 'completing') {
        if (this.#state === 'consulting' && leg.snapshot.error) this.#error = leg.snapshot.error;
        this.#fire('consult-ended');
      }
    } else if (this.#state === 'transferred' || !this.phone.mainLeg) {
      this.#reset();
    }
  }

  #refer(
    leg: CallSession,
    to: ReturnType<typeof UserAgent.makeURI> | CallSession,
    kind: TransferKind
  ): Promise<void> {
    const target = to instanceof Object && 'session' in to ? to.session : to;
    if (!target) throw new Error('Invalid transfer target');
    return new Promise<void>((resolve) => {
      const rejected = (statusCode: number | undefined) => {
        this.#fire('rejected');
        this.#error = transferFailureMessage(statusCode);
        this.deps.emit({ type: 'transfer-failed', legId: leg.id, kind, statusCode });
        resolve();
      };
      leg.session
        .refer(target, {
          requestDelegate: {
            onAccept: () => {
              this.#fire('accepted');
              this.deps.emit({ type: 'transfer-accepted', legId: leg.id, kind });
              void leg.hangup('transferred').catch(() => undefined);
              const consult = this.phone.consultLeg;
              if (consult) {
                consult.expectEnd('transferred');
                this.deps.scheduler.setTimeout(
                  () => void consult.hangup('transferred').catch(() => undefined),
                  REPLACES_GRACE_MS
                );
              }
              resolve();
            },
            onReject: (response) => rejected(response.message.statusCode)
          }
        })
        .catch(() => rejected(undefined));
    });
  }

  #requireMain(): CallSession {
    const leg = this.phone.mainLeg;
    if (!leg || (leg.state !== 'connected' && leg.state !== 'held')) {
      throw new Error('There is no connected call to transfer');
    }
    return leg;
  }

  #uri(target: string) {
    const uri = UserAgent.makeURI(`sip:${target}@${this.deps.domain}`);
    if (!uri) throw new Error(`Cannot transfer to ${target}`);
    return uri;
  }

  #begin(event: 'blind' | 'consult', kind: TransferKind): void {
    if (this.#state === 'transferred') this.#reset();
    this.#error = null;
    this.#kind = kind;
    this.#fire(event);
  }

  #fire(event: TransferEvent): void {
    this.#state = nextTransferState(this.#state, event);
    if (this.#state === 'idle' && event !== 'rejected') this.#kind = null;
    this.deps.changed();
  }

  #reset(): void {
    this.#state = 'idle';
    this.#kind = null;
    this.deps.changed();
  }
}
