import type { OutboxEvent, OutboxFinish, OutboxRecording, OutboxSegment } from './outbox-types';

/** Outcome of one request to the retention service, as the uploader acts on it. */
export type IngestResult<T = undefined> =
  | { kind: 'ok'; value: T }
  /** Network down, server busy or failing, session expired: try again later. */
  | { kind: 'retry'; reason: string }
  /** The server erased the recording (e.g. the caller objected): drop the local copy. */
  | { kind: 'gone' }
  /** The server refuses this for good (conflict, bad data): keep the data and tell the advisor. */
  | { kind: 'refused'; reason: string };

/**
 * The retention service's ingest API (docs/api.md, "Recordings — ingest"), over an
 * injected fetch. Only this file knows URLs and headers.
 */
export class IngestClient {
  constructor(private readonly fetch: typeof globalThis.fetch) {}

  async createRecording(r: OutboxRecording): Promise<IngestResult<string>> {
    const res = await this.#send(
      '/api/recordings',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          id: r.id,
          callId: r.callId,
          direction: r.direction,
          remoteNumber: r.remoteNumber,
          line: r.line,
          startedAt: r.startedAt
        })
      },
      true
    );
    if (res.kind !== 'ok') return res;
    const body = (await res.value.json().catch(() => null)) as { uploadToken?: unknown } | null;
    if (typeof body?.uploadToken !== 'string')
      return { kind: 'retry', reason: 'The server sent no upload token' };
    return { kind: 'ok', value: body.uploadToken };
  }

  async putSegment(token: string, s: OutboxSegment): Promise<IngestResult> {
    const res = await this.#send(`/api/recordings/${encodeURIComponent(s.recordingId)}/segments/${s.seq}`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'audio/mpeg',
        'x-segment-sha256': s.sha256,
        'x-segment-start-ms': String(s.startMs),
        'x-segment-duration-ms': String(s.durationMs)
      },
      body: s.bytes as BodyInit
    });
    if (res.kind !== 'ok') return res;
    // The server verified our SHA-256 before answering 200/201; when it echoes one, it must be ours.
    const body = (await res.value.json().catch(() => null)) as { sha256?: unknown } | null;
    if (typeof body?.sha256 === 'string' && body.sha256 !== s.sha256) {
      return { kind: 'refused', reason: `Segment ${s.seq} was stored with another hash` };
    }
    return { kind: 'ok', value: undefined };
  }

  async postEvents(token: string, recordingId: string, events: OutboxEvent[]): Promise<IngestResult> {
    const res = await this.#send(`/api/recordings/${encodeURIComponent(recordingId)}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(events.map((e) => ({ id: e.eventId, type: e.type, at: e.at, detail: e.detail })))
    });
    return res.kind === 'ok' ? { kind: 'ok', value: undefined } : res;
  }

  async finish(
    token: string,
    recordingId: string,
    f: OutboxFinish
  ): Promise<IngestResult<{ complete: boolean; missing: number[] }>> {
    const res = await this.#send(`/api/recordings/${encodeURIComponent(recordingId)}/finish`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(f)
    });
    if (res.kind !== 'ok') return res;
    const body = (await res.value.json().catch(() => null)) as {
      complete?: unknown;
      missing?: unknown;
    } | null;
    const missing = Array.isArray(body?.missing)
      ? body.missing.filter((n): n is number => typeof n === 'number')
      : [];
    return { kind: 'ok', value: { complete: body?.complete === true, missing } };
  }

  /** @param sessionAuth - true when the login cookie authorises the call (401 = log in again, worth a retry). */
  /** Tells the service the caller objected: it erases the recording's audio and audits the decision. */
  async object(token: string, recordingId: string): Promise<IngestResult> {
    const res = await this.#send(`/api/recordings/${encodeURIComponent(recordingId)}/objection`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}'
    });
    return res.kind === 'ok' ? { kind: 'ok', value: undefined } : res;
  }

  async #send(url: string, init: RequestInit, sessionAuth = false): Promise<IngestResult<Response>> {
    let res: Response;
    try {
      res = await this.fetch(url, { ...init, credentials: 'same-origin' });
    } catch {
      return { kind: 'retry', reason: 'The recording service is unreachable' };
    }
    if (res.ok) return { kind: 'ok', value: res };
    const detail = await res
      .json()
      .then((b: { detail?: unknown }) => (typeof b?.detail === 'string' ? b.detail : ''))
      .catch(() => '');
    if (res.status === 410) return { kind: 'gone' };
    if (
      (res.status === 401 && sessionAuth) ||
      res.status === 408 ||
      res.status === 429 ||
      res.status >= 500
    ) {
      const why =
        res.status === 401
          ? 'Log in again to upload recordings'
          : `The recording service answered ${res.status}`;
      return { kind: 'retry', reason: why };
    }
    return {
      kind: 'refused',
      reason: `The recording service refused (${res.status})${detail ? `: ${detail}` : ''}`
    };
  }
}
