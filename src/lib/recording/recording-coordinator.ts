import { reducePolicyFailClosed, initialPolicyState } from '$lib/domain/recording-policy';
import { policyEventFromPhoneEvent } from '$lib/domain/recording-policy-adapter';
import type {
  PolicyConfig,
  PolicyEvent,
  PolicyRefusal,
  PolicyState,
  RecordingStatus,
  TimelineEvent
} from '$lib/domain/recording-policy-types';
import { uuidV7 } from '$lib/domain/uuid-v7';
import type { OutboxStore } from '$lib/outbox/outbox-types';
import type { PhoneEvent } from '$lib/sip/phone-events';
import { CaptureSession, type RecorderLike } from './capture-session';

/** What the coordinator reads of the phone: its events and the live legs' media. */
export interface PhoneView {
  onEvent(listener: (e: PhoneEvent) => void): () => void;
  readonly legs: ReadonlyMap<string, { readonly peerConnection?: RTCPeerConnection; readonly state: string }>;
}

export interface RecordingDeps {
  store: OutboxStore;
  createRecorder(): RecorderLike;
  /** New data is in the outbox: try uploading now. */
  kickUpload(): void;
  now(): number;
  randomBytes(n: number): Uint8Array;
  policy: PolicyConfig;
  /** The one error funnel of the page. */
  onProblem(message: string): void;
  /** The advisor's user id, kept on the timeline for manual actions and objections. */
  actor: string;
}

interface CallContext {
  legId: string;
  remoteNumber: string;
  direction: 'inbound' | 'outbound';
  line: string;
  policy: PolicyState;
  capturing: boolean;
  /** Whether capture ever ran: a call that rang but never connected leaves no recording. */
  everCaptured: boolean;
  /** The call's own leg has ended: the next incoming or outgoing call is a new call. */
  legEnded: boolean;
  capture: CaptureSession | null;
}

/**
 * Follows the calls of one phone and drives capture from the recording policy: the
 * phone's events become policy events, the policy decides whether capture runs, and
 * every decision lands on the recording's timeline. Events are handled synchronously,
 * so a pause ordered by `transfer-requested` reaches the capture worklet before the
 * REFER leaves the browser.
 */
export class RecordingCoordinator {
  #call: CallContext | null = null;
  #status: RecordingStatus = { state: 'not-recorded', reason: 'no-call' };
  #listeners = new Set<(s: RecordingStatus) => void>();

  constructor(
    private readonly phone: PhoneView,
    private readonly deps: RecordingDeps
  ) {
    phone.onEvent((e) => this.#onPhoneEvent(e));
  }

  get status(): RecordingStatus {
    return this.#status;
  }

  onChange(listener: (s: RecordingStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The advisor marked that the caller objects: capture stops and the call's audio is deleted everywhere. */
  callerObjected(): PolicyRefusal | null {
    return this.#feed({ type: 'caller-objected', at: this.deps.now(), actor: this.deps.actor });
  }

  manualPause(): PolicyRefusal | null {
    return this.#feed({ type: 'manual-pause', at: this.deps.now(), actor: this.deps.actor });
  }

  manualResume(): PolicyRefusal | null {
    return this.#feed({ type: 'manual-resume', at: this.deps.now(), actor: this.deps.actor });
  }

  /** The page is going away (pagehide): fail closed, the recording ends with a gap. */
  pageHidden(): void {
    this.#feed({ type: 'uncertain', at: this.deps.now(), cause: 'page-hide' });
  }

  #onPhoneEvent(e: PhoneEvent): void {
    // A finished call's policy may rest in `not-recorded` (direct dial, objection), not only `ended`:
    // once its leg is gone, the next call starts afresh, or it would inherit that "not recorded".
    if (
      (e.type === 'incoming' || e.type === 'outgoing') &&
      (!this.#call || this.#call.legEnded || this.#call.policy.phase === 'ended')
    ) {
      this.#call = {
        legId: e.legId,
        remoteNumber: e.remoteNumber,
        direction: e.type === 'incoming' ? 'inbound' : 'outbound',
        line:
          e.type === 'incoming' && e.recordedLine ? 'main' : e.type === 'incoming' ? 'direct' : 'outbound',
        policy: initialPolicyState(),
        capturing: false,
        everCaptured: false,
        legEnded: false,
        capture: null
      };
    }
    const call = this.#call;
    if (!call) return;
    if (e.type === 'media-changed' || e.type === 'connected' || e.type === 'consultation-ended') {
      call.capture?.syncSources(this.phone.legs);
    }
    if (e.type === 'ended' && e.legId === call.legId) call.legEnded = true;
    const event = policyEventFromPhoneEvent(e, { at: this.deps.now(), callLegId: call.legId });
    if (event) this.#feed(event);
    if (e.type === 'ended' && e.legId !== call.legId) call.capture?.syncSources(this.phone.legs);
  }

  #feed(event: PolicyEvent): PolicyRefusal | null {
    const call = this.#call;
    if (!call) return null;
    const step = reducePolicyFailClosed(call.policy, event, this.deps.policy);
    if (step.refusal) return step.refusal;
    if (step.fault) this.deps.onProblem(`Recording stopped to be safe: ${step.fault}`);
    call.policy = step.state;
    const was = call.capturing;
    call.capturing = step.capturing;
    // Warm up the capture pipeline (audio context, worklet, encoder worker) while the call rings, paused,
    // so recording begins the moment it connects instead of after the pipeline has loaded.
    if (step.status.state === 'pending' && !call.capture) this.#prepare(call, event.at);
    if (step.capturing && !was) this.#startOrResume(call, event.at);
    if (step.capturing) call.everCaptured = true;
    if (!step.capturing && was)
      call.capture?.pause(step.status.state === 'paused' ? (step.status.reasons[0] ?? 'paused') : 'stopped');
    if (step.timeline.length > 0) this.#timeline(call, step.timeline);
    for (const effect of step.effects) {
      if (effect.type === 'delete-call-audio') void this.#discard(call);
    }
    const over =
      step.status.state === 'ended' ||
      (step.status.state === 'not-recorded' && step.status.reason !== 'objection');
    if (over && call.capture) {
      if (call.everCaptured) void this.#finish(call);
      else {
        void call.capture.abandon();
        call.capture = null;
      }
    }
    this.#setStatus(step.status);
    return null;
  }

  #startOrResume(call: CallContext, at: number): void {
    if (!call.capture) this.#prepare(call, at);
    call.capture?.syncSources(this.phone.legs);
    call.capture?.resume();
  }

  /** Creates the recording and its recorder, started paused: no audio leaves the worklet until resume. */
  #prepare(call: CallContext, at: number): void {
    const id = uuidV7(at, this.deps.randomBytes);
    call.capture = new CaptureSession(
      {
        id,
        callId: call.legId,
        direction: call.direction,
        remoteNumber: call.remoteNumber,
        line: call.line,
        startedAt: new Date(at).toISOString()
      },
      {
        store: this.deps.store,
        recorder: this.deps.createRecorder(),
        kickUpload: () => this.deps.kickUpload(),
        now: () => this.deps.now(),
        onProblem: (m) => this.deps.onProblem(m),
        randomBytes: (n) => this.deps.randomBytes(n)
      }
    );
    call.capture.start(at, this.phone.legs);
  }

  #timeline(call: CallContext, events: readonly TimelineEvent[]): void {
    call.capture?.addTimeline(events);
  }

  async #finish(call: CallContext): Promise<void> {
    const capture = call.capture;
    if (!capture) return;
    await capture.finish();
  }

  async #discard(call: CallContext): Promise<void> {
    const capture = call.capture;
    call.capturing = false;
    if (!capture) return;
    await capture.discard();
  }

  #setStatus(status: RecordingStatus): void {
    this.#status = status;
    for (const l of this.#listeners) l(status);
  }
}
