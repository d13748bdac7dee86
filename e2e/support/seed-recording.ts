import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uuidV7 } from '../../src/lib/domain/uuid-v7';
import { apiLogin } from './stored-audio';

/** A recording put through the real ingest API, as an advisor's browser would. */
export interface SeededRecording {
  id: string;
  remoteNumber: string;
  startedAt: string;
}

/** A 2 s 440 Hz MP3 (16 kHz mono, 32 kbps) made by Debian's ffmpeg. */
function toneMp3(): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'staff-e2e-'));
  try {
    const out = join(dir, 'tone.mp3');
    const args = ['-v', 'error', '-f', 'lavfi', '-i', 'sine=f=440:d=2', '-ar', '16000', '-ac', '1'];
    execFileSync('ffmpeg', [...args, '-b:a', '32k', out]);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function ok(res: Response, what: string): Promise<Response> {
  if (!res.ok) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return res;
}

/**
 * As `advisor`: creates a recording with a fresh caller number, uploads one 2 s segment, a timeline with a
 * hold in the middle (1 s audio, 3 s on hold, 1 s audio) and finishes it, so the server has it complete.
 */
export async function seedRecording(appUrl: string, advisor = 'alice'): Promise<SeededRecording> {
  const cookie = await apiLogin(appUrl, advisor);
  const t0 = Date.now() - 60_000;
  const id = uuidV7(t0, (n) => new Uint8Array(randomBytes(n)));
  const remoteNumber = `+4416329${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;
  const startedAt = new Date(t0).toISOString();
  const json = { 'content-type': 'application/json', origin: appUrl };
  const created = await ok(
    await fetch(`${appUrl}/api/recordings`, {
      method: 'POST',
      headers: { ...json, cookie },
      body: JSON.stringify({
        id,
        callId: `e2e-${id}@pbx`,
        direction: 'inbound',
        remoteNumber,
        line: '5000',
        startedAt
      })
    }),
    'create'
  );
  const { uploadToken } = (await created.json()) as { uploadToken: string };
  const bearer = { authorization: `Bearer ${uploadToken}` };
  const mp3 = toneMp3();
  await ok(
    await fetch(`${appUrl}/api/recordings/${id}/segments/0`, {
      method: 'PUT',
      headers: {
        ...bearer,
        'content-type': 'audio/mpeg',
        'x-segment-sha256': createHash('sha256').update(mp3).digest('hex'),
        'x-segment-start-ms': '0',
        'x-segment-duration-ms': '2000'
      },
      body: new Uint8Array(mp3)
    }),
    'segment'
  );
  const at = (s: number) => new Date(t0 + s * 1000).toISOString();
  const events = [
    { id: 'e1', type: 'started', at: at(0) },
    { id: 'e2', type: 'hold', at: at(1) },
    { id: 'e3', type: 'paused', at: at(1), detail: { reason: 'hold' } },
    { id: 'e4', type: 'unhold', at: at(4) },
    { id: 'e5', type: 'resumed', at: at(4) },
    { id: 'e6', type: 'ended', at: at(5), detail: { reason: 'call-ended' } }
  ];
  await ok(
    await fetch(`${appUrl}/api/recordings/${id}/events`, {
      method: 'POST',
      headers: { ...json, ...bearer },
      body: JSON.stringify(events)
    }),
    'events'
  );
  const finished = await ok(
    await fetch(`${appUrl}/api/recordings/${id}/finish`, {
      method: 'POST',
      headers: { ...json, ...bearer },
      body: JSON.stringify({ segmentCount: 1, durationMs: 2000 })
    }),
    'finish'
  );
  const { complete } = (await finished.json()) as { complete: boolean };
  if (!complete) throw new Error('the seeded recording is not complete');
  return { id, remoteNumber, startedAt };
}
