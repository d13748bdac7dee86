/**
 * {@link Mp3Encoder} on wasm-media-encoders (LAME 3.100 compiled to WebAssembly). Its encode() and finalize()
 * return views into WASM memory that the next call overwrites, so every result is copied here.
 *
 * The WASM binary is passed in: in the browser a same-origin URL (`wasm-media-encoders/wasm/mp3?url`, so that
 * CSP's connect-src 'self' allows the fetch; the package's inlined data: URL would need connect-src data:), in
 * Node the file's bytes.
 */
import { createEncoder } from 'wasm-media-encoders';
import { checkEncoderConfig, int16ToFloat, type Mp3Encoder, type Mp3EncoderConfig } from './mp3-encoder';

/** Where the LAME WASM comes from: a URL, its bytes, or a compiled module. */
export type WasmSource = string | Uint8Array | ArrayBuffer | WebAssembly.Module;

type Mp3Rate = 8000 | 11025 | 12000 | 16000 | 22050 | 24000 | 32000 | 44100 | 48000;
type Mp3Bitrate = 8 | 16 | 24 | 32 | 40 | 48 | 64 | 80 | 96 | 112 | 128 | 160 | 192 | 224 | 256 | 320;

/** Creates a WASM-backed encoder. */
export async function createWasmEncoder(config: Mp3EncoderConfig, wasm: WasmSource): Promise<Mp3Encoder> {
  checkEncoderConfig(config);
  const lame = await createEncoder('audio/mpeg', wasm);
  lame.configure({
    channels: 1,
    sampleRate: config.sampleRate,
    outputSampleRate: config.sampleRate as Mp3Rate,
    bitrate: config.bitrateKbps as Mp3Bitrate
  });
  let scratch = new Float32Array(4096);
  let flushed = false;
  return {
    kind: 'wasm',
    encode(pcm) {
      if (flushed) throw new Error('wasm encoder: encode after flush');
      let floats: Float32Array;
      if (pcm instanceof Float32Array) floats = pcm;
      else {
        if (scratch.length < pcm.length) scratch = new Float32Array(pcm.length);
        floats = int16ToFloat(pcm, scratch.subarray(0, pcm.length));
      }
      return lame.encode([floats]).slice();
    },
    flush() {
      if (flushed) throw new Error('wasm encoder: flushed twice');
      flushed = true;
      return lame.finalize().slice();
    }
  };
}
