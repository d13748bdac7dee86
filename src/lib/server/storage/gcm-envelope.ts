import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The AES-256-GCM envelope shared by stored blobs (encrypted-file-store.ts) and wrapped data keys
 * (data-keys.ts): `magic (4) | version (1) | IV (12) | ciphertext | tag (16)`, with the 17-byte header plus a
 * caller's binding (blob key, recording id) as additional authenticated data. The writer threads seal blobs
 * with their own self-contained copy of `sealEnvelope` (seal-job.ts), in the same layout.
 */
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 4 + 1 + IV_BYTES;

/** Seals `plain` under `key`; `bind` (e.g. the blob key) must be given again to open it. */
export function sealEnvelope(
  magic: Buffer,
  version: number,
  key: Uint8Array,
  plain: Uint8Array,
  bind: string
): Buffer {
  const iv = randomBytes(IV_BYTES);
  const header = Buffer.concat([magic, Buffer.from([version]), iv]);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.concat([header, Buffer.from(bind, 'utf8')]));
  return Buffer.concat([header, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/**
 * Opens an envelope with the key `keyFor(version)` gives (undefined: no key for that version).
 * @returns the plaintext, or undefined when the magic, length, key, binding or tag does not match
 */
export function openEnvelope(
  magic: Buffer,
  sealed: Uint8Array,
  keyFor: (version: number) => Uint8Array | undefined,
  bind: string
): Buffer | undefined {
  const s = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const key = keyFor(s[magic.length] ?? -1);
  if (
    key === undefined ||
    s.length < HEADER_BYTES + TAG_BYTES ||
    !s.subarray(0, magic.length).equals(magic)
  ) {
    return undefined;
  }
  const header = s.subarray(0, HEADER_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, header.subarray(magic.length + 1));
    decipher.setAAD(Buffer.concat([header, Buffer.from(bind, 'utf8')]));
    decipher.setAuthTag(s.subarray(s.length - TAG_BYTES));
    return Buffer.concat([decipher.update(s.subarray(HEADER_BYTES, s.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return undefined;
  }
}
