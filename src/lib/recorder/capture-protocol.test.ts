import { describe, expect, it } from 'vitest';
import { CaptureCore } from './capture-core';
import {
  parseFramesMessage,
  parseSettings,
  parseWorkerEvent,
  parseWorkletControl,
  type FramesMessage
} from './encoder-protocol';
import { tone } from './test-helpers';

function core(): { c: CaptureCore; sent: FramesMessage[]; transfers: Transferable[][] } {
  const sent: FramesMessage[] = [];
  const transfers: Transferable[][] = [];
  const c = new CaptureCore({ inputRate: 48_000, batchSamples: 800 });
  const port = { postMessage: () => undefined } as unknown as MessagePort;
  c.control({ v: 1, type: 'attach', port }, () => (m, t) => {
    sent.push(m);
    transfers.push(t);
  });
  return { c, sent, transfers };
}

describe('CaptureCore', () => {
  it('posts 50 ms batches with their buffers transferred, drops paused audio, flushes on stop', () => {
    const { c, sent, transfers } = core();
    c.control(
      { v: 1, type: 'start', recordingId: 'r', startedAtMs: 5, paused: false },
      () => () => undefined
    );
    const x = tone(48_000, 1, 440);
    for (let i = 0; i < x.length; i += 128) c.process([x.subarray(i, i + 128)], [], 128);
    c.control({ v: 1, type: 'pause', recordingId: 'r' }, () => () => undefined);
    const afterPause = sent.length;
    for (let i = 0; i < x.length; i += 128) c.process([x.subarray(i, i + 128)], [], 128);
    expect(sent.length).toBe(afterPause);
    c.control({ v: 1, type: 'stop', recordingId: 'r' }, () => () => undefined);
    const pcm = sent.filter((m) => m.type === 'pcm');
    expect(pcm.reduce((n, m) => n + m.samples.length, 0)).toBe(16_000);
    // Full 800-sample batches, except the partial one posted at pause and the look-ahead flushed at stop.
    expect(pcm.filter((m) => m.samples.length !== 800)).toHaveLength(2);
    transfers.forEach((t, i) => {
      const m = sent[i] as FramesMessage;
      expect(t).toEqual(m.type === 'pcm' ? [m.samples.buffer] : []);
    });
    expect(sent[0]).toEqual({ v: 1, type: 'begin', recordingId: 'r', startedAtMs: 5, sampleRate: 16_000 });
    expect(sent.at(-1)).toEqual({ v: 1, type: 'end', recordingId: 'r' });
    expect(c.current).toBe('idle');
  });

  it('rejects control for another recording and wrong transitions', () => {
    const { c } = core();
    const noop = () => () => undefined;
    expect(() => c.control({ v: 1, type: 'pause', recordingId: 'r' }, noop)).toThrow(/recording none/);
    c.control({ v: 1, type: 'start', recordingId: 'r', startedAtMs: 0, paused: true }, noop);
    expect(c.current).toBe('paused');
    expect(() => c.control({ v: 1, type: 'pause', recordingId: 'r' }, noop)).toThrow(
      'capture: cannot pause: expected state capturing, was paused'
    );
    expect(() => c.control({ v: 1, type: 'stop', recordingId: 'other' }, noop)).toThrow(/but recording r/);
  });
});

describe('encoder protocol parsers', () => {
  it('accept valid messages and reject wrong versions, types and fields', () => {
    expect(parseWorkletControl({ v: 1, type: 'start', recordingId: 'a', startedAtMs: 1 })).toMatchObject({
      paused: false
    });
    expect(() => parseWorkletControl({ v: 2, type: 'stop', recordingId: 'a' })).toThrow(/version 2/);
    expect(() => parseWorkletControl({ v: 1, type: 'attach', port: {} })).toThrow(/not a MessagePort/);
    expect(() => parseFramesMessage({ v: 1, type: 'pcm', recordingId: 'a', samples: [1] })).toThrow(
      /Float32Array/
    );
    expect(() => parseFramesMessage({ v: 1, type: 'begin', recordingId: '', startedAtMs: 0 })).toThrow(
      /recordingId/
    );
    expect(() =>
      parseSettings({ sampleRate: 16000, bitrateKbps: 32, segmentMs: 10, encoder: 'wasm' })
    ).toThrow(/segmentMs/);
    expect(() => parseSettings({ sampleRate: 16000, bitrateKbps: 32, segmentMs: 1e4, encoder: 'x' })).toThrow(
      /encoder/
    );
    expect(() =>
      parseSettings({ sampleRate: 16000, bitrateKbps: 32, segmentMs: 1e4, chunkMs: 50, encoder: 'wasm' })
    ).toThrow(/chunkMs/);
    const chunk = {
      v: 1,
      type: 'chunk',
      recordingId: 'a',
      seq: 2,
      part: 3,
      bytes: new Uint8Array(1),
      startMs: 20_000,
      durationMs: 36,
      frameCount: 1,
      sampleRate: 16000,
      samplesPerFrame: 576,
      encoderDelaySamples: 1105
    };
    expect(parseWorkerEvent(chunk)).toEqual(chunk);
    expect(() => parseWorkerEvent({ ...chunk, part: '3' })).toThrow(/chunk.part/);
    const segment = {
      v: 1,
      type: 'segment',
      recordingId: 'a',
      seq: 0,
      bytes: new Uint8Array(1),
      startMs: 0,
      durationMs: 36,
      sha256: 'ab'.repeat(32),
      frameCount: 1,
      sampleRate: 16000,
      samplesPerFrame: 576,
      encoderDelaySamples: 1105,
      final: true,
      totalSamples: 10,
      paddingSamples: null
    };
    expect(parseWorkerEvent(segment)).toEqual(segment);
    expect(() => parseWorkerEvent({ ...segment, sha256: 'xyz' })).toThrow(/sha256/);
    expect(() => parseWorkerEvent({ v: 1, type: 'bogus' })).toThrow(/unknown type bogus/);
  });
});
