import { parseFrameHeader } from './mpeg-check';

/**
 * Gapless playback of a stitched recording (issue 3 "Encoding"): a Xing "Info" frame with a LAME extension,
 * put in front of the segments so that decoders which read it (ffmpeg, browsers, most players) drop the
 * encoder's start delay and the final frame's padding, and the stitched duration is exactly what was captured.
 *
 * The browser reports, in decoded samples (what comes out of a decoder, which adds LAME's 529-sample delay of
 * its own): `encoderDelaySamples` before the first captured sample, and `paddingSamples` after the last one.
 * The LAME tag counts both without the decoder's 529: start = delay - 529, end = padding + 529.
 * Layout: https://wiki.hydrogenaud.io/index.php?title=LAME#VBR_header_and_LAME_tag (12-bit fields).
 */

/** The decoder delay a LAME-tag reader adds on its own. */
export const DECODER_DELAY_SAMPLES = 529;
const MAX_PAD = 0xfff;

/** What the frame says; `frames` counts audio frames, the info frame not included. */
export interface GaplessInfo {
  /** Decoded samples before the first captured one (LAME: 576 + 529). */
  encoderDelaySamples: number;
  /** Decoded samples after the last captured one; null when unknown (a capture cut short). */
  paddingSamples: number | null;
  frames: number;
  /** Bytes of the audio after this frame (the tag states the whole file's size, which readers need to skip it). */
  audioBytes: number;
}

/** Whether the LAME tag can carry these values (12 bits each). */
export function canDescribe(info: Pick<GaplessInfo, 'encoderDelaySamples' | 'paddingSamples'>): boolean {
  const start = info.encoderDelaySamples - DECODER_DELAY_SAMPLES;
  const end = info.paddingSamples === null ? 0 : info.paddingSamples + DECODER_DELAY_SAMPLES;
  if (info.paddingSamples !== null && info.paddingSamples < 0) return false;
  return (
    Number.isInteger(start) &&
    start >= 0 &&
    start <= MAX_PAD &&
    Number.isInteger(end) &&
    end >= 0 &&
    end <= MAX_PAD
  );
}

/** Offset of "Info" after the 4-byte header: the side information's length. */
function sideInfoBytes(mpeg1: boolean, mono: boolean): number {
  if (mpeg1) return mono ? 17 : 32;
  return mono ? 9 : 17;
}

/** CRC-16 (polynomial 0x8005, reflected, initial 0), as LAME computes the tag's CRC. */
function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc & 0xffff;
}

/**
 * The info frame for a stream whose first frame header is `firstHeader` (4 bytes), or undefined when the
 * header is not Layer III or the values do not fit the tag. Without a padding, the frame count is left out
 * (a reader then trims the start only, never real audio at the end).
 */
export function gaplessInfoFrame(firstHeader: Uint8Array, info: GaplessInfo): Uint8Array | undefined {
  if (!canDescribe(info)) return undefined;
  const header = Uint8Array.from(firstHeader.subarray(0, 4));
  header[1] = (header[1] ?? 0) | 0x01; // no CRC
  header[2] = (header[2] ?? 0) & ~0x02; // no padding slot
  const parsed = parseFrameHeader(header, 0);
  if (!parsed) return undefined;
  const mono = (header[3] ?? 0) >> 6 === 3;
  const frame = new Uint8Array(parsed.frameBytes);
  frame.set(header, 0);
  const view = new DataView(frame.buffer);
  let at = 4 + sideInfoBytes(parsed.version === 1, mono);
  const withFrames = info.paddingSamples !== null;
  const totalBytes = frame.length + info.audioBytes;
  // Frames when the padding is known, else the size: a reader needs one of them to skip this frame, and
  // ffmpeg drops the frame count when a stated size disagrees with a stream it cannot measure (a pipe).
  const flags = withFrames ? 0x1 : 0x2;
  const needed = at + 4 + 4 + 4 + 36;
  if (needed > frame.length) return undefined;
  frame.set([0x49, 0x6e, 0x66, 0x6f], at); // "Info": constant bitrate
  view.setUint32(at + 4, flags);
  at += 8;
  view.setUint32(at, withFrames ? info.frames : totalBytes);
  at += 4;
  const lameStart = at;
  frame.set(new TextEncoder().encode('LAME3.100'), at);
  frame[at + 9] = 0x01; // tag revision 0, CBR
  frame[at + 20] = Math.min(255, parsed.bitrateKbps); // the constant bitrate
  const start = info.encoderDelaySamples - DECODER_DELAY_SAMPLES;
  const end = info.paddingSamples === null ? 0 : info.paddingSamples + DECODER_DELAY_SAMPLES;
  frame[at + 21] = start >> 4;
  frame[at + 22] = ((start & 0x0f) << 4) | (end >> 8);
  frame[at + 23] = end & 0xff;
  view.setUint32(at + 28, totalBytes);
  view.setUint16(lameStart + 34, crc16(frame.subarray(0, lameStart + 34)));
  return frame;
}
