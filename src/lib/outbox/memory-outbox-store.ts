import type { OutboxChunk, OutboxEvent, OutboxRecording, OutboxSegment, OutboxStore } from './outbox-types';

/** An in-memory {@link OutboxStore} for unit tests (not durable: never used for real audio). */
export class MemoryOutboxStore implements OutboxStore {
  readonly recordings = new Map<string, OutboxRecording>();
  readonly segments = new Map<string, OutboxSegment>();
  readonly events = new Map<string, OutboxEvent>();
  readonly chunks = new Map<string, OutboxChunk>();

  async putRecording(r: OutboxRecording): Promise<void> {
    this.recordings.set(r.id, structuredClone(r));
  }
  async getRecording(id: string): Promise<OutboxRecording | undefined> {
    const r = this.recordings.get(id);
    return r ? structuredClone(r) : undefined;
  }
  async updateRecording(id: string, patch: Partial<Omit<OutboxRecording, 'id'>>): Promise<void> {
    const r = this.recordings.get(id);
    if (r) this.recordings.set(id, { ...r, ...structuredClone(patch) });
  }
  async listRecordings(): Promise<OutboxRecording[]> {
    return [...this.recordings.values()].map((r) => structuredClone(r));
  }
  async deleteRecording(id: string): Promise<void> {
    this.recordings.delete(id);
    for (const [k, s] of this.segments) if (s.recordingId === id) this.segments.delete(k);
    for (const [k, e] of this.events) if (e.recordingId === id) this.events.delete(k);
    await this.deleteChunks(id);
  }
  async putSegment(s: OutboxSegment): Promise<void> {
    this.segments.set(`${s.recordingId}/${s.seq}`, s);
    for (const [k, c] of this.chunks)
      if (c.recordingId === s.recordingId && c.seq === s.seq) this.chunks.delete(k);
  }
  async putChunk(c: OutboxChunk): Promise<void> {
    this.chunks.set(`${c.recordingId}/${c.seq}/${c.part}`, c);
  }
  async listChunks(recordingId: string): Promise<OutboxChunk[]> {
    return [...this.chunks.values()]
      .filter((c) => c.recordingId === recordingId)
      .sort((a, b) => a.seq - b.seq || a.part - b.part);
  }
  async deleteChunks(recordingId: string): Promise<void> {
    for (const [k, c] of this.chunks) if (c.recordingId === recordingId) this.chunks.delete(k);
  }
  async listSegments(): Promise<OutboxSegment[]> {
    return [...this.segments.values()].sort((a, b) => a.createdAt - b.createdAt);
  }
  async deleteSegment(recordingId: string, seq: number): Promise<void> {
    this.segments.delete(`${recordingId}/${seq}`);
  }
  async putEvents(events: OutboxEvent[]): Promise<void> {
    for (const e of events) this.events.set(`${e.recordingId}/${e.eventId}`, e);
  }
  async listEvents(recordingId: string): Promise<OutboxEvent[]> {
    return [...this.events.values()].filter((e) => e.recordingId === recordingId);
  }
  async deleteEvents(recordingId: string, eventIds: string[]): Promise<void> {
    for (const id of eventIds) this.events.delete(`${recordingId}/${id}`);
  }
}
