import { getContext, setContext } from 'svelte';
import type { BridgeState } from '$lib/domain/bridge';
import type { LegSnapshot } from '$lib/domain/call-leg';
import { parseDialString } from '$lib/domain/dial-string';
import { describeRegistration } from '$lib/domain/registration';
import { addRecentCall, type RecentCall } from '$lib/domain/recent-calls';
import type { TransferKind, TransferState } from '$lib/domain/transfer';
import { AudioOutput } from '$lib/sip/audio-output';
import type { CallSession } from '$lib/sip/call-session';
import type { Phone, RegistrationStatus } from '$lib/sip/phone';
import type { PhoneConfig } from '$lib/sip/phone-config';
import { openMicrophone } from '$lib/sip/local-media';
import { notifyIncomingCall, Ringtone } from '$lib/ui/ringtone';

/** Loads the phone configuration; rejects with a readable message. */
export type ConfigLoader = () => Promise<PhoneConfig>;
/** Builds the phone; injected so the state can be exercised without a PBX. */
export type PhoneFactory = (config: PhoneConfig) => Phone;

const KEY = Symbol('phone-state');

/**
 * The advisor page's reactive view of the phone. It copies snapshots out of the
 * {@link Phone} whenever it changes, funnels every failure into `error`, and keeps
 * the recent-calls list in memory only.
 */
export class PhoneState {
  registration = $state<RegistrationStatus>({ state: 'offline', detail: null });
  legs = $state<LegSnapshot[]>([]);
  transfer = $state<{ state: TransferState; kind: TransferKind | null; error: string | null }>({
    state: 'idle',
    kind: null,
    error: null
  });
  /** Assisted payment: whether the caller and the payment line are connected to each other. */
  bridge = $state<BridgeState>('off');
  recent = $state<RecentCall[]>([]);
  error = $state<string | null>(null);
  now = $state(Date.now());
  microphones = $state<MediaDeviceInfo[]>([]);
  speakers = $state<MediaDeviceInfo[]>([]);
  config = $state<PhoneConfig | null>(null);
  /** Whether the browser may show a notification for a call that rings while the tab is hidden. */
  notifications = $state<NotificationPermission | 'unsupported'>(
    typeof Notification === 'undefined' ? 'unsupported' : Notification.permission
  );
  phone: Phone | null = null;
  #ringtone = new Ringtone();
  #timers: ReturnType<typeof setInterval>[] = [];

  readonly statusText = $derived(this.#describe());
  readonly ringing = $derived(this.legs.find((l) => l.state === 'ringing') ?? null);
  readonly main = $derived(
    this.legs.find((l) => !l.consultation && l.state !== 'ended' && l.state !== 'ringing') ?? null
  );
  readonly consult = $derived(this.legs.find((l) => l.consultation && l.state !== 'ended') ?? null);

  constructor(
    private readonly loadConfig: ConfigLoader,
    private readonly makePhone: PhoneFactory
  ) {}

  /** Fetches credentials, checks the microphone, registers. */
  async start(): Promise<void> {
    try {
      const config = await this.loadConfig();
      this.config = config;
      const phone = this.makePhone(config);
      this.phone = phone;
      phone.onChange(() => this.#sync());
      phone.onEvent((e) => {
        if (e.type === 'incoming') this.#announce(e.remoteNumber);
        if (e.type === 'ended') this.#remember(e.legId);
      });
      this.#timers.push(setInterval(() => (this.now = Date.now()), 1000));
      this.#scheduleRefresh(config);
      await this.#checkMicrophone(config);
      await phone.start();
    } catch (error) {
      this.fail(error);
    }
  }

  async stop(): Promise<void> {
    for (const t of this.#timers) clearInterval(t);
    this.#ringtone.stop();
    await this.phone?.stop();
  }

  /** The one funnel for errors shown to the advisor. */
  fail(error: unknown): void {
    this.error = error instanceof Error ? error.message : String(error);
  }

  /** Asks the browser for notification permission (must follow a click). */
  async enableNotifications(): Promise<void> {
    if (typeof Notification === 'undefined') return;
    this.notifications = await Notification.requestPermission();
  }

  dismissError(): void {
    this.error = null;
  }

  /** Runs an action, sending any failure to the error funnel. */
  async run(action: (phone: Phone) => Promise<unknown> | unknown): Promise<void> {
    if (!this.phone) return;
    try {
      this.error = null;
      await action(this.phone);
    } catch (error) {
      this.fail(error);
    }
    this.#sync();
  }

  dial(input: string): Promise<void> {
    const parsed = parseDialString(input);
    if (!parsed.ok) {
      this.error = parsed.error;
      return Promise.resolve();
    }
    return this.run((p) => p.dial(parsed.number));
  }

  answer = () => this.run((p) => this.#leg(p, this.ringing?.id).answer());
  decline = () => this.run((p) => this.#leg(p, this.ringing?.id).decline());
  hangup = () =>
    this.run((p) => {
      const id = this.consult?.id ?? this.main?.id ?? this.ringing?.id;
      return this.#leg(p, id).hangup();
    });
  toggleMute = () => this.run((p) => this.#leg(p, this.main?.id).setMuted(!this.main?.muted));
  hold = () => this.run((p) => this.#leg(p, this.main?.id).hold());
  resume = () => this.run((p) => this.#leg(p, this.main?.id).resume());
  sendTone = (key: string) => this.run((p) => this.#leg(p, this.consult?.id ?? this.main?.id).sendTone(key));
  blindTransfer = (target: string) => this.#withTarget(target, (p, t) => p.transfers.blind(t));
  consultTransfer = (target: string) => this.#withTarget(target, (p, t) => p.transfers.consult(t));
  completeTransfer = () => this.run((p) => p.transfers.complete());
  cancelTransfer = () => this.run((p) => p.transfers.cancel());
  paymentLine = () => this.run((p) => p.transfers.blind(this.#paymentTarget(), 'payment'));
  assistedPayment = () => this.run((p) => p.transfers.assistedPayment(this.#paymentTarget()));
  connectCallerToPayment = () => this.run((p) => p.transfers.connectCaller());
  endPaymentCall = () => this.run((p) => p.transfers.cancel());
  selectMicrophone = (id: string) => this.run((p) => p.selectMicrophone(id || null));
  selectSpeaker = (id: string) => this.run((p) => p.selectSpeaker(id));

  #withTarget(input: string, action: (p: Phone, target: string) => Promise<void>): Promise<void> {
    const parsed = parseDialString(input);
    if (!parsed.ok) {
      this.error = parsed.error;
      return Promise.resolve();
    }
    return this.run((p) => action(p, parsed.number));
  }

  #paymentTarget(): string {
    const target = this.config?.paymentTargets[0];
    if (!target) throw new Error('No payment line is configured');
    return target;
  }

  #leg(phone: Phone, id: string | undefined): CallSession {
    const leg = id ? phone.legs.get(id) : undefined;
    if (!leg) throw new Error('There is no call for that');
    return leg;
  }

  #sync(): void {
    const phone = this.phone;
    if (!phone) return;
    this.registration = phone.registration;
    this.legs = phone.snapshots();
    const transferError = phone.transfers.error;
    if (transferError && transferError !== this.transfer.error) this.error = transferError;
    this.transfer = { state: phone.transfers.state, kind: phone.transfers.kind, error: transferError };
    this.bridge = phone.bridgeState;
    if (this.legs.some((l) => l.state === 'ringing')) this.#ringtone.start();
    else this.#ringtone.stop();
  }

  #remember(legId: string): void {
    const leg = this.phone?.legs.get(legId)?.snapshot;
    if (!leg) return;
    if (leg.error) this.error = leg.error;
    const startedAt = leg.connectedAt ?? leg.endedAt ?? Date.now();
    this.recent = addRecentCall(this.recent, {
      id: leg.id,
      direction: leg.direction,
      remoteNumber: leg.remoteNumber,
      startedAt,
      durationMs: leg.connectedAt && leg.endedAt ? leg.endedAt - leg.connectedAt : 0,
      outcome: leg.endReason ?? 'remote-hangup'
    });
    // Keep the ended leg visible briefly only through recent calls.
    this.phone?.forget(legId);
  }

  #announce(from: string): void {
    notifyIncomingCall(document, from, () => undefined);
  }

  async #checkMicrophone(config: PhoneConfig): Promise<void> {
    try {
      const stream = await openMicrophone(navigator.mediaDevices, {
        deviceId: null,
        processing: config.micProcessing ?? true
      });
      for (const t of stream.getTracks()) t.stop();
      await this.#listDevices();
    } catch (error) {
      this.fail(error);
    }
  }

  async #listDevices(): Promise<void> {
    const all = await navigator.mediaDevices.enumerateDevices();
    this.microphones = all.filter((d) => d.kind === 'audioinput');
    this.speakers = all.filter((d) => d.kind === 'audiooutput');
  }

  #scheduleRefresh(config: PhoneConfig): void {
    const msLeft = Date.parse(config.credentials.expiresAt) - Date.now();
    const delay = Math.max(60_000, msLeft * 0.8);
    const timer = setTimeout(() => {
      this.loadConfig()
        .then((fresh) => {
          this.config = fresh;
          this.phone?.refreshCredentials(fresh);
          this.#scheduleRefresh(fresh);
        })
        .catch((error: unknown) => this.fail(error));
    }, delay);
    this.#timers.push(timer as unknown as ReturnType<typeof setInterval>);
  }

  #describe(): string {
    const ringing = this.ringing;
    if (ringing)
      return `Incoming call from ${ringing.remoteNumber}${ringing.recordedLine ? ' on the main line' : ''}`;
    const consult = this.consult;
    if (consult && this.transfer.kind === 'payment') {
      if (consult.state === 'dialing') return 'Calling the payment line…';
      return this.bridge === 'bridged'
        ? 'Caller connected to the payment line'
        : 'On the payment line; caller on hold';
    }
    if (consult)
      return consult.state === 'dialing'
        ? `Calling ${consult.remoteNumber} to consult…`
        : `Consulting ${consult.remoteNumber}; caller on hold`;
    const main = this.main;
    if (main && this.transfer.state === 'awaiting-outcome')
      return 'Putting the caller through to the payment line…';
    if (main) {
      if (main.state === 'dialing') return `Calling ${main.remoteNumber}…`;
      if (main.state === 'held' || main.state === 'holding') return `Call with ${main.remoteNumber} on hold`;
      return `On a call with ${main.remoteNumber}${main.muted ? ', muted' : ''}`;
    }
    return this.registration.detail ?? describeRegistration(this.registration.state);
  }
}

export function setPhoneState(state: PhoneState): PhoneState {
  return setContext(KEY, state);
}

export function getPhoneState(): PhoneState {
  return getContext<PhoneState>(KEY);
}

/** Real side effects for the browser, wired in one place. */
export function browserPhoneDeps() {
  return {
    media: navigator.mediaDevices,
    scheduler: {
      setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
      clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>),
      random: Math.random
    },
    now: () => Date.now(),
    pageLocation: location,
    audio: new AudioOutput(document),
    createAudioContext: () => new AudioContext(),
    log: (level: 'warn' | 'error', text: string) =>
      level === 'error' ? console.error(text) : console.warn(text)
  };
}
