import { Invitation, Inviter, UserAgent, Web, type Session } from 'sip.js';
import type { LegSnapshot } from '$lib/domain/call-leg';
import type { RegistrationState } from '$lib/domain/registration';
import { callFailureMessage } from '$lib/domain/sip-status';
import type { BridgeState } from '$lib/domain/bridge';
import { AudioBridge } from './audio-bridge';
import { AudioOutput } from './audio-output';
import { CallSession } from './call-session';
import { openMicrophone, MicrophoneError, type MediaPort, type MicSettings } from './local-media';
import { makeLogConnector } from './log-redaction';
import type { PhoneEvent, PhoneEventListener } from './phone-events';
import { resolveWsUrl, type PhoneConfig } from './phone-config';
import { SipLink, type Scheduler } from './sip-link';
import { acceptReplacing, followRefer } from './transferee';
import { Transfers } from './transfers';

/** Everything the phone touches outside itself, wired once in the browser (see `browserPhoneDeps`). */
export interface PhoneDeps {
  media: MediaPort;
  scheduler: Scheduler;
  now(): number;
  pageLocation: Pick<Location, 'protocol' | 'hostname'>;
  audio: AudioOutput;
  /** A Web Audio context for the assisted-payment bridge (created when the bridge is). */
  createAudioContext(): AudioContext;
  log(level: 'warn' | 'error', text: string): void;
}

export interface RegistrationStatus {
  state: RegistrationState;
  detail: string | null;
}

/**
 * The softphone: registers the advisor's extension (and, for advisors, the main-line
 * ring group), takes and makes calls, and coordinates transfers. The only module
 * besides its helpers in this folder that imports SIP.js.
 */
export class Phone {
  readonly legs = new Map<string, CallSession>();
  readonly transfers: Transfers;
  readonly #bridge: AudioBridge;
  #links: SipLink[] = [];
  #personal: SipLink;
  #registration: RegistrationStatus = { state: 'offline', detail: null };
  #listeners = new Set<() => void>();
  #eventListeners = new Set<PhoneEventListener>();
  #mic: MicSettings;

  constructor(
    readonly config: PhoneConfig,
    private readonly deps: PhoneDeps
  ) {
    this.#mic = { deviceId: null, processing: config.micProcessing ?? true };
    const wsUrl = resolveWsUrl(config, deps.pageLocation);
    const sdhFactory = Web.defaultSessionDescriptionHandlerFactory((_constraints) =>
      openMicrophone(this.deps.media, this.#mic)
    );
    const common = {
      domain: config.domain,
      wsUrl,
      displayName: config.displayName,
      logConnector: makeLogConnector(deps.log),
      scheduler: deps.scheduler,
      sdhFactory,
      onInvite: (invitation: Invitation) => this.#onInvite(invitation),
      onState: () => this.#onLinkState()
    };
    this.#personal = new SipLink({ ...common, aor: config.extension, credentials: config.credentials });
    this.#links.push(this.#personal);
    if (config.queueCredentials) {
      this.#links.push(
        new SipLink({ ...common, aor: config.queueCredentials.aor, credentials: config.queueCredentials })
      );
    }
    this.#bridge = new AudioBridge(
      () => deps.createAudioContext(),
      () => this.#changed()
    );
    this.transfers = new Transfers(this, {
      dial: (target, consultation) => this.#dial(target, consultation),
      bridge: (caller, payment) => this.#connectBridge([caller, payment]),
      emit: (e) => this.emit(e),
      changed: () => this.#changed(),
      scheduler: deps.scheduler,
      domain: config.domain
    });
  }

  get registration(): RegistrationStatus {
    return this.#registration;
  }

  /** The assisted-payment bridge: whether the caller and the payment line hear each other. */
  get bridgeState(): BridgeState {
    return this.#bridge.state;
  }

  get micSettings(): MicSettings {
    return this.#mic;
  }

  /** Current legs, oldest first. */
  snapshots(): LegSnapshot[] {
    return [...this.legs.values()].map((l) => l.snapshot);
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onEvent(listener: PhoneEventListener): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  emit(event: PhoneEvent): void {
    for (const l of this.#eventListeners) l(event);
  }

  async start(): Promise<void> {
    await Promise.all(this.#links.map((l) => l.start()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.legs.values()].map((l) => l.hangup().catch(() => undefined)));
    await Promise.all(this.#links.map((l) => l.stop()));
  }

  /** Swaps in fresh ephemeral credentials (the page fetches them before the old ones expire). */
  refreshCredentials(config: PhoneConfig): void {
    this.#personal.updateCredentials(config.credentials);
    if (config.queueCredentials && this.#links[1]) this.#links[1].updateCredentials(config.queueCredentials);
  }

  /** Places an outgoing call. Resolves with the leg at once; its snapshot reports progress and failure. */
  dial(number: string): CallSession {
    return this.#dial(number, false);
  }

  /** The leg the advisor is talking to (not a consultation), if any. */
  get mainLeg(): CallSession | undefined {
    return [...this.legs.values()].find((l) => !l.snapshot.consultation && l.state !== 'ended');
  }

  get consultLeg(): CallSession | undefined {
    return [...this.legs.values()].find((l) => l.snapshot.consultation && l.state !== 'ended');
  }

  /** Opens another microphone and moves every live leg onto it without dropping the call. */
  async selectMicrophone(deviceId: string | null): Promise<void> {
    if (this.#bridge.state !== 'off') throw new Error('Change the microphone once the payment call is over');
    const next = { ...this.#mic, deviceId };
    const live = [...this.legs.values()].filter((l) => l.peerConnection && l.state !== 'ended');
    if (live.length > 0) {
      const stream = await openMicrophone(this.deps.media, next);
      const track = stream.getAudioTracks()[0];
      if (!track) throw new MicrophoneError('NotFoundError');
      for (const leg of live) {
        await leg.replaceMicrophone(track);
        this.emit({ type: 'media-changed', legId: leg.id });
      }
    }
    this.#mic = next;
  }

  async selectSpeaker(deviceId: string): Promise<void> {
    await this.deps.audio.setSink(deviceId);
  }

  /** Drops ended legs from the live list (the UI keeps them in recent calls). */
  forget(legId: string): void {
    if (this.legs.get(legId)?.state === 'ended') {
      this.legs.delete(legId);
      this.#changed();
    }
  }

  #dial(number: string, consultation: boolean): CallSession {
    const target = UserAgent.makeURI(`sip:${number}@${this.config.domain}`);
    if (!target) throw new Error(`Cannot call ${number}`);
    const inviter = new Inviter(this.#personal.userAgent, target, {
      sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } }
    });
    const leg = this.#track(inviter, {
      direction: 'outbound',
      remoteNumber: number,
      remoteName: '',
      recordedLine: false,
      consultation,
      state: 'dialing'
    });
    if (!consultation) this.emit({ type: 'outgoing', legId: leg.id, remoteNumber: number });
    inviter
      .invite({
        requestDelegate: {
          onReject: (response) => {
            const code = response.message.statusCode;
            leg.fail('rejected', callFailureMessage(code, number));
          }
        }
      })
      .catch((error: unknown) => {
        const message =
          error instanceof MicrophoneError ? error.message : callFailureMessage(undefined, number);
        leg.fail('failed', message);
      });
    return leg;
  }

  #onInvite(invitation: Invitation): void {
    const replacee = invitation.replacee;
    const replaced = replacee ? [...this.legs.values()].find((l) => l.session === replacee) : undefined;
    if (!replaced && (this.mainLeg || this.consultLeg)) {
      // One call at a time: busy lets the main line ring a free colleague instead.
      invitation.reject({ statusCode: 486 }).catch(() => undefined);
      return;
    }
    const header = this.config.mainLine.header;
    const marker = invitation.request.getHeader(header);
    const leg = this.#track(invitation, {
      direction: 'inbound',
      remoteNumber: invitation.remoteIdentity.uri.user ?? '',
      remoteName: invitation.remoteIdentity.displayName ?? '',
      recordedLine: Boolean(marker && marker.trim() !== ''),
      consultation: false,
      state: 'ringing'
    });
    invitation.delegate = {
      ...invitation.delegate,
      onCancel: (cancel) => {
        const reason = cancel.request.getHeader('Reason') ?? '';
        leg.expectEnd(/cause=200/.test(reason) ? 'answered-elsewhere' : 'missed');
      }
    };
    this.emit({
      type: 'incoming',
      legId: leg.id,
      recordedLine: leg.snapshot.recordedLine,
      remoteNumber: leg.snapshot.remoteNumber
    });
    // Attended transfer arriving at us: take over the replaced leg's place at once.
    if (replaced) void acceptReplacing(leg, replaced);
  }

  #track(session: Session, init: ConstructorParameters<typeof CallSession>[1]): CallSession {
    const leg = new CallSession(
      session,
      init,
      {
        changed: () => this.#changed(),
        established: (l) => {
          if (l.remoteStream) this.deps.audio.attach(l.id, l.remoteStream);
          this.emit({ type: 'connected', legId: l.id, consultation: l.snapshot.consultation });
        },
        holdChanged: (l, held) => this.emit({ type: held ? 'hold' : 'unhold', legId: l.id }),
        ended: (l) =>
          this.#bridge.afterLegEnded(l, {
            restored: (other) => this.emit({ type: 'media-changed', legId: other.id }),
            gone: () => this.#legEnded(l)
          })
      },
      this.deps.now
    );
    session.delegate = {
      ...session.delegate,
      onRefer: (referral) =>
        followRefer(leg, referral, { track: (s, init) => this.#track(s, init), emit: (e) => this.emit(e) })
    };
    this.legs.set(leg.id, leg);
    this.#changed();
    return leg;
  }

  #legEnded(leg: CallSession): void {
    this.deps.audio.detach(leg.id);
    this.emit({ type: 'ended', legId: leg.id, reason: leg.snapshot.endReason ?? 'remote-hangup' });
    this.transfers.legEnded(leg);
  }

  async #connectBridge(legs: CallSession[]): Promise<void> {
    await this.#bridge.connect(legs);
    for (const leg of legs) if (leg.state !== 'ended') this.emit({ type: 'media-changed', legId: leg.id });
  }

  #onLinkState(): void {
    // The personal registration is what lets the advisor call; the ring group only adds main-line calls.
    const worst = this.#links.find((l) => l.state !== 'registered') ?? this.#personal;
    this.#registration = { state: worst.state, detail: worst.detail };
    this.#changed();
  }

  #changed(): void {
    for (const l of this.#listeners) l();
  }
}
