import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Upload tokens. A token is HMAC-SHA256(tokenKey, "upload-token:v1:" + recordingId) in base64url (32 bytes),
 * where tokenKey is derived from the recording key by HKDF. Only SHA-256(token) is stored. Deriving instead
 * of drawing random bytes lets `POST /api/recordings` answer a retry with the same token without storing the
 * token itself; it is still unguessable without the server's key.
 */
export function deriveUploadToken(recordingKey: Buffer, recordingId: string): string {
  const tokenKey = Buffer.from(
    hkdfSync('sha256', recordingKey, Buffer.alloc(0), 'advisor-phone upload tokens v1', 32)
  );
  return createHmac('sha256', tokenKey).update(`upload-token:v1:${recordingId}`).digest('base64url');
}

/** SHA-256 hex of a token, as stored in `recordings.upload_token_hash`. */
export function hashUploadToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex hashes. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | null): string | null {
  const match = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(header ?? '');
  return match?.[1] ?? null;
}
