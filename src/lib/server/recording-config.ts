import { ConfigError, getConfig, readOrCreateHexFile, type Env } from './config';
import { DEFAULT_BLOB_WRITERS } from './storage/blob-writer-pool';

/** Configuration of the recording store (kept apart from {@link Config} so it can grow on its own). */
export interface RecordingConfig {
  /** Where the database, `audio/` and the key file live (the same DATA_DIR as {@link Config}). */
  readonly dataDir: string;
  /** 32-byte AES-256 key: env `RECORDING_KEY` (64 hex digits) or the generated 0600 file `recording.key`. */
  readonly recordingKey: Buffer;
  /** Largest accepted segment body. `SEGMENT_MAX_BYTES`, default 1 MiB. */
  readonly segmentMaxBytes: number;
  /** Threads that hash, encrypt and durably write segments. `BLOB_WRITER_THREADS`, default 8 (1 to 64). */
  readonly blobWriterThreads: number;
}

/** File name of the generated recording key inside DATA_DIR. */
export const RECORDING_KEY_FILE = 'recording.key';

const KEY_HEX = /^[0-9a-fA-F]{64}$/;

/**
 * Reads `${dataDir}/recording.key` (one line, 64 hex digits), creating it with mode 0600 from 32 random
 * bytes when missing. Creation uses O_EXCL, so two processes starting together agree on one key.
 */
export function readOrCreateRecordingKey(dataDir: string): Buffer {
  const line = readOrCreateHexFile(
    dataDir,
    RECORDING_KEY_FILE,
    KEY_HEX,
    'RECORDING_KEY',
    'one line of 64 hex digits'
  );
  return Buffer.from(line, 'hex');
}

/** Builds the recording configuration; `dataDir` comes from the main config. @throws ConfigError */
export function loadRecordingConfig(env: Env, dataDir: string): RecordingConfig {
  const keyText = (env.RECORDING_KEY ?? '').trim();
  if (keyText !== '' && !KEY_HEX.test(keyText)) {
    throw new ConfigError('RECORDING_KEY', 'must be 64 hex digits (32 bytes)');
  }
  const maxText = (env.SEGMENT_MAX_BYTES ?? '').trim() || String(1024 * 1024);
  const segmentMaxBytes = Number(maxText);
  if (!/^[0-9]+$/.test(maxText) || segmentMaxBytes < 1024 || segmentMaxBytes > 64 * 1024 * 1024) {
    throw new ConfigError('SEGMENT_MAX_BYTES', `must be an integer from 1024 to 67108864, got "${maxText}"`);
  }
  const threadsText = (env.BLOB_WRITER_THREADS ?? '').trim() || String(DEFAULT_BLOB_WRITERS);
  const blobWriterThreads = Number(threadsText);
  if (!/^[0-9]+$/.test(threadsText) || blobWriterThreads < 1 || blobWriterThreads > 64) {
    throw new ConfigError('BLOB_WRITER_THREADS', `must be an integer from 1 to 64, got "${threadsText}"`);
  }
  return Object.freeze({
    dataDir,
    blobWriterThreads,
    recordingKey: keyText !== '' ? Buffer.from(keyText, 'hex') : readOrCreateRecordingKey(dataDir),
    segmentMaxBytes
  });
}

let cached: RecordingConfig | undefined;

/** The server's one RecordingConfig, from `process.env` and `getConfig().dataDir` on first use. */
export function getRecordingConfig(): RecordingConfig {
  cached ??= loadRecordingConfig(process.env, getConfig().dataDir);
  return cached;
}
