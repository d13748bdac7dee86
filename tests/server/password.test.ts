import { describe, expect, it } from 'vitest';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../../src/lib/server/auth/password';
import { FAST_SCRYPT } from './helpers';

describe('password hashing', () => {
  it('uses scrypt N=2^15 r=8 p=1 with a 16-byte salt and 32-byte key by default', async () => {
    const hash = await hashPassword('correct horse');
    const [scheme, N, r, p, salt, key] = hash.split('$');
    expect([scheme, N, r, p]).toEqual(['scrypt', '32768', '8', '1']);
    expect(Buffer.from(salt ?? '', 'base64')).toHaveLength(16);
    expect(Buffer.from(key ?? '', 'base64')).toHaveLength(32);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsf', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    const a = await hashPassword('same password', FAST_SCRYPT);
    const b = await hashPassword('same password', FAST_SCRYPT);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password', b)).toBe(true);
  });

  it('returns false for malformed hashes instead of throwing', async () => {
    for (const bad of [
      '',
      'plain',
      'scrypt$1$8$1$AAAA$AAAA',
      'bcrypt$x$y$z$a$b',
      'scrypt$999999999$8$1$AA$AA'
    ]) {
      expect(await verifyPassword('x', bad)).toBe(false);
    }
  });

  it('has a dummy hash that no guess matches', async () => {
    const dummy = await dummyPasswordHash();
    expect(dummy).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('', dummy)).toBe(false);
    expect(await dummyPasswordHash()).toBe(dummy);
  });
});
