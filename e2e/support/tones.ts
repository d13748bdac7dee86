import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Sample rate of the generated tone files (Chromium's fake capture reads 48 kHz best). */
export const TONE_SAMPLE_RATE = 48_000;
/** Length of a tone file; Chromium loops the file, so it holds a whole number of cycles. */
export const TONE_SECONDS = 60;
/** Peak level of the sine in dBFS. */
export const TONE_LEVEL_DBFS = -12;

const toneDir = join(tmpdir(), 'advisor-phone-e2e-tones');

/**
 * Write (once) a 48 kHz 16-bit mono PCM WAV sine of `hz` at -12 dBFS, 60 s long, with an integer number of
 * cycles so that Chromium's looping fake microphone has no click at the seam.
 * @returns the absolute path of the WAV file
 */
export function writeToneWav(hz: number): string {
  if (!(hz > 0 && hz < TONE_SAMPLE_RATE / 2)) throw new Error(`tone frequency out of range: ${hz}`);
  const samples = TONE_SAMPLE_RATE * TONE_SECONDS;
  const cycles = Math.max(1, Math.round(hz * TONE_SECONDS));
  const path = join(toneDir, `tone-${hz}hz-${TONE_SECONDS}s.wav`);
  if (existsSync(path)) return path;
  mkdirSync(toneDir, { recursive: true });
  const amplitude = Math.round(32767 * 10 ** (TONE_LEVEL_DBFS / 20));
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i += 1) {
    const value = Math.round(amplitude * Math.sin((2 * Math.PI * cycles * i) / samples));
    data.writeInt16LE(value, i * 2);
  }
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.concat([wavHeader(data.length), data]));
  renameSync(tmp, path);
  return path;
}

function wavHeader(dataBytes: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(TONE_SAMPLE_RATE, 24);
  header.writeUInt32LE(TONE_SAMPLE_RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return header;
}
