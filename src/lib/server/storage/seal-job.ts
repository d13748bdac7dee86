/**
 * The write half of the encrypted file store as one synchronous job, run inside a worker thread
 * ({@link BlobWriterPool}) so that hashing, AES-256-GCM and the blocking temp-write/fsync/rename/fsync
 * sequence leave the server's main thread and the libuv threadpool (which scrypt logins need) alone.
 *
 * {@link runSealJob} is serialised with `Function.prototype.toString` into the worker, so it must stay
 * self-contained: no imports and no references to anything outside its own body (Node modules come in as
 * `mods`). The file format it writes is described (and read back) in `encrypted-file-store.ts`.
 */

/** Node modules the job needs, handed in by the worker (or a test). */
export interface SealJobModules {
  crypto: typeof import('node:crypto');
  fs: typeof import('node:fs');
  path: typeof import('node:path');
}

/** One blob to write: the plaintext, where it goes and how to check it. */
export interface SealJob {
  /** Blob key (already checked by `assertBlobKey`): part of the AAD. */
  key: string;
  /** Absolute path of the final file. */
  target: string;
  /** 32-byte AES-256 key: the master key (format version 1) or the recording's data key (version 2). */
  aesKey: Uint8Array;
  /** File format version written in the header: 1 master key, 2 the recording's own data key. */
  version: 1 | 2;
  plain: Uint8Array;
  /** When set, the plaintext's SHA-256 (lower-case hex) must equal it, or nothing is written. */
  sha256?: string;
}

/** `written` false only when the plaintext did not match `job.sha256`. */
export interface SealJobResult {
  written: boolean;
  /** SHA-256 hex of the plaintext. */
  sha256: string;
}

/**
 * Checks the hash, encrypts, writes a dot-prefixed temp file in the target's folder, fsyncs it, renames it
 * into place and fsyncs the folder; the first blob of a folder also creates it and syncs its parent. A failed
 * write removes its temp file. @throws the underlying fs error
 */
export function runSealJob(mods: SealJobModules, job: SealJob): SealJobResult {
  const { crypto, fs, path } = mods;
  const sha256 = crypto.createHash('sha256').update(job.plain).digest('hex');
  if (job.sha256 !== undefined && job.sha256 !== sha256) return { written: false, sha256 };

  const iv = crypto.randomBytes(12);
  const header = Buffer.concat([Buffer.from('APRB', 'ascii'), Buffer.from([job.version]), iv]);
  const cipher = crypto.createCipheriv('aes-256-gcm', job.aesKey, iv);
  cipher.setAAD(Buffer.concat([header, Buffer.from(job.key, 'utf8')]));
  const sealed = Buffer.concat([header, cipher.update(job.plain), cipher.final(), cipher.getAuthTag()]);

  const dir = path.dirname(job.target);
  const temp = path.join(dir, `.tmp-${crypto.randomBytes(8).toString('hex')}`);
  const syncFolder = (folder: string): void => {
    const dirFd = fs.openSync(folder, 'r');
    try {
      fs.fsyncSync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
  };
  let fd: number;
  try {
    fd = fs.openSync(temp, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    syncFolder(path.dirname(dir));
    fd = fs.openSync(temp, 'wx', 0o600);
  }
  try {
    for (let at = 0; at < sealed.length;) at += fs.writeSync(fd, sealed, at, sealed.length - at);
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  fs.renameSync(temp, job.target);
  syncFolder(dir);
  return { written: true, sha256 };
}
