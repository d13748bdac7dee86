import { execFileSync } from 'node:child_process';
import { E2E_PASSWORD } from './app-server';

/** Logs in through the API (as a person with access would) and returns the session cookie. */
export async function apiLogin(appUrl: string, username: string): Promise<string> {
  const res = await fetch(`${appUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: appUrl },
    body: JSON.stringify({ username, password: E2E_PASSWORD })
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
  const cookie = res.headers.get('set-cookie');
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0] as string;
}

export interface StoredRecording {
  recording: { id: string; status: string; durationMs: number | null };
  timeline: { type: string; at: string; detail: Record<string, unknown> | null }[];
  segments: { seq: number; durationMs: number }[];
  integrity: { ok: boolean; missing: number[]; corrupt: number[] };
}

/** Recordings stored by the server for a remote number, newest first. */
export async function findRecordings(
  appUrl: string,
  cookie: string,
  number: string
): Promise<{ id: string }[]> {
  const res = await fetch(`${appUrl}/api/recordings?number=${encodeURIComponent(number)}`, {
    headers: { cookie }
  });
  if (!res.ok) throw new Error(`search: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { items: { id: string }[] }).items;
}

export async function recordingDetail(appUrl: string, cookie: string, id: string): Promise<StoredRecording> {
  const res = await fetch(`${appUrl}/api/recordings/${id}`, { headers: { cookie } });
  if (!res.ok) throw new Error(`detail: ${res.status}`);
  return (await res.json()) as StoredRecording;
}

/** The stitched MP3 as the server plays it, decoded by ffmpeg to 16 kHz mono float PCM. */
export async function decodedAudio(appUrl: string, cookie: string, id: string): Promise<Float32Array> {
  const res = await fetch(`${appUrl}/api/recordings/${id}/audio?purpose=quality`, { headers: { cookie } });
  if (!res.ok) throw new Error(`audio: ${res.status}`);
  const mp3 = Buffer.from(await res.arrayBuffer());
  const pcm = execFileSync(
    'ffmpeg',
    ['-v', 'error', '-i', 'pipe:0', '-f', 'f32le', '-ac', '1', '-ar', '16000', 'pipe:1'],
    {
      input: mp3,
      maxBuffer: 256 * 1024 * 1024
    }
  );
  return new Float32Array(pcm.buffer, pcm.byteOffset, pcm.byteLength / 4);
}

export {
  keypadPeakDb,
  medianToneLevelDb,
  peakToneLevelDb,
  toneLevelDb
} from '../../src/lib/recorder/tone-levels';
