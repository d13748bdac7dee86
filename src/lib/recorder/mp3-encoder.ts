/**
 * The MP3 encoder seam. One {@link Mp3Encoder} encodes ONE recording from start to end: it is never flushed or
 * restarted between segments (the segmenter cuts its continuous output on frame boundaries instead), so joined
 * segments play gapless. Two implementations: LAME in WebAssembly (wasm-media-encoders, the default; see
 * bench/encoder-speed.ts) and pure-JS lamejs (@breezystack/lamejs, the working fork of lamejs).
 */

/** Which implementation to use. */
export type Mp3EncoderKind = 'wasm' | 'lamejs';

/** The implementation the worker uses unless told otherwise: the one that meets the speed goal. */
export const DEFAULT_ENCODER_KIND: Mp3EncoderKind = 'wasm';

/** Encoder settings; mono CBR. */
export interface Mp3EncoderConfig {
  /** Input and output sample rate, Hz (16 000 by default in the recorder). */
  sampleRate: number;
  /** Constant bit rate, kbit/s (32 by default in the recorder). */
  bitrateKbps: number;
}

/**
 * LAME's delay in decoded samples before the first input sample appears: its 576-sample encoder delay plus the
 * 529-sample delay of the reference decoder. Both encoders are LAME 3.x, so both have it. A player that wants
 * the exact input skips this many decoded samples and keeps `totalSamples` of them.
 */
export const LAME_DECODED_DELAY_SAMPLES = 576 + 529;

/** A streaming mono MP3 encoder. Returned bytes are owned by the caller (never a view into encoder memory). */
export interface Mp3Encoder {
  readonly kind: Mp3EncoderKind;
  /** Encodes samples (Float32 in [-1, 1] or Int16); returns whatever whole frames are ready (maybe none). */
  encode(pcm: Float32Array | Int16Array): Uint8Array;
  /** Ends the stream: returns the remaining frames. Call once, at the end of the recording. */
  flush(): Uint8Array;
}

/** Checks a config; throws with the reason. */
export function checkEncoderConfig(config: Mp3EncoderConfig): void {
  const rates = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000];
  if (!rates.includes(config.sampleRate)) throw new Error(`unsupported MP3 sample rate ${config.sampleRate}`);
  const bitrates = [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 192, 224, 256, 320];
  if (!bitrates.includes(config.bitrateKbps))
    throw new Error(`unsupported MP3 bitrate ${config.bitrateKbps}`);
}

/** Converts Float32 samples to Int16 into `out` (clamped, rounded). */
export function floatToInt16(src: Float32Array, out: Int16Array): Int16Array {
  for (let i = 0; i < src.length; i++) {
    const s = src[i] as number;
    const c = s > 1 ? 1 : s < -1 ? -1 : s;
    out[i] = Math.round(c < 0 ? c * 32768 : c * 32767);
  }
  return out;
}

/** Converts Int16 samples to Float32 into `out`. */
export function int16ToFloat(src: Int16Array, out: Float32Array): Float32Array {
  for (let i = 0; i < src.length; i++) out[i] = (src[i] as number) / 32768;
  return out;
}
