/**
 * MPEG audio frame headers (MPEG 1, 2 and 2.5, layers I–III): enough to find frame boundaries in an encoder's
 * output and to count the samples each frame carries. Pure; no allocation per call beyond the result object.
 *
 * Header layout (32 bits, big-endian): `AAAAAAAA AAABBCCD EEEEFFGH IIJJKLMM`
 * A sync (all ones), B version (00 = 2.5, 10 = 2, 11 = 1), C layer (01 = III, 10 = II, 11 = I), D no-CRC,
 * E bitrate index, F sample-rate index, G padding, H private, I channel mode, the rest is not needed here.
 */

/** The MPEG version a frame declares. */
export type MpegVersion = '1' | '2' | '2.5';

/** What a frame header says about its frame. */
export interface Mp3FrameHeader {
  version: MpegVersion;
  /** 1, 2 or 3. */
  layer: 1 | 2 | 3;
  /** Bit rate in kbit/s. */
  bitrateKbps: number;
  /** Sample rate in Hz. */
  sampleRate: number;
  /** Whether the frame carries one extra padding slot. */
  padding: boolean;
  /** 1 for mono, 2 otherwise. */
  channels: 1 | 2;
  /** PCM samples per channel in the frame: 384, 576 or 1152. */
  samplesPerFrame: number;
  /** Whole frame length in bytes, header included. */
  frameLength: number;
}

const BITRATES_V1: readonly (readonly number[])[] = [
  [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
];
const BITRATES_V2: readonly (readonly number[])[] = [
  [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
];
const SAMPLE_RATES: Readonly<Record<MpegVersion, readonly number[]>> = {
  '1': [44100, 48000, 32000],
  '2': [22050, 24000, 16000],
  '2.5': [11025, 12000, 8000]
};
const VERSIONS: readonly (MpegVersion | undefined)[] = ['2.5', undefined, '2', '1'];
const LAYERS: readonly (1 | 2 | 3 | undefined)[] = [undefined, 3, 2, 1];

/**
 * Parses the frame header at `bytes[offset]`. Returns undefined when fewer than 4 bytes remain or the bytes are
 * not a valid header (no sync, reserved version/layer, free-format or bad bitrate, reserved sample rate).
 */
export function parseFrameHeader(bytes: Uint8Array, offset = 0): Mp3FrameHeader | undefined {
  if (offset < 0 || offset + 4 > bytes.length) return undefined;
  const b0 = bytes[offset] as number;
  const b1 = bytes[offset + 1] as number;
  const b2 = bytes[offset + 2] as number;
  const b3 = bytes[offset + 3] as number;
  if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0) return undefined;
  const version = VERSIONS[(b1 >> 3) & 3];
  const layer = LAYERS[(b1 >> 1) & 3];
  if (version === undefined || layer === undefined) return undefined;
  const bitrateIndex = (b2 >> 4) & 15;
  const rateIndex = (b2 >> 2) & 3;
  if (bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return undefined;
  const table = version === '1' ? BITRATES_V1 : BITRATES_V2;
  const bitrateKbps = (table[layer - 1] as readonly number[])[bitrateIndex] as number;
  const sampleRate = SAMPLE_RATES[version][rateIndex] as number;
  const padding = ((b2 >> 1) & 1) === 1;
  const samplesPerFrame = layer === 1 ? 384 : layer === 2 || version === '1' ? 1152 : 576;
  const frameLength =
    layer === 1
      ? (Math.floor((12 * bitrateKbps * 1000) / sampleRate) + (padding ? 1 : 0)) * 4
      : Math.floor(((samplesPerFrame / 8) * bitrateKbps * 1000) / sampleRate) + (padding ? 1 : 0);
  const channels = ((b3 >> 6) & 3) === 3 ? 1 : 2;
  return { version, layer, bitrateKbps, sampleRate, padding, channels, samplesPerFrame, frameLength };
}

/** Walks a buffer that must be whole frames back to back; returns each frame's offset. Throws on lost sync. */
export function frameOffsets(bytes: Uint8Array): number[] {
  const offsets: number[] = [];
  let at = 0;
  while (at < bytes.length) {
    const h = parseFrameHeader(bytes, at);
    if (h === undefined) throw new Error(`no MPEG audio frame header at byte ${at}`);
    if (at + h.frameLength > bytes.length) throw new Error(`truncated MPEG audio frame at byte ${at}`);
    offsets.push(at);
    at += h.frameLength;
  }
  return offsets;
}
