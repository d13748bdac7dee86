/**
 * What the browser keeps in IndexedDB until the retention service confirms it.
 * Nothing here ever holds keypad digits: timeline details come from the policy,
 * which carries none.
 */
import type { ChunkEvent } from '$lib/recorder/encoder-protocol';

/** A recording the browser is capturing or still has to deliver. */
export interface OutboxRecording {
  id: string;
  callId: string;
  direction: 'inbound' | 'outbound';
  remoteNumber: string;
  line: string;
  /** ISO 8601. */
  startedAt: string;
  /** Write-only token from `POST /api/recordings`; null until the server has the recording. */
  uploadToken: string | null;
  /** Set when capture stopped: what the server should have once every segment is in. */
  finished: OutboxFinish | null;
  /** Segments captured so far and their total length, kept so a crashed capture can still be finished. */
  segmentsStored: number;
  durationMs: number;
  /**
   * The encoder's delay (decoded samples before the first captured one), stored with the first audio, so a
   * recording recovered after a crash still plays from its exact first sample.
   */
  encoderDelaySamples?: number;
  /** The caller objected: nothing more is uploaded and the server must erase what it has. */
  objected: boolean;
  /** ms since epoch when the browser created it (FIFO order). */
  createdAt: number;
}

/** The body of the server's `finish`: what it should have, and the encoder's delay and padding for exact playback. */
export interface OutboxFinish {
  segmentCount: number;
  durationMs: number;
  /** Decoded samples before the first captured one; absent when unknown. */
  encoderDelaySamples?: number;
  /** Decoded samples after the last captured one; absent when the final segment never came (a crash). */
  paddingSamples?: number;
}

/** One encoded MP3 segment waiting for upload. */
export interface OutboxSegment {
  recordingId: string;
  seq: number;
  bytes: Uint8Array;
  /** Hex SHA-256 of `bytes`. */
  sha256: string;
  startMs: number;
  durationMs: number;
  createdAt: number;
}

/**
 * A durable progress copy of the segment being captured (about one a second): the encoder's chunk (whole MP3
 * frames of segment `seq` that its earlier chunks did not carry) and when it was stored. Never uploaded as
 * such: when the segment completes it replaces its chunks, and after a tab died mid-segment the next start
 * joins them, in `part` order, into that segment.
 */
export type OutboxChunk = Omit<ChunkEvent, 'v' | 'type'> & {
  /** ms since epoch when it was stored. */
  createdAt: number;
};

/** One timeline event waiting for upload. */
export interface OutboxEvent {
  recordingId: string;
  eventId: string;
  type: string;
  /** ISO 8601. */
  at: string;
  detail: Record<string, string | number | boolean | null>;
}

/** Durable storage of the outbox (IndexedDB in the browser, a map in unit tests). */
export interface OutboxStore {
  putRecording(recording: OutboxRecording): Promise<void>;
  getRecording(id: string): Promise<OutboxRecording | undefined>;
  /** Read-modify-write of some fields in one transaction (capture and uploader update the same row). */
  updateRecording(id: string, patch: Partial<Omit<OutboxRecording, 'id'>>): Promise<void>;
  listRecordings(): Promise<OutboxRecording[]>;
  /** Deletes the recording with all its segments, chunks and events, in one transaction. */
  deleteRecording(id: string): Promise<void>;
  /**
   * Resolves only once the segment is durably stored. Removes the segment's chunks in the same transaction,
   * so the outbox always holds either the chunks or the whole segment, never neither.
   */
  putSegment(segment: OutboxSegment): Promise<void>;
  /** Stores one chunk of the segment being captured (one small durable write). */
  putChunk(chunk: OutboxChunk): Promise<void>;
  /** A recording's chunks, ordered by segment then part. */
  listChunks(recordingId: string): Promise<OutboxChunk[]>;
  deleteChunks(recordingId: string): Promise<void>;
  /** Oldest first. */
  listSegments(): Promise<OutboxSegment[]>;
  deleteSegment(recordingId: string, seq: number): Promise<void>;
  putEvents(events: OutboxEvent[]): Promise<void>;
  listEvents(recordingId: string): Promise<OutboxEvent[]>;
  deleteEvents(recordingId: string, eventIds: string[]): Promise<void>;
}

/** Thrown when the browser refuses to store more (quota): shown to the advisor, never swallowed. */
export class OutboxQuotaError extends Error {
  constructor(cause: unknown) {
    super(
      'This browser has run out of storage for call recordings. Free disk space or ask IT; recording audio is at risk.',
      { cause }
    );
    this.name = 'OutboxQuotaError';
  }
}
