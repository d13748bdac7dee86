import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRecordingConfig } from '../../src/lib/server/recording-config';

describe('recording config: BLOB_WRITER_THREADS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ap-reccfg-'));
  const key = { RECORDING_KEY: 'ab'.repeat(32) };

  it('defaults to 8 and takes 1 to 64', () => {
    expect(loadRecordingConfig(key, dir).blobWriterThreads).toBe(8);
    expect(loadRecordingConfig({ ...key, BLOB_WRITER_THREADS: '2' }, dir).blobWriterThreads).toBe(2);
    expect(loadRecordingConfig({ ...key, BLOB_WRITER_THREADS: '64' }, dir).blobWriterThreads).toBe(64);
  });

  it.each(['0', '65', '-1', '2.5', 'eight'])('refuses %s', (value) => {
    expect(() => loadRecordingConfig({ ...key, BLOB_WRITER_THREADS: value }, dir)).toThrow(
      /BLOB_WRITER_THREADS/
    );
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));
});
