import { describe, expect, it } from 'vitest';
import { readBodyLimited } from '../../src/lib/server/http/read-body';
import { looksLikeMpegAudio, parseFrameHeader } from '../../src/lib/server/recordings/mpeg-check';
import { checkSeq } from '../../src/lib/server/recordings/recording-validation';
import { segmentBlobKey, assertBlobKey } from '../../src/lib/server/storage/blob-store';
import { FRAME_BYTES, silentFrames } from '../support/mpeg-frames';

function streamed(chunks: number[], declared?: number): Request {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const n of chunks) controller.enqueue(new Uint8Array(n));
      controller.close();
    }
  });
  const headers = declared === undefined ? undefined : { 'content-length': String(declared) };
  return new Request('http://x/', { method: 'PUT', body, headers, duplex: 'half' } as RequestInit);
}

describe('segment input checks', () => {
  it('stops reading past the limit whatever Content-Length says', async () => {
    expect(await readBodyLimited(streamed([600, 600], 10), 1000)).toEqual({ ok: false, reason: 'too_large' });
    const ok = await readBodyLimited(streamed([500, 500]), 1000);
    expect(ok.ok && ok.bytes.length).toBe(1000);
  });

  it('accepts Layer III frames, after an ID3v2 tag too; refuses others', () => {
    expect(parseFrameHeader(silentFrames(1), 0)).toEqual({
      version: 2,
      bitrateKbps: 32,
      sampleRate: 16000,
      frameBytes: FRAME_BYTES
    });
    const id3 = new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4, 5]);
    expect(looksLikeMpegAudio(new Uint8Array([...id3, ...silentFrames(2)]))).toBe(true);
    expect(looksLikeMpegAudio(silentFrames(1))).toBe(true);
    expect(looksLikeMpegAudio(silentFrames(1).subarray(0, FRAME_BYTES - 1))).toBe(false);
    const layer2 = silentFrames(1);
    layer2[1] = 0xf5;
    expect(looksLikeMpegAudio(layer2)).toBe(false);
    const badRate = silentFrames(1);
    badRate[2] = 0x4c;
    expect(looksLikeMpegAudio(badRate)).toBe(false);
    const freeBitrate = silentFrames(1);
    freeBitrate[2] = 0x08;
    expect(looksLikeMpegAudio(freeBitrate)).toBe(false);
  });

  it('accepts only plain seqs and safe blob keys', () => {
    expect(checkSeq('0')).toBe(0);
    expect(checkSeq('99999')).toBe(99999);
    for (const bad of ['-1', '100000', '1.5', 'abc', '', '0x1', ' 1']) expect(() => checkSeq(bad)).toThrow();
    expect(segmentBlobKey('0195f0a0-0000-7000-8000-000000000001', 3, 'ab'.repeat(32))).toBe(
      '0195f0a0-0000-7000-8000-000000000001/00003-abababababababab.seg'
    );
    for (const bad of ['../x', 'a/../b', '/etc/passwd', '.tmp-1', 'a//b', 'a\\b']) {
      expect(() => assertBlobKey(bad)).toThrow();
    }
  });
});
