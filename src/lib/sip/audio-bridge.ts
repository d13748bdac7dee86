import { conferenceMixes, nextBridgeState, type BridgeEvent, type BridgeState } from '$lib/domain/bridge';
import type { CallSession } from './call-session';

/**
 * The assisted-payment bridge (state machine and mix plan in `$lib/domain/bridge`): one Web
 * Audio graph in which each bridged leg's outgoing track is the advisor's microphone plus
 * the other legs' incoming audio, put on the leg with `RTCRtpSender.replaceTrack` (no
 * renegotiation). The advisor hears every leg through the phone's usual audio output.
 * Releasing puts the plain microphone back on every surviving leg before it resolves.
 */
export class AudioBridge {
  #state: BridgeState = 'off';
  #context: AudioContext | null = null;
  #legs: CallSession[] = [];
  /** The mixed tracks the legs send while bridged; stopped once the legs send the microphone again. */
  #mixes: MediaStreamTrack[] = [];
  #releasing: Promise<void> | null = null;

  constructor(
    private readonly createContext: () => AudioContext,
    private readonly changed: () => void,
    private readonly streamOf: (track: MediaStreamTrack) => MediaStream = (t) => new MediaStream([t])
  ) {}

  get state(): BridgeState {
    return this.#state;
  }

  /** True while `legId` is (being) bridged or is still being released. */
  includes(legId: string): boolean {
    return this.#state !== 'off' && this.#legs.some((l) => l.id === legId);
  }

  /** Bridges `legs` (the first one's microphone is the advisor's); rejects and releases on failure. */
  async connect(legs: CallSession[]): Promise<void> {
    const plans = conferenceMixes(legs.map((l) => l.id));
    this.#fire('connect');
    this.#legs = legs;
    try {
      const microphone = legs[0]?.microphoneTrack;
      if (!microphone) throw new Error('The microphone is not available to connect the calls');
      const context = (this.#context = this.createContext());
      await context.resume();
      const mic = context.createMediaStreamSource(this.streamOf(microphone));
      const remotes = new Map<string, MediaStreamAudioSourceNode>();
      for (const leg of legs) {
        const stream = leg.remoteStream;
        if (!stream) throw new Error('A call has no audio to connect');
        remotes.set(leg.id, context.createMediaStreamSource(stream));
      }
      const mixes = plans.map((plan) => {
        const out = context.createMediaStreamDestination();
        for (const source of plan.sources) {
          (source.kind === 'microphone' ? mic : remotes.get(source.legId))?.connect(out);
        }
        const track = out.stream.getAudioTracks()[0];
        if (track) this.#mixes.push(track);
        return { leg: legs.find((l) => l.id === plan.legId), track };
      });
      if (this.#state !== 'connecting') return;
      await Promise.all(mixes.map(({ leg, track }) => leg?.sendMix(track ?? null)));
      if (this.#state === 'connecting') this.#fire('connected');
    } catch (error) {
      if (this.#state === 'connecting') {
        this.#fire('failed');
        await this.#teardown();
      }
      throw error;
    }
  }

  /**
   * A leg ended. Not bridged: `gone` runs at once. Bridged: the bridge is released first, `restored` runs
   * for each leg still up (it sends the plain microphone again), and only then `gone`: whoever hears that
   * the leg is gone (the recorder above all, which takes what the legs send and may resume as soon as a
   * payment leg is gone) must find no mix left.
   */
  afterLegEnded(leg: CallSession, then: { restored(other: CallSession): void; gone(): void }): void {
    if (!this.includes(leg.id)) return then.gone();
    const others = this.#legs.filter((l) => l !== leg);
    void this.release().then(() => {
      for (const other of others) if (other.state !== 'ended') then.restored(other);
      then.gone();
    });
  }

  /** Every bridged leg sends its plain microphone again; resolves once it does. Idempotent. */
  release(): Promise<void> {
    if (this.#state === 'off') return Promise.resolve();
    if (this.#releasing) return this.#releasing;
    this.#fire('release');
    return this.#teardown();
  }

  #teardown(): Promise<void> {
    this.#releasing = (async () => {
      // A leg that has ended rejects replaceTrack: nothing is sent on it any more anyway.
      await Promise.all(this.#legs.map((l) => l.sendMix(null).catch(() => undefined)));
      for (const track of this.#mixes) track.stop();
      await this.#context?.close().catch(() => undefined);
      this.#context = null;
      this.#legs = [];
      this.#mixes = [];
      this.#releasing = null;
      this.#fire('released');
    })();
    return this.#releasing;
  }

  #fire(event: BridgeEvent): void {
    this.#state = nextBridgeState(this.#state, event);
    this.changed();
  }
}
