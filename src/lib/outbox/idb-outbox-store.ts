import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import {
  OutboxQuotaError,
  type OutboxChunk,
  type OutboxEvent,
  type OutboxRecording,
  type OutboxSegment,
  type OutboxStore
} from './outbox-types';

interface OutboxSchema extends DBSchema {
  recordings: { key: string; value: OutboxRecording };
  segments: {
    key: [string, number];
    value: OutboxSegment;
    indexes: { byCreated: number; byRecording: string };
  };
  events: { key: [string, string]; value: OutboxEvent; indexes: { byRecording: string } };
  chunks: { key: [string, number, number]; value: OutboxChunk };
}

const DB_NAME = 'advisor-phone-outbox';
type StoreName = 'recordings' | 'segments' | 'events' | 'chunks';
type WriteTx = IDBPTransaction<OutboxSchema, StoreName[], 'readwrite'>;
const STRICT = { durability: 'strict' } as const;

/** Every chunk key of a recording ([id, seq, part]: numbers sort below arrays). */
const chunksOf = (id: string) => IDBKeyRange.bound([id], [id, []]);
/** Every chunk key of one segment. */
const chunksOfSegment = (id: string, seq: number) => IDBKeyRange.bound([id, seq, 0], [id, seq, Infinity]);

/**
 * The outbox in IndexedDB. Every write uses durability 'strict', so a segment (or a chunk of
 * one) is on disk before `putSegment` (`putChunk`) resolves and before any upload is tried.
 */
export class IdbOutboxStore implements OutboxStore {
  private constructor(private readonly db: IDBPDatabase<OutboxSchema>) {}

  static async open(): Promise<IdbOutboxStore> {
    const db = await openDB<OutboxSchema>(DB_NAME, 2, {
      upgrade(db, oldVersion) {
        if (oldVersion < 1) {
          db.createObjectStore('recordings', { keyPath: 'id' });
          const segments = db.createObjectStore('segments', { keyPath: ['recordingId', 'seq'] });
          segments.createIndex('byCreated', 'createdAt');
          segments.createIndex('byRecording', 'recordingId');
          const events = db.createObjectStore('events', { keyPath: ['recordingId', 'eventId'] });
          events.createIndex('byRecording', 'recordingId');
        }
        if (oldVersion < 2) db.createObjectStore('chunks', { keyPath: ['recordingId', 'seq', 'part'] });
      }
    });
    return new IdbOutboxStore(db);
  }

  close(): void {
    this.db.close();
  }

  async putRecording(recording: OutboxRecording): Promise<void> {
    await this.#write(['recordings'], async (tx) => {
      await tx.objectStore('recordings').put(recording);
    });
  }

  getRecording(id: string): Promise<OutboxRecording | undefined> {
    return this.db.get('recordings', id);
  }

  async updateRecording(id: string, patch: Partial<Omit<OutboxRecording, 'id'>>): Promise<void> {
    await this.#write(['recordings'], async (tx) => {
      const store = tx.objectStore('recordings');
      const current = await store.get(id);
      if (current) await store.put({ ...current, ...patch });
    });
  }

  listRecordings(): Promise<OutboxRecording[]> {
    return this.db.getAll('recordings');
  }

  async deleteRecording(id: string): Promise<void> {
    await this.#write(['recordings', 'segments', 'events', 'chunks'], async (tx) => {
      await tx.objectStore('recordings').delete(id);
      await tx.objectStore('chunks').delete(chunksOf(id));
      for (const store of ['segments', 'events'] as const) {
        const index = tx.objectStore(store).index('byRecording');
        let cursor = await index.openCursor(IDBKeyRange.only(id));
        while (cursor) {
          await cursor.delete();
          cursor = await cursor.continue();
        }
      }
    });
  }

  async putSegment(segment: OutboxSegment): Promise<void> {
    await this.#write(['segments', 'chunks'], async (tx) => {
      await tx.objectStore('segments').put(segment);
      await tx.objectStore('chunks').delete(chunksOfSegment(segment.recordingId, segment.seq));
    });
  }

  async putChunk(chunk: OutboxChunk): Promise<void> {
    await this.#write(['chunks'], async (tx) => {
      await tx.objectStore('chunks').put(chunk);
    });
  }

  listChunks(recordingId: string): Promise<OutboxChunk[]> {
    return this.db.getAll('chunks', chunksOf(recordingId));
  }

  async deleteChunks(recordingId: string): Promise<void> {
    await this.#write(['chunks'], async (tx) => {
      await tx.objectStore('chunks').delete(chunksOf(recordingId));
    });
  }

  listSegments(): Promise<OutboxSegment[]> {
    return this.db.getAllFromIndex('segments', 'byCreated');
  }

  async deleteSegment(recordingId: string, seq: number): Promise<void> {
    await this.#write(['segments'], async (tx) => {
      await tx.objectStore('segments').delete([recordingId, seq]);
    });
  }

  async putEvents(events: OutboxEvent[]): Promise<void> {
    await this.#write(['events'], async (tx) => {
      for (const e of events) await tx.objectStore('events').put(e);
    });
  }

  listEvents(recordingId: string): Promise<OutboxEvent[]> {
    return this.db.getAllFromIndex('events', 'byRecording', recordingId);
  }

  async deleteEvents(recordingId: string, eventIds: string[]): Promise<void> {
    await this.#write(['events'], async (tx) => {
      for (const id of eventIds) await tx.objectStore('events').delete([recordingId, id]);
    });
  }

  async #write(stores: StoreName[], work: (tx: WriteTx) => Promise<void>): Promise<void> {
    try {
      const tx = this.db.transaction(stores, 'readwrite', STRICT);
      await Promise.all([work(tx), tx.done]);
    } catch (error) {
      if (error instanceof DOMException && error.name === 'QuotaExceededError')
        throw new OutboxQuotaError(error);
      throw error;
    }
  }
}
