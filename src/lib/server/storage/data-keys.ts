import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Per-recording data keys ("crypto-erasure"). Every recording's audio is encrypted under a random 256-bit
 * data key of its own; the key is stored only wrapped (AES-256-GCM) under a key-encryption key derived from
 * the recording master key. Destroying a recording's wrapped key makes every copy of its audio unreadable at
 * once — the files still on disk, blocks a file system freed but did not overwrite, and any backup of them —
 * so erasure and the retention sweep do not have to wait for the disk to unlink files.
 *
 * Wrapped layout (65 bytes): `"APRK" (4) | version 0x01 (1) | IV (12) | ciphertext (32) | tag (16)`, with the
 * header and the recording id as additional authenticated data, so a wrapped key copied to another
 * recording's row does not unwrap.
 */
const MAGIC = Buffer.from('APRK', 'ascii');
const VERSION = 1;
const IV_BYTES = 12;
const KEY_BYTES = 32;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + 1 + IV_BYTES;
/** Length of a wrapped key. */
export const WRAPPED_KEY_BYTES = HEADER_BYTES + KEY_BYTES + TAG_BYTES;

/** Thrown when a wrapped key is malformed, altered or belongs to another recording or master key. */
export class DataKeyError extends Error {
  constructor(readonly recordingId: string) {
    super(`The data key of recording ${recordingId} failed its integrity check.`);
    this.name = 'DataKeyError';
  }
}

const keks = new WeakMap<Buffer, Buffer>();

/** The key-encryption key: HKDF-SHA256 of the master key, so it is never the key of anything else. */
function kekOf(masterKey: Buffer): Buffer {
  let kek = keks.get(masterKey);
  if (!kek) {
    kek = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'advisor-phone data keys v1', 32));
    keks.set(masterKey, kek);
  }
  return kek;
}

/** A fresh random data key. */
export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** Wraps `dataKey` for `recordingId` under `masterKey`. */
export function wrapDataKey(masterKey: Buffer, recordingId: string, dataKey: Buffer): Buffer {
  if (dataKey.length !== KEY_BYTES) throw new Error('a data key has 32 bytes');
  const iv = randomBytes(IV_BYTES);
  const header = Buffer.concat([MAGIC, Buffer.from([VERSION]), iv]);
  const cipher = createCipheriv('aes-256-gcm', kekOf(masterKey), iv);
  cipher.setAAD(Buffer.concat([header, Buffer.from(recordingId, 'utf8')]));
  return Buffer.concat([header, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
}

/** Unwraps a key made by {@link wrapDataKey}. @throws DataKeyError */
export function unwrapDataKey(masterKey: Buffer, recordingId: string, wrapped: Uint8Array): Buffer {
  const w = Buffer.from(wrapped.buffer, wrapped.byteOffset, wrapped.byteLength);
  if (w.length !== WRAPPED_KEY_BYTES || !w.subarray(0, MAGIC.length).equals(MAGIC) || w[4] !== VERSION) {
    throw new DataKeyError(recordingId);
  }
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      kekOf(masterKey),
      w.subarray(MAGIC.length + 1, HEADER_BYTES)
    );
    decipher.setAAD(Buffer.concat([w.subarray(0, HEADER_BYTES), Buffer.from(recordingId, 'utf8')]));
    decipher.setAuthTag(w.subarray(w.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(w.subarray(HEADER_BYTES, HEADER_BYTES + KEY_BYTES)),
      decipher.final()
    ]);
  } catch {
    throw new DataKeyError(recordingId);
  }
}
