import { close, fsync, open as openFd } from 'node:fs';
import { readdir, readFile, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import {
  assertBlobKey,
  BlobHashMismatchError,
  BlobIntegrityError,
  type BlobStore,
  type PutOptions
} from './blob-store';
import { BlobWriterPool } from './blob-writer-pool';
import { openEnvelope } from './gcm-envelope';

/**
 * File layout:
 * ```
 * "APRB" (4) | version (1) | IV (12) | AES-256-GCM ciphertext (n) | auth tag (16)
 * ```
 * Version 1 is encrypted under the master key (recordings made before per-recording keys); version 2 under
 * the recording's own data key (data-keys.ts), which the caller passes to `put` and `get`.
 * The additional authenticated data is the 17-byte header plus the blob key, so a file copied or moved to
 * another key fails to decrypt instead of playing as someone else's call. Files are written by
 * `runSealJob` (seal-job.ts) in a writer thread and read back here.
 */
const MAGIC = Buffer.from('APRB', 'ascii');
const MASTER_KEY_VERSION = 1;
const DATA_KEY_VERSION = 2;
/** Temp files start with a dot, which no key can, so a half-written file is never a blob. */
const TEMP_PREFIX = '.tmp-';

const openAsync = promisify(openFd);
const fsyncAsync = promisify(fsync);
const closeAsync = promisify(close);

/**
 * Decrypts a file: version 1 with `masterKey`, version 2 with `dataKey`.
 * @throws BlobIntegrityError on any mismatch, and for a version-2 file without its data key (erased).
 */
export function openBlob(masterKey: Buffer, key: string, sealed: Buffer, dataKey?: Uint8Array): Buffer {
  const keyFor = (version: number): Uint8Array | undefined =>
    version === MASTER_KEY_VERSION ? masterKey : version === DATA_KEY_VERSION ? dataKey : undefined;
  const plain = openEnvelope(MAGIC, sealed, keyFor, key);
  if (!plain) throw new BlobIntegrityError(key);
  return plain;
}

async function fsyncDir(dir: string): Promise<void> {
  const fd = await openAsync(dir, 'r');
  try {
    await fsyncAsync(fd);
  } finally {
    await closeAsync(fd);
  }
}

/**
 * The default {@link BlobStore}: AES-256-GCM encrypted files under `root` (`${DATA_DIR}/audio`), written
 * atomically (temp file in the same folder, write, fsync, rename, fsync the folder) by a small pool of
 * writer threads ({@link BlobWriterPool}, `writerThreads` of them) that also hash and encrypt.
 */
export class EncryptedFileStore implements BlobStore {
  private writers: BlobWriterPool | undefined;

  constructor(
    private readonly root: string,
    private readonly aesKey: Buffer,
    private readonly options: { writerThreads?: number } = {}
  ) {
    if (aesKey.length !== 32) throw new Error('AES-256 needs a 32-byte key');
  }

  /** Starts the writer threads now instead of on the first `put` (the server does this when it starts). */
  startWriters(): void {
    this.writers ??= new BlobWriterPool(this.options.writerThreads);
    this.writers.start();
  }

  /** Stops the writer threads (they are unref'd, so this is only needed to free them early). */
  async close(): Promise<void> {
    await this.writers?.close();
    this.writers = undefined;
  }

  private path(key: string): string {
    return join(this.root, assertBlobKey(key));
  }

  async put(
    key: string,
    bytes: Uint8Array,
    sha256?: string,
    dataKey?: Uint8Array,
    options: PutOptions = {}
  ): Promise<void> {
    const target = this.path(key);
    if (dataKey !== undefined && dataKey.length !== 32) throw new Error('a data key has 32 bytes');
    this.writers ??= new BlobWriterPool(this.options.writerThreads);
    const done = await this.writers.run(
      {
        key,
        target,
        // A 32-byte copy: a key that is a view into Buffer's 8 KB pool would otherwise be cloned whole.
        aesKey: new Uint8Array(dataKey ?? this.aesKey),
        version: dataKey ? DATA_KEY_VERSION : MASTER_KEY_VERSION,
        plain: bytes,
        sha256
      },
      options.handOver === true
    );
    if (!done.written) throw new BlobHashMismatchError(key);
  }

  async get(key: string, dataKey?: Uint8Array): Promise<Uint8Array | undefined> {
    let sealed: Buffer;
    try {
      sealed = await readFile(this.path(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    return openBlob(this.aesKey, key, sealed, dataKey);
  }

  async delete(key: string): Promise<void> {
    const target = this.path(key);
    await rm(target, { force: true });
    await fsyncDir(dirname(target)).catch(() => undefined);
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.path(key))).isFile();
    } catch {
      return false;
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    await this.removePrefixUnsynced(prefix);
    await this.syncRemovals([prefix]);
  }

  /** Removes a recording's folder without syncing its parent; call {@link syncRemovals} before relying on it. */
  async removePrefixUnsynced(prefix: string): Promise<void> {
    await rm(this.path(prefix), { recursive: true, force: true });
  }

  /** Makes earlier {@link removePrefixUnsynced} calls durable: one fsync per distinct parent folder. */
  async syncRemovals(prefixes: readonly string[]): Promise<void> {
    const parents = new Set(prefixes.map((p) => dirname(this.path(p))));
    for (const parent of parents) await fsyncDir(parent).catch(() => undefined);
  }

  /** Removes temp files older than `olderThanMs` left by a crash mid-write (they never count as stored). */
  async removeStaleTempFiles(now: number, olderThanMs = 60 * 60 * 1000): Promise<number> {
    let removed = 0;
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (entry.name.startsWith(TEMP_PREFIX) && now - (await stat(path)).mtimeMs > olderThanMs) {
          await unlink(path).catch(() => undefined);
          removed++;
        }
      }
    };
    await walk(this.root);
    return removed;
  }
}
