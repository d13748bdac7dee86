/**
 * Where audio bytes live. Each recording's blobs are written with its own data key (storage/data-keys.ts), so
 * destroying that key erases them cryptographically; an S3-compatible store would pass it as SSE-C. Keys are made by the server from validated ids ({@link segmentBlobKey}), never from
 * raw user input. The default is the encrypted file store; an S3-compatible store with Object Lock can take
 * its place behind the same four calls.
 */
export interface BlobStore {
  /**
   * Stores `bytes` under `key` durably and atomically: afterwards `get` sees all of them or, after a crash, none.
   * With `sha256` (lower-case hex) the bytes are hashed first and nothing is stored unless they match.
   * @throws BlobHashMismatchError when `sha256` is given and differs
   */
  put(
    key: string,
    bytes: Uint8Array,
    sha256?: string,
    dataKey?: Uint8Array,
    options?: PutOptions
  ): Promise<void>;
  /**
   * The plaintext bytes, or undefined when absent. Blobs written with a `dataKey` need the same key back.
   * @throws BlobIntegrityError when the stored data was altered, or its data key is missing or wrong
   */
  get(key: string, dataKey?: Uint8Array): Promise<Uint8Array | undefined>;
  /** Removes the blob for real; absent keys are fine. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Removes every blob whose key starts with `prefix + '/'` (a recording's folder), temp files included. */
  deletePrefix(prefix: string): Promise<void>;
}

/** How {@link BlobStore.put} may treat the bytes it is given. */
export interface PutOptions {
  /**
   * The caller hands `bytes` over and will not read them again: a store may then move their buffer (to a
   * writer thread) instead of copying it, which leaves the caller's view empty (detached).
   */
  handOver?: boolean;
}

/** Thrown by `get` when a blob fails authentication (tampered, truncated, wrong key or moved). */
export class BlobIntegrityError extends Error {
  constructor(readonly key: string) {
    super(`Stored blob ${key} failed its integrity check.`);
    this.name = 'BlobIntegrityError';
  }
}

/** Thrown by `put` when the bytes do not have the SHA-256 the caller expected (nothing was stored). */
export class BlobHashMismatchError extends Error {
  constructor(readonly key: string) {
    super(`The bytes for blob ${key} do not match their SHA-256.`);
    this.name = 'BlobHashMismatchError';
  }
}

/** Keys: one or more `/`-separated parts of `[A-Za-z0-9_-]` with an optional `.ext`; no dot-files, no `..`. */
const KEY = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9]+)?(\/[A-Za-z0-9_-]+(\.[A-Za-z0-9]+)?)*$/;

/** @throws Error when `key` is not a safe blob key. */
export function assertBlobKey(key: string): string {
  if (key.length > 200 || !KEY.test(key)) throw new Error(`unsafe blob key ${JSON.stringify(key)}`);
  return key;
}

/**
 * Key of one stored segment: `<recordingId>/<seq 5 digits>-<first 16 hex of its SHA-256>.seg`. The hash
 * part gives two racing uploads of different bytes for one seq two different files, so the loser's file
 * never replaces the winner's.
 */
export function segmentBlobKey(recordingId: string, seq: number, sha256: string): string {
  return assertBlobKey(`${recordingId}/${String(seq).padStart(5, '0')}-${sha256.slice(0, 16)}.seg`);
}
