import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LAME_DECODED_DELAY_SAMPLES } from '../../src/lib/recorder/mp3-encoder';
import {
  concatBytes,
  ffmpegDecode,
  goertzel,
  hasFfmpeg,
  nodeEncoder,
  tone
} from '../../src/lib/recorder/test-helpers';
import { readAudio } from '../../src/lib/server/recordings/audio-service';
import {
  authorizeUpload,
  createRecording,
  finishRecording,
  storeSegment
} from '../../src/lib/server/recordings/ingest-service';
import { getRecordingDetail } from '../../src/lib/server/recordings/read-service';
import { parseFinish, parseNewRecording } from '../../src/lib/server/recordings/recording-validation';
import { FRAME_BYTES, sha256Hex, uuidV7 } from '../support/mpeg-frames';
import { recordingEnv } from './recording-helpers';

const ID = uuidV7(1, Date.parse('2025-03-01T08:59:00Z'));
const RATE = 16_000;
const SPF = 576;
/** Captured samples: 2.5 s of 440 Hz, not a whole number of frames. */
const CAPTURED = 40_123;
const NEW = {
  id: ID,
  callId: 'c1',
  direction: 'inbound',
  remoteNumber: '+441234567890',
  line: '5000',
  startedAt: '2025-03-01T08:59:00.000Z'
};

describe.skipIf(!hasFfmpeg)('gapless playback of the stitched recording (real encoder, real ffmpeg)', () => {
  let env: Awaited<ReturnType<typeof recordingEnv>>;
  let mp3: Uint8Array;
  let paddingSamples: number;
  let uploadToken: string;

  beforeEach(async () => {
    env = await recordingEnv();
    const enc = await nodeEncoder('wasm', { sampleRate: RATE, bitrateKbps: 32 });
    mp3 = concatBytes([enc.encode(tone(RATE, CAPTURED / RATE, 440)), enc.flush()]);
    const frames = mp3.length / FRAME_BYTES;
    paddingSamples = frames * SPF - LAME_DECODED_DELAY_SAMPLES - CAPTURED;
    uploadToken = createRecording(
      env.ctx,
      env.users.alice,
      parseNewRecording(NEW, env.clock.now())
    ).uploadToken;
    const rec = authorizeUpload(env.ctx, ID, `Bearer ${uploadToken}`);
    // Two segments cut on a frame boundary, as the browser's segmenter does.
    const cut = 30 * FRAME_BYTES;
    for (const [seq, bytes] of [mp3.subarray(0, cut), mp3.subarray(cut)].entries()) {
      await storeSegment(
        env.ctx,
        rec,
        seq,
        { sha256: sha256Hex(bytes), startMs: seq * 1080, durationMs: (bytes.length / FRAME_BYTES) * 36 },
        bytes
      );
    }
  });
  afterEach(() => env.cleanup());

  function finish(body: Record<string, unknown>) {
    const rec = authorizeUpload(env.ctx, ID, `Bearer ${uploadToken}`);
    return finishRecording(env.ctx, rec, parseFinish({ segmentCount: 2, durationMs: 2592, ...body }));
  }

  it('decodes to exactly the captured samples once the browser reported delay and padding', async () => {
    const before = await readAudio(env.ctx, env.users.sue, ID, 'quality', null);
    expect(Buffer.from(before.bytes).equals(Buffer.from(mp3))).toBe(true);
    expect(ffmpegDecode(before.bytes).length).toBeGreaterThan(CAPTURED + 1000);

    expect(finish({ encoderDelaySamples: LAME_DECODED_DELAY_SAMPLES, paddingSamples })).toEqual({
      complete: true,
      missing: []
    });
    const played = await readAudio(env.ctx, env.users.sue, ID, 'quality', null);
    expect(played.total).toBe(mp3.length + FRAME_BYTES);
    expect(Buffer.from(played.bytes.subarray(FRAME_BYTES)).equals(Buffer.from(mp3))).toBe(true);
    const pcm = ffmpegDecode(played.bytes);
    expect(pcm.length).toBe(CAPTURED);
    expect(goertzel(pcm.subarray(0, 1600), RATE, 440)).toBeGreaterThan(0.05);

    // A range across the frame and the first segment is the same bytes as the whole file there.
    const part = await readAudio(env.ctx, env.users.sue, ID, 'quality', `bytes=100-${FRAME_BYTES + 99}`);
    expect(Buffer.from(part.bytes).equals(Buffer.from(played.bytes.subarray(100, FRAME_BYTES + 100)))).toBe(
      true
    );

    const detail = await getRecordingDetail(env.ctx, env.users.sue, ID);
    expect(detail.gapless).toEqual({ encoderDelaySamples: LAME_DECODED_DELAY_SAMPLES, paddingSamples });
  });

  it('trims only the start when the padding is unknown (capture cut short), never real audio', async () => {
    finish({ encoderDelaySamples: LAME_DECODED_DELAY_SAMPLES });
    const pcm = ffmpegDecode((await readAudio(env.ctx, env.users.sue, ID, 'quality', null)).bytes);
    expect(pcm.length).toBe(CAPTURED + paddingSamples);
  });

  it('refuses bad gapless values with a clear error and keeps the recording as it was', () => {
    for (const body of [
      { paddingSamples: 10 },
      { encoderDelaySamples: -1 },
      { encoderDelaySamples: 1.5 },
      { encoderDelaySamples: '1105x' },
      { encoderDelaySamples: 70_000 }
    ]) {
      expect(() => parseFinish({ segmentCount: 2, durationMs: 2592, ...body })).toThrow(
        expect.objectContaining({ code: 'bad_request' })
      );
    }
    const row = env.db.prepare('SELECT encoder_delay_samples, padding_samples FROM recordings').get();
    expect(row).toEqual({ encoder_delay_samples: null, padding_samples: null });
  });
});
