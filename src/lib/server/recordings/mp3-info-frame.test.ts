import { describe, expect, it } from 'vitest';
import { LAME_DECODED_DELAY_SAMPLES } from '$lib/recorder/mp3-encoder';
import {
  concatBytes,
  ffmpegDecode,
  goertzel,
  hasFfmpeg,
  nodeEncoder,
  tone
} from '$lib/recorder/test-helpers';
import { canDescribe, gaplessInfoFrame } from './mp3-info-frame';
import { looksLikeMpegAudio, parseFrameHeader } from './mpeg-check';

const RATE = 16_000;
const SPF = 576; // MPEG-2 Layer III

/** Encodes `samples` as one recording and returns its MP3 with the frame count and padding the browser reports. */
async function encode(samples: Float32Array) {
  const enc = await nodeEncoder('wasm', { sampleRate: RATE, bitrateKbps: 32 });
  const mp3 = concatBytes([enc.encode(samples), enc.flush()]);
  const frameBytes = parseFrameHeader(mp3, 0)?.frameBytes ?? 0;
  const frames = mp3.length / frameBytes;
  const paddingSamples = frames * SPF - LAME_DECODED_DELAY_SAMPLES - samples.length;
  return { mp3, frames, paddingSamples };
}

describe.skipIf(!hasFfmpeg)('gapless info frame (decoded by ffmpeg)', () => {
  it.each([16_000, 16_001, 23_456, 160_000])(
    'in front of %i encoded samples, decodes to exactly that many, tone intact',
    async (n) => {
      const input = tone(RATE, n / RATE, 440, 0.5);
      const { mp3, frames, paddingSamples } = await encode(input);
      expect(Number.isInteger(frames)).toBe(true);
      const without = ffmpegDecode(mp3);
      expect(without.length).toBeGreaterThan(n + 1000); // what stitching alone gives: delay and padding kept

      const info = gaplessInfoFrame(mp3.subarray(0, 4), {
        encoderDelaySamples: LAME_DECODED_DELAY_SAMPLES,
        paddingSamples,
        frames,
        audioBytes: mp3.length
      });
      if (!info) throw new Error('no frame');
      const withInfo = concatBytes([info, mp3]);
      expect(looksLikeMpegAudio(withInfo)).toBe(true);
      const decoded = ffmpegDecode(withInfo);
      expect(decoded.length).toBe(n);
      // The first captured sample is where the input starts: the 440 Hz tone fills the whole output.
      const head = decoded.subarray(0, 1600);
      expect(goertzel(head, RATE, 440)).toBeGreaterThan(0.05);
    }
  );

  it('without a known padding, trims the start only', async () => {
    const n = 20_000;
    const { mp3, frames, paddingSamples } = await encode(tone(RATE, n / RATE, 440));
    const info = gaplessInfoFrame(mp3.subarray(0, 4), {
      encoderDelaySamples: LAME_DECODED_DELAY_SAMPLES,
      paddingSamples: null,
      frames,
      audioBytes: mp3.length
    });
    if (!info) throw new Error('no frame');
    expect(ffmpegDecode(concatBytes([info, mp3])).length).toBe(n + paddingSamples);
  });
});

describe('gaplessInfoFrame', () => {
  const header = Uint8Array.from([0xff, 0xf3, 0x48, 0xc4]); // MPEG-2 L3 32 kbps 16 kHz mono, CRC off

  it('is one frame of the stream, with the Info tag and 12-bit delay and padding', () => {
    const frame = gaplessInfoFrame(header, {
      encoderDelaySamples: 1105,
      paddingSamples: 300,
      frames: 1000,
      audioBytes: 144_000
    });
    if (!frame) throw new Error('no frame');
    expect(frame.length).toBe(144);
    expect(new TextDecoder().decode(frame.subarray(13, 17))).toBe('Info');
    const lame = frame.indexOf(0x4c); // 'L' of LAME3.100
    expect(new TextDecoder().decode(frame.subarray(lame, lame + 9))).toBe('LAME3.100');
    const v = (frame[lame + 21]! << 16) | (frame[lame + 22]! << 8) | frame[lame + 23]!;
    expect(v >> 12).toBe(576);
    expect(v & 0xfff).toBe(829);
  });

  it('refuses values the tag cannot hold and headers that are not Layer III', () => {
    expect(canDescribe({ encoderDelaySamples: 500, paddingSamples: 0 })).toBe(false);
    expect(canDescribe({ encoderDelaySamples: 1105, paddingSamples: 4000 })).toBe(false);
    expect(canDescribe({ encoderDelaySamples: 1105, paddingSamples: -1 })).toBe(false);
    const info = { encoderDelaySamples: 1105, paddingSamples: 10, frames: 1, audioBytes: 144 };
    expect(gaplessInfoFrame(Uint8Array.from([0, 0, 0, 0]), info)).toBeUndefined();
    expect(gaplessInfoFrame(header, { ...info, encoderDelaySamples: 0 })).toBeUndefined();
  });
});
