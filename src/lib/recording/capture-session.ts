import type { TimelineEvent } from '$lib/domain/recording-policy-types';
import type { OutboxEvent, OutboxFinish, OutboxRecording, OutboxStore } from '$lib/outbox/outbox-types';
import type { ChunkEvent } from '$lib/recorder/encoder-protocol';

/**
 * Event ids that sort like the timeline: the server lists events by (at, id), and one
 * policy step often yields several events with the same `at` (transfer-accepted, then
 * ended). Time, then a per-recording counter, then random bits against collisions.
 */
export function timelineEventId(at: number, seq: number, randomBytes: (n: number) => Uint8Array): string {
  const rand = [...randomBytes(4)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `t${String(at).padStart(15, '0')}-${String(seq).padStart(6, '0')}-${rand}`;
}

/** What the capture session needs of the recorder (src/lib/recorder/recorder.ts). */
export interface RecorderLike {
  start(recordingId: string, startedAtMs: number): Promise<void>;
  pause(reason: string): void;
  resume(): void;
  stop(): Promise<void>;
  /** `local`: the advisor's microphone; `remote`: a leg's far end (searched for keypad tones to silence). */
  addSource(stream: MediaStream, kind: 'local' | 'remote'): void;
  removeSource(stream: MediaStream): void;
  onSegment(
    cb: (s: {
      recordingId: string;
      seq: number;
      bytes: Uint8Array;
      sha256: string;
      startMs: number;
      durationMs: number;
      /** Decoded samples before the first captured one (the same in every segment). */
      encoderDelaySamples?: number;
      /** Decoded samples after the last captured one: on the final segment only. */
      paddingSamples?: number | null;
    }) => void
  ): () => void;
  /** Progress copies of the segment being built (about one a second), stored so a dead tab loses little. */
  onChunk(cb: (c: ChunkEvent) => void): () => void;
  onError(cb: (e: Error) => void): () => void;
  readonly current: string;
}

export interface CaptureDeps {
  store: OutboxStore;
  recorder: RecorderLike;
  kickUpload(): void;
  now(): number;
  randomBytes(n: number): Uint8Array;
  onProblem(message: string): void;
}

type Meta = Pick<OutboxRecording, 'id' | 'callId' | 'direction' | 'remoteNumber' | 'line' | 'startedAt'>;
type Legs = ReadonlyMap<string, { readonly peerConnection?: RTCPeerConnection; readonly state: string }>;

/**
 * One recording: the recorder that captures it and its durable trail in the outbox.
 * Every outbox write is chained so they land in order; a failed write (quota above
 * all) is reported, never swallowed.
 */
export class CaptureSession {
  #record: OutboxRecording;
  #chain: Promise<void> = Promise.resolve();
  #sources = new Map<string, MediaStream>();
  #discarded = false;
  #eventSeq = 0;
  /** The encoder's delay and final padding (decoded samples), for exact playback of the stitched file. */
  #gapless: Pick<OutboxFinish, 'encoderDelaySamples' | 'paddingSamples'> = {};

  constructor(
    meta: Meta,
    private readonly deps: CaptureDeps
  ) {
    this.#record = {
      ...meta,
      uploadToken: null,
      finished: null,
      segmentsStored: 0,
      durationMs: 0,
      objected: false,
      createdAt: deps.now()
    };
    deps.recorder.onSegment((s) =>
      this.#write(async () => {
        if (this.#discarded) return;
        await this.deps.store.putSegment({ ...s, createdAt: this.deps.now() });
        if (s.encoderDelaySamples !== undefined) this.#gapless.encoderDelaySamples = s.encoderDelaySamples;
        if (typeof s.paddingSamples === 'number') this.#gapless.paddingSamples = s.paddingSamples;
        this.#record.segmentsStored = Math.max(this.#record.segmentsStored, s.seq + 1);
        this.#record.durationMs += s.durationMs;
        await this.#update({
          segmentsStored: this.#record.segmentsStored,
          durationMs: this.#record.durationMs,
          ...this.#firstDelay(s.encoderDelaySamples)
        });
        this.deps.kickUpload();
      })
    );
    deps.recorder.onChunk((c) =>
      this.#write(async () => {
        if (this.#discarded) return;
        await this.deps.store.putChunk({ ...c, createdAt: this.deps.now() });
        const delay = this.#firstDelay(c.encoderDelaySamples);
        if (delay.encoderDelaySamples !== undefined) await this.#update(delay);
      })
    );
    deps.recorder.onError((e) => this.deps.onProblem(`Recording failed: ${e.message}`));
  }

  get id(): string {
    return this.#record.id;
  }

  /** The encoder delay as a patch for the outbox row, the first time audio brings it (else empty). */
  #firstDelay(delay: number | undefined): Pick<OutboxRecording, 'encoderDelaySamples'> {
    if (delay === undefined || this.#record.encoderDelaySamples !== undefined) return {};
    this.#record.encoderDelaySamples = delay;
    return { encoderDelaySamples: delay };
  }

  /**
   * Creates the outbox entry (durably, before any audio) and starts the recorder PAUSED: nothing is
   * captured until {@link resume}, which the policy orders when the call connects.
   */
  start(at: number, legs: Legs): void {
    this.#write(() => this.deps.store.putRecording({ ...this.#record }));
    this.syncSources(legs);
    const started = this.deps.recorder.start(this.#record.id, at);
    this.deps.recorder.pause('not connected');
    started.catch((e: unknown) => {
      this.deps.onProblem(`Recording could not start: ${e instanceof Error ? e.message : String(e)}`);
    });
  }

  pause(reason: string): void {
    const state = this.deps.recorder.current;
    if (state === 'capturing' || state === 'starting') this.deps.recorder.pause(reason);
  }

  resume(): void {
    const state = this.deps.recorder.current;
    if (state === 'paused' || state === 'starting') this.deps.recorder.resume();
  }

  /** Mixes the microphone and the remote audio of every live leg; drops tracks that ended. */
  syncSources(legs: Legs): void {
    const wanted = new Map<string, { track: MediaStreamTrack; kind: 'local' | 'remote' }>();
    const want = (t: MediaStreamTrack | null, kind: 'local' | 'remote') => {
      if (t && t.kind === 'audio' && t.readyState === 'live') wanted.set(t.id, { track: t, kind });
    };
    for (const leg of legs.values()) {
      const pc = leg.peerConnection;
      if (!pc || leg.state === 'ended' || pc.connectionState === 'closed') continue;
      for (const s of pc.getSenders()) want(s.track, 'local');
      for (const r of pc.getReceivers()) want(r.track, 'remote');
    }
    for (const [id, stream] of this.#sources) {
      if (!wanted.has(id)) {
        this.deps.recorder.removeSource(stream);
        this.#sources.delete(id);
      }
    }
    for (const [id, { track, kind }] of wanted) {
      if (this.#sources.has(id)) continue;
      const stream = new MediaStream([track]);
      this.#sources.set(id, stream);
      this.deps.recorder.addSource(stream, kind);
    }
  }

  addTimeline(events: readonly TimelineEvent[]): void {
    const rows: OutboxEvent[] = events.map((e) => {
      // Numbers are personal data and may look like keyed digits: the timeline keeps kinds, not targets.
      const { kind, at, ...rest } = e;
      const detail = Object.fromEntries(Object.entries(rest).filter(([k]) => k !== 'target'));
      return {
        recordingId: this.#record.id,
        eventId: timelineEventId(at, this.#eventSeq++, this.deps.randomBytes),
        type: kind,
        at: new Date(at).toISOString(),
        detail: detail as OutboxEvent['detail']
      };
    });
    this.#write(async () => {
      if (!this.#discarded) await this.deps.store.putEvents(rows);
      this.deps.kickUpload();
    });
  }

  /** The call never connected (or turned out not recorded): nothing was captured, so nothing is kept. */
  async abandon(): Promise<void> {
    this.#discarded = true;
    await this.#stopRecorder();
    this.#write(() => this.deps.store.deleteRecording(this.#record.id));
    await this.#chain;
  }

  /** Stops capture, waits for the last segment, and tells the outbox what the server should have. */
  async finish(): Promise<void> {
    await this.#stopRecorder();
    this.#write(async () => {
      if (this.#discarded) return;
      this.#record.finished = {
        segmentCount: this.#record.segmentsStored,
        durationMs: this.#record.durationMs,
        ...this.#gapless
      };
      await this.#update({ finished: this.#record.finished });
      this.deps.kickUpload();
    });
    await this.#chain;
  }

  /** The caller objected: no more audio, the local copy goes now, the server's through the uploader. */
  async discard(): Promise<void> {
    this.#discarded = true;
    await this.#stopRecorder();
    this.#write(async () => {
      this.#record.objected = true;
      await this.#update({ objected: true });
      for (const s of await this.deps.store.listSegments()) {
        if (s.recordingId === this.#record.id) await this.deps.store.deleteSegment(s.recordingId, s.seq);
      }
      await this.deps.store.deleteChunks(this.#record.id);
      const events = await this.deps.store.listEvents(this.#record.id);
      await this.deps.store.deleteEvents(
        this.#record.id,
        events.map((e) => e.eventId)
      );
      this.deps.kickUpload();
    });
    await this.#chain;
  }

  async #stopRecorder(): Promise<void> {
    const state = this.deps.recorder.current;
    if (state === 'stopped' || state === 'failed' || state === 'stopping' || state === 'idle') return;
    try {
      await this.deps.recorder.stop();
    } catch (e) {
      this.deps.onProblem(`Recording did not stop cleanly: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  #update(patch: Partial<Omit<OutboxRecording, 'id'>>): Promise<void> {
    return this.deps.store.updateRecording(this.#record.id, patch);
  }

  #write(work: () => Promise<void>): void {
    this.#chain = this.#chain.then(work).catch((e: unknown) => {
      this.deps.onProblem(e instanceof Error ? e.message : String(e));
    });
  }
}
