/**
 * Is this MPEG audio? Checks the first MPEG audio frame: an optional ID3v2 tag is skipped, then the frame
 * header must have the 11-bit sync word, a known version (1, 2 or 2.5), Layer III, a bitrate index other
 * than free (0) or bad (15), a sample-rate index other than reserved (3) and a non-reserved emphasis, and the
 * whole frame it announces must be present. A Xing/LAME info frame is itself such a frame, so it passes.
 *
 * Decision on truncation: a body whose first frame header is valid but whose bytes end before that frame
 * ends is NOT MPEG audio (400): the browser cuts segments on frame boundaries, so a short first frame means
 * a broken upload. Later frames are not walked: the bit reservoir makes a frame-by-frame check costly and
 * the client's SHA-256 already guards the bytes.
 */

/** kbps by [version is MPEG-1][bitrate index] for Layer III. */
const BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
/** Hz by version bits (0 = 2.5, 2 = 2, 3 = 1) and sample-rate index. */
const SAMPLE_RATES: Record<number, readonly number[]> = {
  0: [11025, 12000, 8000],
  2: [22050, 24000, 16000],
  3: [44100, 48000, 32000]
};

/** A parsed Layer III frame header. */
export interface MpegFrameHeader {
  /** 1, 2 or 2.5. */
  version: 1 | 2 | 2.5;
  bitrateKbps: number;
  sampleRate: number;
  /** Bytes of the whole frame, header included. */
  frameBytes: number;
}

/**
 * Bytes of the whole Layer III frame whose header is at `offset` (header included), or 0 when no valid header
 * is there. Allocates nothing: {@link countFrames} walks every frame of every uploaded segment (hundreds each).
 */
function frameBytesAt(bytes: Uint8Array, offset: number): number {
  if (offset + 4 > bytes.length) return 0;
  const b1 = bytes[offset + 1] ?? 0;
  const b2 = bytes[offset + 2] ?? 0;
  const b3 = bytes[offset + 3] ?? 0;
  if (bytes[offset] !== 0xff || (b1 & 0xe0) !== 0xe0) return 0;
  const versionBits = (b1 >> 3) & 3;
  const layerBits = (b1 >> 1) & 3;
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (versionBits === 1 || layerBits !== 1) return 0;
  if (bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3 || (b3 & 3) === 2) return 0;
  const v1 = versionBits === 3;
  const bitrateKbps = (v1 ? BITRATES_V1 : BITRATES_V2)[bitrateIndex] ?? 0;
  const sampleRate = SAMPLE_RATES[versionBits]?.[rateIndex] ?? 0;
  return Math.floor(((v1 ? 144 : 72) * bitrateKbps * 1000) / sampleRate) + ((b2 >> 1) & 1);
}

/** Parses the 4-byte header at `offset`, or returns undefined when it is not a valid Layer III header. */
export function parseFrameHeader(bytes: Uint8Array, offset: number): MpegFrameHeader | undefined {
  const frameBytes = frameBytesAt(bytes, offset);
  if (frameBytes === 0) return undefined;
  const versionBits = ((bytes[offset + 1] ?? 0) >> 3) & 3;
  const b2 = bytes[offset + 2] ?? 0;
  const v1 = versionBits === 3;
  return {
    version: v1 ? 1 : versionBits === 2 ? 2 : 2.5,
    bitrateKbps: (v1 ? BITRATES_V1 : BITRATES_V2)[b2 >> 4] ?? 0,
    sampleRate: SAMPLE_RATES[versionBits]?.[(b2 >> 2) & 3] ?? 0,
    frameBytes
  };
}

/** Bytes taken by a leading ID3v2 tag (0 when there is none, -1 when the tag is malformed or runs past the end). */
function id3v2Length(bytes: Uint8Array): number {
  if (bytes.length < 10 || bytes[0] !== 0x49 || bytes[1] !== 0x44 || bytes[2] !== 0x33) return 0;
  const size = [6, 7, 8, 9].map((i) => bytes[i] ?? 0xff);
  if (size.some((s) => s > 0x7f)) return -1;
  const body = (size[0]! << 21) | (size[1]! << 14) | (size[2]! << 7) | size[3]!;
  const footer = ((bytes[5] ?? 0) & 0x10) !== 0 ? 10 : 0;
  const total = 10 + body + footer;
  return total <= bytes.length ? total : -1;
}

/** True when `bytes` starts (after an optional ID3v2 tag) with one complete, valid MPEG Layer III frame. */
export function looksLikeMpegAudio(bytes: Uint8Array): boolean {
  const start = id3v2Length(bytes);
  if (start < 0) return false;
  const frameBytes = frameBytesAt(bytes, start);
  return frameBytes > 0 && start + frameBytes <= bytes.length;
}

/**
 * MPEG frames in `bytes` when they are whole frames back to back from the first one (after an optional ID3v2
 * tag) to the very end, as the browser cuts segments; undefined otherwise. Walks headers only (cheap).
 */
export function countFrames(bytes: Uint8Array): number | undefined {
  let at = id3v2Length(bytes);
  if (at < 0) return undefined;
  let frames = 0;
  while (at < bytes.length) {
    const frameBytes = frameBytesAt(bytes, at);
    if (frameBytes === 0 || at + frameBytes > bytes.length) return undefined;
    at += frameBytes;
    frames++;
  }
  return frames > 0 ? frames : undefined;
}
