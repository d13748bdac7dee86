import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobHashMismatchError } from '../../src/lib/server/storage/blob-store';
import { EncryptedFileStore } from '../../src/lib/server/storage/encrypted-file-store';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('encrypted file store writer threads', () => {
  let root: string;
  let store: EncryptedFileStore;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ap-writers-'));
    store = new EncryptedFileStore(root, Buffer.alloc(32, 3), { writerThreads: 2 });
  });
  afterEach(async () => {
    await store.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('writes nothing, not even a temp file, when the bytes do not match the expected SHA-256', async () => {
    const bytes = Buffer.from('some audio');
    await expect(store.put('r1/00000-a.seg', bytes, sha(Buffer.from('other')))).rejects.toBeInstanceOf(
      BlobHashMismatchError
    );
    expect(readdirSync(root, { recursive: true })).toEqual([]);
  });

  it('stores concurrent blobs across threads, encrypted at rest and readable back', async () => {
    const blobs = Array.from({ length: 20 }, (_, i) => Buffer.alloc(4000 + i, i));
    await Promise.all(
      blobs.map((b, i) => store.put(`r${i % 3}/${String(i).padStart(5, '0')}-a.seg`, b, sha(b)))
    );
    for (const [i, b] of blobs.entries()) {
      const key = `r${i % 3}/${String(i).padStart(5, '0')}-a.seg`;
      expect(Buffer.from((await store.get(key)) ?? [])).toEqual(b);
      expect(readFileSync(join(root, key)).includes(b.subarray(0, 64))).toBe(false);
    }
    const names = readdirSync(root, { recursive: true }).map(String);
    expect(names.filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('moves handed-over bytes to the writer without a copy, and copies a view into a larger buffer', async () => {
    const owned = new Uint8Array(Buffer.alloc(5000, 7));
    const expected = Buffer.from(owned);
    await store.put('r1/00000-a.seg', owned, sha(expected), undefined, { handOver: true });
    expect(owned.byteLength).toBe(0); // detached: its buffer went to the writer thread
    expect(Buffer.from((await store.get('r1/00000-a.seg')) ?? [])).toEqual(expected);

    const whole = Buffer.alloc(6000, 9);
    const view = whole.subarray(1000, 3000);
    await store.put('r1/00001-a.seg', view, sha(view), undefined, { handOver: true });
    expect(view.byteLength).toBe(2000); // not the whole buffer: copied, the rest of it stays usable
    expect(Buffer.from((await store.get('r1/00001-a.seg')) ?? [])).toEqual(Buffer.alloc(2000, 9));

    const kept = Buffer.alloc(100, 1);
    await store.put('r1/00002-a.seg', kept, sha(kept));
    expect(kept).toEqual(Buffer.alloc(100, 1)); // not handed over: the caller keeps its bytes
  });

  it("passes a writer's fs error back with its code and leaves no temp file", async () => {
    writeFileSync(join(root, 'taken'), 'a file where a folder should be');
    await expect(store.put('taken/00000-a.seg', Buffer.from('x'))).rejects.toMatchObject({
      code: 'ENOTDIR'
    });
    expect(readdirSync(root)).toEqual(['taken']);
  });

  it('keeps working after close: the next put starts new threads', async () => {
    await store.close();
    const b = Buffer.from('after close');
    await store.put('r9/00000-a.seg', b);
    expect(Buffer.from((await store.get('r9/00000-a.seg')) ?? [])).toEqual(b);
  });
});
