import { UserAgent, type Notification } from 'sip.js';
import { referProgress } from '$lib/domain/refer-progress';
import { transferFailureMessage, transferOutcomeFailureMessage } from '$lib/domain/sip-status';
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
  /** Mixes the caller and the payment leg so each hears the other and the advisor (assisted payment). */
  bridge(caller: CallSession, payment: CallSession): Promise<void>;
  emit(event: PhoneEvent): void;
  changed(): void;
  scheduler: Scheduler;
  domain: string;
}

/** How long the consultation leg may stay up after a completed attended transfer before we hang it up. */
const REPLACES_GRACE_MS = 15_000;

/**
 * Blind transfer, attended transfer (consult, complete, cancel), the payment line and
 * assisted payment, driven by the transfer state machine. SIP.js sends no NOTIFY after
 * following a REFER, so a 2xx to the REFER completes most transfers from our side. A
 * payment transfer keeps the caller's leg until the transferee's NOTIFY says whether the
 * payment line took the call (or the transferee hangs the leg up): if it did not, the
 * caller is back with the advisor and the policy hears `transfer-failed` with the status.
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
    await this.#refer(leg, this.#uri(target), kind, kind === 'payment');
  }

  /**
   * Assisted payment: the advisor stays while the caller pays. Recording pauses (payment) before
   * anything leaves the browser, then the caller is held and the payment line is called as a
   * consultation; {@link connectCaller} later lets the caller and the payment line hear each other.
   */
  async assistedPayment(target: string): Promise<void> {
    const leg = this.#requireMain();
    this.#begin('consult', 'payment');
    this.deps.emit({ type: 'consultation-started', legId: leg.id, target, kind: 'payment' });
    this.deps.emit({ type: 'transfer-requested', legId: leg.id, target, kind: 'payment' });
    try {
      if (leg.state === 'connected') await leg.hold();
    } catch (error) {
      // Nothing was dialled: the consultation never existed.
      this.#fire('cancel');
      this.deps.emit({ type: 'consultation-ended', legId: leg.id });
      throw error;
    }
    this.deps.dial(target, true);
  }

  /** Assisted payment: takes the caller off hold and bridges them with the answered payment line. */
  async connectCaller(): Promise<void> {
    const leg = this.#requireMain();
    const payment = this.phone.consultLeg;
    if (this.#kind !== 'payment' || this.#state !== 'consulting') {
      throw new Error('There is no payment call to connect the caller to');
    }
    if (!payment || payment.state !== 'connected') {
      throw new Error('The payment line must answer before the caller can be connected');
    }
    if (leg.state === 'held') await leg.resume();
    await this.deps.bridge(leg, payment);
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
      // The caller left during an assisted payment: the payment call has no one left to serve.
      if (this.#state === 'consulting' && this.#kind === 'payment') {
        void this.phone.consultLeg?.hangup('local-hangup').catch(() => undefined);
      }
      this.#reset();
    }
  }

  /**
   * Sends the REFER. With `awaitOutcome` a 2xx only means the transferee will try: the caller's leg
   * stays until a NOTIFY reports the outcome (or the transferee hangs up).
   */
  #refer(
    leg: CallSession,
    to: ReturnType<typeof UserAgent.makeURI> | CallSession,
    kind: TransferKind,
    awaitOutcome = false
  ): Promise<void> {
    const target = to instanceof Object && 'session' in to ? to.session : to;
    if (!target) throw new Error('Invalid transfer target');
    return new Promise<void>((resolve) => {
      const rejected = (statusCode: number | undefined, message = transferFailureMessage(statusCode)) => {
        this.#error = message; // before the state change, so the page reads it with the new state
        this.#fire('rejected');
        this.deps.emit({ type: 'transfer-failed', legId: leg.id, kind, statusCode });
        resolve();
      };
      const completed = () => {
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
      };
      // A NOTIFY may overtake the REFER's 2xx through the proxy: a final one proves the 2xx.
      const referred = () => {
        if (this.#state === 'blind-requested') this.#fire('referred');
        resolve();
      };
      const onNotify = (notification: Notification) => {
        void notification.accept().catch(() => undefined);
        const message = notification.request;
        const progress = referProgress(message.getHeader('Event'), message.body);
        if (!progress || progress.outcome === 'trying') return;
        if (this.#state === 'blind-requested') referred();
        if (this.#state !== 'awaiting-outcome') return;
        if (progress.outcome === 'succeeded') completed();
        else rejected(progress.statusCode, transferOutcomeFailureMessage(progress.statusCode));
      };
      leg.session
        .refer(target, {
          ...(awaitOutcome ? { onNotify } : {}),
          requestDelegate: {
            onAccept: () => (awaitOutcome ? referred() : completed()),
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
