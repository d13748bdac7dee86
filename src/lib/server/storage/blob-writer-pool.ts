import { Worker } from 'node:worker_threads';
import { runSealJob, type SealJob, type SealJobResult } from './seal-job';

/**
 * A small pool of worker threads that run {@link runSealJob}: each job is one message in and one out, and
 * the worker does the hashing, encryption and blocking file calls (write, fsync, rename, fsync the folder)
 * itself. Two things make this faster than async fs on the main thread: the main thread is left with
 * parsing, auth and SQLite only, and the fsyncs do not queue behind each other in libuv's 4-thread pool
 * (which scrypt logins share) — each worker waits in its own fsync, so up to `size` commits overlap.
 *
 * Workers are created on first use (or by {@link BlobWriterPool.start}) and unref'd, so an idle pool never keeps a process (CLI, tests) alive.
 * A worker that dies fails its pending jobs and is replaced on the next job.
 */

/** Source of the worker: a message loop around the self-contained job function. */
const WORKER_SOURCE = `
var __name = (f) => f;
const mods = { crypto: require('node:crypto'), fs: require('node:fs'), path: require('node:path') };
const runSealJob = ${runSealJob.toString()};
require('node:worker_threads').parentPort.on('message', ({ id, job }) => {
  const port = require('node:worker_threads').parentPort;
  try {
    port.postMessage({ id, result: runSealJob(mods, job) });
  } catch (err) {
    port.postMessage({ id, error: { message: String(err && err.message), code: err && err.code } });
  }
});
`;

interface Pending {
  resolve(result: SealJobResult): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

type Reply =
  { id: number; result: SealJobResult } | { id: number; error: { message: string; code?: string } };

/**
 * Default number of writer threads. They spend most of their time waiting in fsync, not on a core, so more
 * threads than cores pay: on the 2-core reference machine 8 beat 4 and the old async path in every A/B round.
 */
export const DEFAULT_BLOB_WRITERS = 8;

/** The ArrayBuffer behind `view` when the view covers all of it (so moving it moves nothing else). */
function ownBuffer(view: Uint8Array): ArrayBuffer | undefined {
  const buffer = view.buffer;
  return buffer instanceof ArrayBuffer && view.byteOffset === 0 && view.byteLength === buffer.byteLength
    ? buffer
    : undefined;
}

export class BlobWriterPool {
  private readonly slots: (Slot | undefined)[];
  private nextId = 1;

  constructor(readonly size = DEFAULT_BLOB_WRITERS) {
    if (!Number.isInteger(size) || size < 1) throw new Error('a blob writer pool needs at least 1 thread');
    this.slots = Array.from({ length: size }, () => undefined);
  }

  /** Starts every thread now (a server does this at start, so the first uploads do not wait for them). */
  start(): void {
    for (let i = 0; i < this.slots.length; i++) if (!this.slots[i]) this.spawn(i);
  }

  /**
   * Runs one job on the least busy worker. With `handOver`, `job.plain`'s buffer is moved to the worker instead
   * of copied when the view spans all of it (the caller's view is then detached: length 0); a view into a
   * larger buffer (e.g. Buffer's shared pool) is copied as before, so a move never takes bytes of others.
   * @throws the job's fs error (with its `code`)
   */
  run(job: SealJob, handOver = false): Promise<SealJobResult> {
    const slot = this.leastBusy();
    const id = this.nextId++;
    const moved = handOver ? ownBuffer(job.plain) : undefined;
    return new Promise<SealJobResult>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      if (slot.pending.size === 1) slot.worker.ref();
      slot.worker.postMessage({ id, job }, moved ? [moved] : []);
    });
  }

  /** Stops every worker (pending jobs fail). */
  async close(): Promise<void> {
    const workers = this.slots.flatMap((s) => (s ? [s.worker] : []));
    this.slots.fill(undefined);
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private leastBusy(): Slot {
    let best = 0;
    for (let i = 0; i < this.slots.length; i++) {
      const slot = this.slots[i];
      if (!slot) return this.spawn(i);
      if (slot.pending.size < (this.slots[best]?.pending.size ?? Infinity)) best = i;
    }
    return this.slots[best] ?? this.spawn(best);
  }

  private spawn(index: number): Slot {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    const slot: Slot = { worker, pending: new Map() };
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const pending = slot.pending.get(reply.id);
      if (!pending) return;
      slot.pending.delete(reply.id);
      if (slot.pending.size === 0) worker.unref();
      if ('result' in reply) pending.resolve(reply.result);
      else pending.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
    });
    const fail = (err: Error): void => {
      if (this.slots[index] === slot) this.slots[index] = undefined;
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`blob writer thread exited (${code})`)));
    this.slots[index] = slot;
    return slot;
  }
}
