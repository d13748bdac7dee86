import { createHash } from 'node:crypto';

/** Bytes of one MPEG-2 Layer III frame at 32 kbps, 16 kHz, mono: 72 * 32000 / 16000. */
export const FRAME_BYTES = 144;

/**
 * `count` silent MPEG-2 Layer III frames (32 kbps, 16 kHz, mono, no CRC): a valid header followed by a
 * zero payload, which decoders play as silence. `fill` varies the payload's last byte so that two
 * segments can differ.
 */
export function silentFrames(count: number, fill = 0): Uint8Array {
  const out = new Uint8Array(count * FRAME_BYTES);
  for (let i = 0; i < count; i++) {
    const at = i * FRAME_BYTES;
    out.set([0xff, 0xf3, 0x48, 0xc0], at);
    out[at + FRAME_BYTES - 1] = fill;
  }
  return out;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A UUID v7 for `ms` (default now) with random-looking but deterministic tail from `n`. */
export function uuidV7(n: number, ms = Date.now()): string {
  const hex = ms.toString(16).padStart(12, '0');
  const tail = n.toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-${tail}`;
}
