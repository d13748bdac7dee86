import { join } from 'node:path';
import { getDb } from '../db/server-db';
import { getRecordingConfig } from '../recording-config';
import { EncryptedFileStore } from '../storage/encrypted-file-store';
import type { RecordingContext } from './recording-context';

let ctx: RecordingContext | undefined;

/** The server's real recording context: its database, `${DATA_DIR}/audio` encrypted store and clock. */
export function getRecordingContext(): RecordingContext {
  if (!ctx) {
    const config = getRecordingConfig();
    const store = new EncryptedFileStore(join(config.dataDir, 'audio'), config.recordingKey, {
      writerThreads: config.blobWriterThreads
    });
    store.startWriters();
    ctx = {
      db: getDb(),
      store,
      now: () => new Date(),
      config
    };
  }
  return ctx;
}
