import { describe, expect, it } from 'vitest';
import { uuidV7 } from './uuid-v7';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidV7', () => {
  it('encodes the time in the first 48 bits and sets version and variant', () => {
    const id = uuidV7(0x0189_2b3c_4d5e, () => new Uint8Array(16).fill(0xff));
    expect(id).toMatch(UUID_V7);
    expect(id.startsWith('01892b3c-4d5e-7fff-bfff-')).toBe(true);
  });
  it('sorts by creation time', () => {
    const rnd = () => crypto.getRandomValues(new Uint8Array(16));
    const a = uuidV7(1_700_000_000_000, rnd);
    const b = uuidV7(1_700_000_000_001, rnd);
    expect(a < b).toBe(true);
  });
  it('refuses impossible times', () => {
    expect(() => uuidV7(-1, () => new Uint8Array(16))).toThrow(RangeError);
  });
});
