/**
 * {@link Mp3Encoder} on @breezystack/lamejs (pure JavaScript LAME port; the fork that works, plain lamejs 1.2.1
 * throws "MPEGMode is not defined"). No VBR/Info tag is written, so the stream is plain frames.
 */
import { Mp3Encoder as LameJsEncoder } from '@breezystack/lamejs';
import { checkEncoderConfig, floatToInt16, type Mp3Encoder, type Mp3EncoderConfig } from './mp3-encoder';

/** Creates a lamejs-backed encoder. */
export function createLamejsEncoder(config: Mp3EncoderConfig): Mp3Encoder {
  checkEncoderConfig(config);
  const lame = new LameJsEncoder(1, config.sampleRate, config.bitrateKbps);
  let scratch = new Int16Array(4096);
  let flushed = false;
  const bytes = (out: Int8Array | Uint8Array): Uint8Array =>
    new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  return {
    kind: 'lamejs',
    encode(pcm) {
      if (flushed) throw new Error('lamejs encoder: encode after flush');
      let ints: Int16Array;
      if (pcm instanceof Int16Array) ints = pcm;
      else {
        if (scratch.length < pcm.length) scratch = new Int16Array(pcm.length);
        ints = floatToInt16(pcm, scratch.subarray(0, pcm.length));
      }
      // lamejs returns a fresh copy of its output buffer.
      return bytes(lame.encodeBuffer(ints));
    },
    flush() {
      if (flushed) throw new Error('lamejs encoder: flushed twice');
      flushed = true;
      return bytes(lame.flush());
    }
  };
}
