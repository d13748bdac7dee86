import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { close, fsync, open as openFd, writev } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { assertBlobKey, BlobIntegrityError, type BlobStore } from './blob-store';

/**
 * File layout (version 1):
 * ```
 * "APRB" (4) | version 0x01 (1) | IV (12) | AES-256-GCM ciphertext (n) | auth tag (16)
 * ```
 * The additional authenticated data is the 17-byte header plus the blob key, so a file copied or moved to
 * another key fails to decrypt instead of playing as someone else's call.
 */
const MAGIC = Buffer.from('APRB', 'ascii');
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + 1 + IV_BYTES;
/** Temp files start with a dot, which no key can, so a half-written file is never a blob. */
const TEMP_PREFIX = '.tmp-';

/** The version-1 file as its parts (header, ciphertext, auth tag), to be written in one writev. */
function sealParts(aesKey: Buffer, key: string, plain: Uint8Array, iv: Buffer): Buffer[] {
  const header = Buffer.concat([MAGIC, Buffer.from([VERSION]), iv]);
  const cipher = createCipheriv('aes-256-gcm', aesKey, iv);
  cipher.setAAD(Buffer.concat([header, Buffer.from(key, 'utf8')]));
  const body = cipher.update(plain);
  const rest = cipher.final();
  return rest.length > 0 ? [header, body, rest, cipher.getAuthTag()] : [header, body, cipher.getAuthTag()];
}

/** Encrypts `plain` for `key` in the version-1 format (exported for tests). */
export function sealBlob(
  aesKey: Buffer,
  key: string,
  plain: Uint8Array,
  iv: Buffer = randomBytes(IV_BYTES)
): Buffer {
  return Buffer.concat(sealParts(aesKey, key, plain, iv));
}

// Plain file descriptors instead of FileHandle: the ingest hot path does one open, writev, fsync and close
// per segment, and FileHandle's promise wrapping and GC tracking cost measurable main-thread time.
const openAsync = promisify(openFd);
const writevAsync = promisify(writev);
const fsyncAsync = promisify(fsync);
const closeAsync = promisify(close);

/** Writes all of `parts` to `fd` (writev may write less than asked). */
async function writeAll(fd: number, parts: Buffer[]): Promise<void> {
  let rest = parts;
  while (rest.length > 0) {
    let written = (await writevAsync(fd, rest)).bytesWritten;
    const next: Buffer[] = [];
    for (const part of rest) {
      if (written >= part.length) written -= part.length;
      else {
        next.push(written > 0 ? part.subarray(written) : part);
        written = 0;
      }
    }
    rest = next;
  }
}

/** Decrypts a version-1 file. @throws BlobIntegrityError on any mismatch. */
export function openBlob(aesKey: Buffer, key: string, sealed: Buffer): Buffer {
  if (
    sealed.length < HEADER_BYTES + TAG_BYTES ||
    !sealed.subarray(0, MAGIC.length).equals(MAGIC) ||
    sealed[MAGIC.length] !== VERSION
  ) {
    throw new BlobIntegrityError(key);
  }
  const header = sealed.subarray(0, HEADER_BYTES);
  const iv = sealed.subarray(MAGIC.length + 1, HEADER_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', aesKey, iv);
    decipher.setAAD(Buffer.concat([header, Buffer.from(key, 'utf8')]));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(sealed.subarray(HEADER_BYTES, sealed.length - TAG_BYTES)),
      decipher.final()
    ]);
  } catch {
    throw new BlobIntegrityError(key);
  }
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
 * atomically (temp file in the same folder, write, fsync, rename, fsync the folder).
 */
export class EncryptedFileStore implements BlobStore {
  constructor(
    private readonly root: string,
    private readonly aesKey: Buffer,
    private readonly random: (n: number) => Buffer = randomBytes
  ) {
    if (aesKey.length !== 32) throw new Error('AES-256 needs a 32-byte key');
  }

  private path(key: string): string {
    return join(this.root, assertBlobKey(key));
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const target = this.path(key);
    const dir = dirname(target);
    const temp = join(dir, `${TEMP_PREFIX}${this.random(8).toString('hex')}`);
    let fd: number;
    try {
      fd = await openAsync(temp, 'wx', 0o600);
    } catch (err) {
      // The recording's first segment: make its folder (and make the folder's own name durable) once,
      // instead of a mkdir per segment.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await fsyncDir(dirname(dir));
      fd = await openAsync(temp, 'wx', 0o600);
    }
    try {
      await writeAll(fd, sealParts(this.aesKey, key, bytes, this.random(IV_BYTES)));
      await fsyncAsync(fd);
    } catch (err) {
      await closeAsync(fd).catch(() => undefined);
      await unlink(temp).catch(() => undefined);
      throw err;
    }
    await closeAsync(fd);
    await rename(temp, target);
    await fsyncDir(dir);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    let sealed: Buffer;
    try {
      sealed = await readFile(this.path(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    return openBlob(this.aesKey, key, sealed);
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
