import { Invitation, Inviter, SessionState, Web, type Core, type Session } from 'sip.js';
import {
  nextLegState,
  type Direction,
  type EndReason,
  type LegEvent,
  type LegSnapshot
} from '$lib/domain/call-leg';
import { isKeypadKey } from '$lib/domain/dial-string';

/** Side effects a leg reports to its phone. */
export interface LegHooks {
  changed(leg: CallSession): void;
  established(leg: CallSession): void;
  ended(leg: CallSession): void;
  /** Hold was asked for (before the re-INVITE), or the leg is live again after resume or a failed hold. */
  holdChanged(leg: CallSession, held: boolean): void;
}

let legCounter = 0;

/** Keypad tone length and gap: long enough for IVRs and for the far end's jitter buffer to play it out. */
const TONE_MS = 200;
const TONE_GAP_MS = 70;

/**
 * One SIP session (dialog) wrapped with the call-leg state machine. It owns the
 * leg's hold, mute, keypad tones and hang-up; transfers are orchestrated by the
 * phone, which sees both legs.
 */
export class CallSession {
  readonly id = `leg-${Date.now().toString(36)}-${++legCounter}`;
  #snapshot: LegSnapshot;

  constructor(
    readonly session: Session,
    init: Pick<LegSnapshot, 'direction' | 'remoteNumber' | 'remoteName' | 'recordedLine' | 'consultation'> & {
      state: 'ringing' | 'dialing';
    },
    private readonly hooks: LegHooks,
    private readonly now: () => number
  ) {
    this.#snapshot = {
      ...init,
      id: this.id,
      muted: false,
      connectedAt: null,
      endedAt: null,
      endReason: null,
      error: null
    };
    session.stateChange.addListener((s) => {
      if (s === SessionState.Established) this.#onEstablished();
      if (s === SessionState.Terminated) {
        // SIP.js terminates an Inviter before its onReject delegate runs: give the
        // rejection one tick to record its status code and message first.
        setTimeout(() => this.end(this.#pendingReason ?? 'remote-hangup'), 0);
      }
    });
  }

  /** Reason to record when SIP.js reports the session terminated. */
  #pendingReason: EndReason | null = null;
  /** The microphone track while the leg sends a bridge mix instead (see {@link sendMix}). */
  #microphone: MediaStreamTrack | null = null;

  get snapshot(): LegSnapshot {
    return this.#snapshot;
  }
  get state() {
    return this.#snapshot.state;
  }
  get direction(): Direction {
    return this.#snapshot.direction;
  }

  /** The WebRTC peer connection, once SIP.js made one. */
  get peerConnection(): RTCPeerConnection | undefined {
    const sdh = this.session.sessionDescriptionHandler;
    return sdh instanceof Web.SessionDescriptionHandler ? sdh.peerConnection : undefined;
  }

  get remoteStream(): MediaStream | undefined {
    const sdh = this.session.sessionDescriptionHandler;
    return sdh instanceof Web.SessionDescriptionHandler ? sdh.remoteMediaStream : undefined;
  }

  /** Marks why the session will terminate, before asking SIP.js to terminate it. */
  expectEnd(reason: EndReason): void {
    this.#pendingReason = reason;
  }

  /** Accepts an incoming call. */
  async answer(): Promise<void> {
    if (!(this.session instanceof Invitation)) throw new Error('Only an incoming call can be answered');
    this.#apply('answer');
    await this.session.accept();
  }

  /** Declines a ringing incoming call (486 Busy Here, so the main line can try others). */
  async decline(statusCode = 486): Promise<void> {
    if (!(this.session instanceof Invitation)) throw new Error('Only an incoming call can be declined');
    this.expectEnd('declined');
    await this.session.reject({ statusCode });
  }

  /** Ends the leg whatever its state: CANCEL while dialing, reject while ringing, BYE once up. */
  async hangup(reason: EndReason = 'local-hangup'): Promise<void> {
    this.expectEnd(reason);
    const s = this.session;
    switch (s.state) {
      case SessionState.Initial:
      case SessionState.Establishing:
        if (s instanceof Inviter) await s.cancel();
        else if (s instanceof Invitation) await s.reject({ statusCode: 486 });
        break;
      case SessionState.Established:
        await s.bye();
        break;
      default:
        break;
    }
  }

  /** Puts the other party on hold (re-INVITE a=sendonly) and stops our media both ways. */
  async hold(): Promise<void> {
    await this.#reinvite(true);
  }

  async resume(): Promise<void> {
    await this.#reinvite(false);
  }

  setMuted(muted: boolean): void {
    this.#snapshot = { ...this.#snapshot, muted };
    this.#enableSenders();
    this.hooks.changed(this);
  }

  /**
   * Sends one keypad tone: RFC 4733 through RTCDTMFSender when the call negotiated
   * telephone-event, else SIP INFO (application/dtmf-relay). The digit is never logged.
   */
  async sendTone(key: string): Promise<void> {
    if (!isKeypadKey(key)) throw new Error('Not a keypad key');
    const sender = this.peerConnection?.getSenders().find((s) => s.track?.kind === 'audio');
    if (sender?.dtmf?.canInsertDTMF) {
      sender.dtmf.insertDTMF(key, TONE_MS, TONE_GAP_MS);
      return;
    }
    await this.session.info({
      requestOptions: {
        body: {
          contentDisposition: 'render',
          contentType: 'application/dtmf-relay',
          content: `Signal=${key}\r\nDuration=${TONE_MS}`
        }
      }
    });
  }

  /** Puts a new microphone track on the leg without renegotiating. */
  async replaceMicrophone(track: MediaStreamTrack): Promise<void> {
    const sender = this.#audioSender();
    if (!sender) return;
    await sender.replaceTrack(track);
    this.#enableSenders();
  }

  /** The advisor's microphone on this leg (under a bridge mix, the track the mix is made from). */
  get microphoneTrack(): MediaStreamTrack | null {
    return this.#microphone ?? this.#audioSender()?.track ?? null;
  }

  /**
   * Sends `mix` instead of the microphone (an assisted-payment bridge), or with null the
   * microphone again; resolves once the sender carries it. Mute still silences the microphone
   * (inside the mix too); hold silences everything the leg sends.
   */
  async sendMix(mix: MediaStreamTrack | null): Promise<void> {
    const sender = this.#audioSender();
    if (!sender) return;
    if (mix) {
      this.#microphone ??= sender.track;
      await sender.replaceTrack(mix);
    } else if (this.#microphone) {
      const microphone = this.#microphone;
      this.#microphone = null;
      await sender.replaceTrack(microphone);
    }
    this.#enableSenders();
  }

  /** Moves the leg to ended once (idempotent), recording why. */
  end(reason: EndReason, error: string | null = null): void {
    if (this.#snapshot.state === 'ended') return;
    this.#snapshot = {
      ...this.#snapshot,
      state: nextLegState(this.#snapshot.state, 'end'),
      endedAt: this.now(),
      endReason: this.#pendingReason ?? reason,
      error: error ?? this.#snapshot.error
    };
    this.hooks.ended(this);
    this.hooks.changed(this);
  }

  /** Records a failure message on a leg that is ending (number not found, busy…). */
  fail(reason: EndReason, error: string): void {
    this.#pendingReason = reason;
    this.#snapshot = { ...this.#snapshot, error };
    this.end(reason, error);
  }

  #onEstablished(): void {
    if (this.#snapshot.state === 'connected') return;
    this.#apply('established');
    this.#snapshot = { ...this.#snapshot, connectedAt: this.now() };
    this.hooks.established(this);
    this.hooks.changed(this);
  }

  async #reinvite(hold: boolean): Promise<void> {
    this.#apply(hold ? 'hold' : 'resume');
    if (hold) this.hooks.holdChanged(this, true);
    const options = this.session
      .sessionDescriptionHandlerOptionsReInvite as Web.SessionDescriptionHandlerOptions;
    const next: Web.SessionDescriptionHandlerOptions = { ...options, hold };
    this.session.sessionDescriptionHandlerOptionsReInvite = next;
    await new Promise<void>((resolve, reject) => {
      const fail = (why: string) => {
        if (this.#snapshot.state === (hold ? 'holding' : 'resuming'))
          this.#apply(hold ? 'hold-failed' : 'resume-failed');
        reject(new Error(why));
      };
      this.session
        .invite({
          requestDelegate: {
            onAccept: () => {
              if (this.#snapshot.state === 'ended') return resolve();
              this.#apply(hold ? 'held' : 'resumed');
              this.#enableSenders();
              this.#enableReceivers(!hold);
              if (!hold) this.hooks.holdChanged(this, false);
              resolve();
            },
            onReject: (response: Core.IncomingResponse) =>
              fail(
                `The phone system refused to ${hold ? 'hold' : 'resume'} the call (${response.message.statusCode})`
              )
          }
        })
        .catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
    });
  }

  #enableSenders(): void {
    const live = this.#snapshot.state === 'connected';
    const speaking = !this.#snapshot.muted;
    for (const sender of this.peerConnection?.getSenders() ?? []) {
      if (sender.track) sender.track.enabled = live && (speaking || this.#microphone !== null);
    }
    if (this.#microphone) this.#microphone.enabled = speaking;
  }

  #audioSender(): RTCRtpSender | undefined {
    return this.peerConnection?.getSenders().find((s) => s.track?.kind === 'audio' || s.track === null);
  }

  #enableReceivers(on: boolean): void {
    for (const receiver of this.peerConnection?.getReceivers() ?? []) receiver.track.enabled = on;
  }

  #apply(event: LegEvent): void {
    this.#snapshot = { ...this.#snapshot, state: nextLegState(this.#snapshot.state, event) };
    this.hooks.changed(this);
  }
}

/** The SIP status code of a rejected INVITE, if the error carries one. */
export function statusOf(response: Core.IncomingResponse | undefined): number | undefined {
  return response?.message.statusCode;
}
