import { getContext, setContext } from 'svelte';
import type { PolicyRefusal, RecordingStatus } from '$lib/domain/recording-policy-types';
import { IdbOutboxStore } from '$lib/outbox/idb-outbox-store';
import { Uploader, type Backlog } from '$lib/outbox/uploader';
import { toHex } from '$lib/recorder/encoder-host';
import { browserRecorderDeps, Recorder } from '$lib/recorder/recorder';
import { RecordingCoordinator, type PhoneView } from '$lib/recording/recording-coordinator';
import { recoverInterrupted } from '$lib/recording/recover-interrupted';

const KEY = Symbol('recording-state');

/** Words for the always-visible indicator. */
export function describeRecording(s: RecordingStatus): { label: string; detail: string } {
  switch (s.state) {
    case 'recording':
      return { label: 'REC', detail: 'This call is being recorded' };
    case 'pending':
      return { label: 'REC when connected', detail: 'Recording starts when the call connects' };
    case 'paused': {
      const why = { payment: 'payment line', hold: 'on hold', manual: 'paused by you' } as const;
      return { label: 'PAUSED', detail: `Paused: ${s.reasons.map((r) => why[r]).join(', ')}` };
    }
    case 'ended': {
      const why = {
        'call-ended': 'call ended',
        'not-connected': 'call not connected',
        'transfer-completed': 'call transferred',
        uncertain: 'stopped to be safe'
      } as const;
      return { label: 'ENDED', detail: `Recording ended: ${why[s.reason]}` };
    }
    case 'not-recorded': {
      const why = {
        'no-call': 'no call',
        'direct-dial': 'direct call to your extension',
        objection: 'caller objected'
      } as const;
      return { label: 'NOT RECORDED', detail: why[s.reason] };
    }
  }
}

/**
 * Recording on the advisor page: the coordinator that follows the phone, the durable
 * outbox and its uploader, the indicator's status and the upload backlog.
 */
export class RecordingState {
  status = $state<RecordingStatus>({ state: 'not-recorded', reason: 'no-call' });
  backlog = $state<Backlog | null>(null);
  objected = $state(false);
  coordinator: RecordingCoordinator | null = null;

  constructor(private readonly onProblem: (message: string) => void) {}

  /** Opens the outbox, finishes what a closed tab left behind, starts uploading and follows `phone`. */
  async start(phone: PhoneView, opts: { actor: string; paymentTargets: string[] }): Promise<void> {
    const store = await IdbOutboxStore.open();
    await navigator.storage?.persist?.().catch(() => false);
    await recoverInterrupted(store, {
      now: Date.now(),
      randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
      sha256: async (b) => toHex(await crypto.subtle.digest('SHA-256', b as Uint8Array<ArrayBuffer>))
    });
    const uploader = new Uploader({
      store,
      fetch: (input, init) => fetch(input, init),
      random: Math.random,
      scheduler: {
        setTimeout: (fn, ms) => setTimeout(fn, ms),
        clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>)
      }
    });
    uploader.onChange((b) => (this.backlog = b));
    window.addEventListener('online', () => void uploader.kick());
    const recorderDeps = browserRecorderDeps();
    this.coordinator = new RecordingCoordinator(phone, {
      store,
      // One deps object for the page: it compiles the encoder's WASM once for every recording.
      createRecorder: () => new Recorder(recorderDeps),
      kickUpload: () => void uploader.kick(),
      now: () => Date.now(),
      randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
      policy: { paymentTargets: opts.paymentTargets },
      onProblem: (m) => this.onProblem(m),
      actor: opts.actor
    });
    this.coordinator.onChange((s) => {
      this.status = s;
      if (s.state === 'pending') this.objected = false;
    });
    window.addEventListener('pagehide', () => this.coordinator?.pageHidden());
    await uploader.start();
  }

  callerObjects(): void {
    this.#refusal(this.coordinator?.callerObjected() ?? null);
    if (this.status.state === 'not-recorded' && this.status.reason === 'objection') this.objected = true;
  }

  pause(): void {
    this.#refusal(this.coordinator?.manualPause() ?? null);
  }

  resume(): void {
    this.#refusal(this.coordinator?.manualResume() ?? null);
  }

  #refusal(r: PolicyRefusal | null): void {
    if (r) this.onProblem(r.message);
  }
}

export function setRecordingState(state: RecordingState): RecordingState {
  return setContext(KEY, state);
}

export function getRecordingState(): RecordingState {
  return getContext<RecordingState>(KEY);
}
