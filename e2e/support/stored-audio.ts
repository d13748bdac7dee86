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
  recording: { id: string; status: string; direction: string; durationMs: number | null };
  timeline: { type: string; at: string; detail: Record<string, unknown> | null }[];
  segments: { seq: number; durationMs: number; sha256: string; integrity: string }[];
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

/** Level in dB (full-scale sine = 0) of `hz` over the whole of `pcm`, by Goertzel. */
export function toneLevelDb(pcm: Float32Array, hz: number, rate = 16000): number {
  const k = (2 * Math.PI * hz) / rate;
  const coeff = 2 * Math.cos(k);
  let s1 = 0;
  let s2 = 0;
  for (const x of pcm) {
    const s0 = x + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  const amplitude = (2 * Math.sqrt(Math.max(power, 0))) / pcm.length;
  return 20 * Math.log10(Math.max(amplitude, 1e-9));
}

/** Levels of the given tones in `pcm`, for the test log: `440 Hz -12.6 dB, 1000 Hz -12.6 dB`. */
export function toneReport(pcm: Float32Array, tones: readonly number[]): string {
  return tones.map((hz) => `${hz} Hz ${toneLevelDb(pcm, hz).toFixed(1)} dB`).join(', ');
}

/**
 * The loudest level of `hz` over consecutive windows of `windowMs` (dB, full-scale sine = 0). Audio joined
 * from several captured spans has phase jumps at the joins, across which one Goertzel over the whole file
 * can partly cancel a tone that is there: for "absent anywhere", look at each window.
 */
export function peakToneLevelDb(pcm: Float32Array, hz: number, windowMs = 500, rate = 16000): number {
  const size = Math.round((rate * windowMs) / 1000);
  let peak = -180;
  for (let start = 0; start + size <= pcm.length; start += size) {
    peak = Math.max(peak, toneLevelDb(pcm.subarray(start, start + size), hz, rate));
  }
  return peak;
}

/**
 * Median over 1 s windows of {@link toneLevelDb}. Over a long call a remote tone reaches the recording through
 * WebRTC's jitter buffer, whose stretching shifts its phase now and then; one Goertzel over the whole call then
 * partly cancels itself, while every second on its own still holds the tone at full level.
 */
export function medianToneLevelDb(pcm: Float32Array, hz: number, rate = 16000): number {
  const levels: number[] = [];
  for (let at = 0; at + rate <= pcm.length; at += rate)
    levels.push(toneLevelDb(pcm.subarray(at, at + rate), hz, rate));
  levels.sort((a, b) => a - b);
  return levels[Math.floor(levels.length / 2)] ?? -Infinity;
}
