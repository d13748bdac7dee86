import { hkdfSync, randomBytes } from 'node:crypto';
import { openEnvelope, sealEnvelope } from './gcm-envelope';

/**
 * Per-recording data keys ("crypto-erasure"). Every recording's audio is encrypted under a random 256-bit
 * data key of its own; the key is stored only wrapped (AES-256-GCM) under a key-encryption key derived from
 * the recording master key. Destroying a recording's wrapped key makes every copy of its audio unreadable at
 * once — the files still on disk, blocks a file system freed but did not overwrite, and any backup of them —
 * so erasure and the retention sweep do not have to wait for the disk to unlink files.
 *
 * Wrapped layout (65 bytes, gcm-envelope.ts): `"APRK" (4) | version 0x01 (1) | IV (12) | ciphertext (32) |
 * tag (16)`, with the header and the recording id as additional authenticated data, so a wrapped key copied
 * to another recording's row does not unwrap.
 */
const MAGIC = Buffer.from('APRK', 'ascii');
const VERSION = 1;
const KEY_BYTES = 32;
/** Length of a wrapped key: header 17, key 32, tag 16. */
export const WRAPPED_KEY_BYTES = 17 + KEY_BYTES + 16;

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
  return sealEnvelope(MAGIC, VERSION, kekOf(masterKey), dataKey, recordingId);
}

/** Unwraps a key made by {@link wrapDataKey}. @throws DataKeyError */
export function unwrapDataKey(masterKey: Buffer, recordingId: string, wrapped: Uint8Array): Buffer {
  const kek = kekOf(masterKey);
  const key =
    wrapped.length === WRAPPED_KEY_BYTES
      ? openEnvelope(MAGIC, wrapped, (v) => (v === VERSION ? kek : undefined), recordingId)
      : undefined;
  if (!key) throw new DataKeyError(recordingId);
  return key;
}
