import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobIntegrityError } from '../../src/lib/server/storage/blob-store';
import {
  DataKeyError,
  newDataKey,
  unwrapDataKey,
  wrapDataKey,
  WRAPPED_KEY_BYTES
} from '../../src/lib/server/storage/data-keys';
import { EncryptedFileStore } from '../../src/lib/server/storage/encrypted-file-store';

const ID = '0190a000-0000-7000-8000-000000000001';
const OTHER = '0190a000-0000-7000-8000-000000000002';

describe('per-recording data keys', () => {
  const master = randomBytes(32);

  it('wraps and unwraps a key; each wrap is fresh', () => {
    const key = newDataKey();
    const a = wrapDataKey(master, ID, key);
    const b = wrapDataKey(master, ID, key);
    expect(a).toHaveLength(WRAPPED_KEY_BYTES);
    expect(a.equals(b)).toBe(false);
    expect(unwrapDataKey(master, ID, a).equals(key)).toBe(true);
    expect(a.includes(key)).toBe(false);
  });

  it('refuses a wrapped key moved to another recording, altered, cut short, or under another master key', () => {
    const wrapped = wrapDataKey(master, ID, newDataKey());
    expect(() => unwrapDataKey(master, OTHER, wrapped)).toThrow(DataKeyError);
    for (const at of [0, 4, 10, 30, 64]) {
      const bad = Buffer.from(wrapped);
      bad[at] = (bad[at] as number) ^ 1;
      expect(() => unwrapDataKey(master, ID, bad)).toThrow(DataKeyError);
    }
    expect(() => unwrapDataKey(master, ID, wrapped.subarray(0, 64))).toThrow(DataKeyError);
    expect(() => unwrapDataKey(randomBytes(32), ID, wrapped)).toThrow(DataKeyError);
  });

  it('refuses data keys of the wrong length', () => {
    expect(() => wrapDataKey(master, ID, randomBytes(16))).toThrow('32 bytes');
  });
});

describe('the encrypted file store with data keys', () => {
  let root: string;
  let store: EncryptedFileStore;
  const master = randomBytes(32);
  const bytes = Buffer.from('ID3 not really audio, but bytes all the same');

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ap-data-keys-'));
    store = new EncryptedFileStore(root, master, { writerThreads: 1 });
  });
  afterEach(async () => {
    await store.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('reads a blob written with a data key only with that key', async () => {
    const key = newDataKey();
    await store.put(`${ID}/00000-a.seg`, bytes, undefined, key);
    expect(Buffer.from((await store.get(`${ID}/00000-a.seg`, key))!)).toEqual(bytes);
    await expect(store.get(`${ID}/00000-a.seg`)).rejects.toBeInstanceOf(BlobIntegrityError);
    await expect(store.get(`${ID}/00000-a.seg`, newDataKey())).rejects.toBeInstanceOf(BlobIntegrityError);
  });

  it('still reads blobs written under the master key (recordings made before data keys)', async () => {
    await store.put(`${ID}/00000-b.seg`, bytes);
    expect(Buffer.from((await store.get(`${ID}/00000-b.seg`))!)).toEqual(bytes);
    // A data key handed in for an old blob is not used: the file says which key it needs.
    expect(Buffer.from((await store.get(`${ID}/00000-b.seg`, newDataKey()))!)).toEqual(bytes);
  });

  it('refuses a data key of the wrong length and writes nothing', async () => {
    await expect(store.put(`${ID}/00000-c.seg`, bytes, undefined, randomBytes(16))).rejects.toThrow(
      '32 bytes'
    );
    expect(await store.exists(`${ID}/00000-c.seg`)).toBe(false);
  });
});
