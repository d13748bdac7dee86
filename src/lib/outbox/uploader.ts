import { backoffDelay, type BackoffOptions } from '$lib/domain/backoff';
import { transition, type TransitionTable } from '$lib/domain/state-machine';
import { IngestClient, type IngestResult } from './ingest-client';
import type { OutboxRecording, OutboxStore } from './outbox-types';

/**
 * The upload loop.
 *
 * ```
 *  stopped ──start──▶ idle ──kick──▶ working ──drained──▶ idle
 *     ▲                              │    ▲
 *     │                       failed │    │ retry (timer) / kick (back online)
 *     │                              ▼    │
 *     └──────────stop (any)────── waiting ┘
 * ```
 */
export type UploaderState = 'stopped' | 'idle' | 'working' | 'waiting';
type UploaderEvent = 'start' | 'kick' | 'drained' | 'failed' | 'retry' | 'stop';

const table: TransitionTable<UploaderState, UploaderEvent> = {
  stopped: { start: 'idle', stop: 'stopped' },
  idle: { kick: 'working', stop: 'stopped' },
  working: { drained: 'idle', failed: 'waiting', stop: 'stopped' },
  waiting: { retry: 'working', kick: 'working', stop: 'stopped' }
};

/**
 * Retry delays of the uploader: 1 s doubling up to 10 s (equal jitter, so 5–10 s once capped). The browser
 * stays online while only the recording service is down, so no `online` event kicks the uploader when it
 * returns: the cap is how long a backlog may sit after the service is back (a new segment kicks at once). A
 * request every 5–10 s per waiting browser is cheap for the service.
 */
export const UPLOAD_BACKOFF: Readonly<BackoffOptions> = Object.freeze({ baseMs: 1000, maxMs: 10_000 });

/** What the advisor sees of the outbox. */
export interface Backlog {
  state: UploaderState;
  segments: number;
  bytes: number;
  recordings: number;
  /** Why uploads are waiting or refused; null when all is well. */
  problem: string | null;
}

export interface UploaderDeps {
  store: OutboxStore;
  fetch: typeof globalThis.fetch;
  random(): number;
  scheduler: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
  /** Uploads in flight at once (default 2). */
  concurrency?: number;
  backoff?: BackoffOptions;
}

/**
 * Delivers the outbox to the retention service: creates each recording, uploads its
 * segments oldest first with bounded concurrency, then its timeline events, then
 * finishes it. A segment leaves IndexedDB only after the server confirmed it (200/201
 * after checking our SHA-256). Failures back off exponentially with jitter; `kick()`
 * (a new segment, the browser back online, the next app start) tries again at once.
 * Refusals keep the data and are reported, never dropped.
 */
export class Uploader {
  #state: UploaderState = 'stopped';
  #client: IngestClient;
  #attempt = 0;
  #timer: unknown = null;
  #running: Promise<void> | null = null;
  #again = false;
  #problem: string | null = null;
  #refused = new Set<string>();
  #listeners = new Set<(b: Backlog) => void>();
  #backlog: Backlog = { state: 'stopped', segments: 0, bytes: 0, recordings: 0, problem: null };

  constructor(private readonly deps: UploaderDeps) {
    this.#client = new IngestClient(deps.fetch);
  }

  get state(): UploaderState {
    return this.#state;
  }
  get backlog(): Backlog {
    return this.#backlog;
  }

  onChange(listener: (b: Backlog) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Starts delivering what the outbox already holds (e.g. from before a reload). */
  start(): Promise<void> {
    if (this.#state === 'stopped') this.#fire('start');
    return this.kick();
  }

  stop(): void {
    this.#clearTimer();
    this.#fire('stop');
  }

  /** Tries now: new data arrived, or the network came back. Resolves when this pass is done. */
  kick(): Promise<void> {
    if (this.#state === 'stopped') return Promise.resolve();
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#clearTimer();
    this.#fire('kick');
    this.#running = this.#loop().finally(() => (this.#running = null));
    return this.#running;
  }

  async #loop(): Promise<void> {
    do {
      this.#again = false;
      const ok = await this.#pass();
      if (this.#state !== 'working') return;
      if (!ok) {
        this.#fire('failed');
        const delay = backoffDelay(this.#attempt++, this.deps.backoff ?? UPLOAD_BACKOFF, this.deps.random);
        this.#timer = this.deps.scheduler.setTimeout(() => {
          this.#timer = null;
          if (this.#state !== 'waiting') return;
          this.#fire('retry');
          this.#running = this.#loop().finally(() => (this.#running = null));
        }, delay);
        await this.#refresh();
        return;
      }
      this.#attempt = 0;
    } while (this.#again);
    this.#fire('drained');
    await this.#refresh();
  }

  /** One pass over the outbox; false when something must be retried later. */
  async #pass(): Promise<boolean> {
    let ok = true;
    const note = (r: IngestResult<unknown>, key: string): boolean => {
      if (r.kind === 'retry') {
        ok = false;
        this.#problem = r.reason;
      } else if (r.kind === 'refused') {
        this.#refused.add(key);
        this.#problem = r.reason;
      }
      return r.kind === 'ok';
    };
    const recordings = new Map<string, OutboxRecording>();
    for (const r of await this.deps.store.listRecordings()) {
      if (r.objected) {
        // The caller objected: erase on the server (if it ever got the recording), then locally.
        const res: IngestResult = r.uploadToken
          ? await this.#client.object(r.uploadToken, r.id)
          : { kind: 'gone' };
        if (res.kind === 'ok' || res.kind === 'gone') await this.deps.store.deleteRecording(r.id);
        else note(res, `${r.id}/objection`);
        continue;
      }
      if (!r.uploadToken && !this.#refused.has(r.id)) {
        const res = await this.#client.createRecording(r);
        if (note(res, r.id) && res.kind === 'ok') {
          r.uploadToken = res.value;
          await this.deps.store.updateRecording(r.id, { uploadToken: res.value });
        }
      }
      recordings.set(r.id, r);
    }
    if (!ok) return false;

    const queue = (await this.deps.store.listSegments()).filter((s) => {
      const token = recordings.get(s.recordingId)?.uploadToken;
      return token && !this.#refused.has(`${s.recordingId}/${s.seq}`) && !this.#refused.has(s.recordingId);
    });
    const gone = new Set<string>();
    const workers = Array.from({ length: this.deps.concurrency ?? 2 }, async () => {
      for (let s = queue.shift(); s && ok; s = queue.shift()) {
        if (gone.has(s.recordingId)) continue;
        const token = recordings.get(s.recordingId)?.uploadToken as string;
        const res = await this.#client.putSegment(token, s);
        if (res.kind === 'gone') gone.add(s.recordingId);
        else if (note(res, `${s.recordingId}/${s.seq}`))
          await this.deps.store.deleteSegment(s.recordingId, s.seq);
        await this.#refresh();
      }
    });
    await Promise.all(workers);
    for (const id of gone) await this.deps.store.deleteRecording(id);
    if (!ok) return false;

    for (const r of recordings.values()) {
      if (!r.uploadToken || gone.has(r.id)) continue;
      const events = await this.deps.store.listEvents(r.id);
      if (events.length > 0) {
        const res = await this.#client.postEvents(r.uploadToken, r.id, events);
        if (res.kind === 'gone') gone.add(r.id);
        else if (note(res, `${r.id}/events`))
          await this.deps.store.deleteEvents(
            r.id,
            events.map((e) => e.eventId)
          );
      }
      if (!ok) return false;
      const pending = (await this.deps.store.listSegments()).some((s) => s.recordingId === r.id);
      if (r.finished && !pending && !gone.has(r.id)) {
        const res = await this.#client.finish(r.uploadToken, r.id, r.finished);
        if (res.kind === 'gone') gone.add(r.id);
        else if (note(res, `${r.id}/finish`) && res.kind === 'ok') {
          if (!res.value.complete) {
            this.#problem = `The recording service is missing segments ${res.value.missing.join(', ')} of a recording; they were lost in this browser before upload.`;
          }
          await this.deps.store.deleteRecording(r.id);
        }
      }
    }
    for (const id of gone) await this.deps.store.deleteRecording(id);
    if (ok && this.#refused.size === 0) this.#problem = null;
    return ok;
  }

  async #refresh(): Promise<void> {
    const [segments, recordings] = await Promise.all([
      this.deps.store.listSegments(),
      this.deps.store.listRecordings()
    ]);
    this.#backlog = {
      state: this.#state,
      segments: segments.length,
      bytes: segments.reduce((n, s) => n + s.bytes.byteLength, 0),
      recordings: recordings.length,
      problem: this.#problem
    };
    for (const l of this.#listeners) l(this.#backlog);
  }

  #clearTimer(): void {
    if (this.#timer !== null) this.deps.scheduler.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #fire(event: UploaderEvent): void {
    this.#state = transition('uploader', table, this.#state, event);
  }
}
