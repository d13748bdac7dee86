import { describe, expect, it } from 'vitest';
import { CaptureCore } from './capture-core';
import type { FramesMessage } from './encoder-protocol';
import { concatSamples, dtmfTone, tone } from './test-helpers';

const IN = 48_000;
const OUT = 16_000;

/**
 * A call as the capture worklet sees it: the advisor's 1000 Hz on the microphone input; on the remote input the
 * caller's 440 Hz, replaced by keypad tones while keys are pressed (as a browser plays RFC 4733 events).
 */
function call(keys: string, toneMs: number, gapMs: number) {
  const parts: Float32Array[] = [tone(IN, 0.5, 440, 0.25)];
  const keyed: [number, number][] = [];
  let at = parts[0]!.length;
  for (const key of keys) {
    const t = dtmfTone(IN, key, toneMs / 1000, -17);
    keyed.push([at, at + t.length]);
    parts.push(t, tone(IN, gapMs / 1000, 440, 0.25, (2 * Math.PI * 440 * (at + t.length)) / IN));
    at += t.length + Math.round((IN * gapMs) / 1000);
  }
  parts.push(tone(IN, 0.5, 440, 0.25, (2 * Math.PI * 440 * at) / IN));
  const remote = concatSamples(parts);
  const mic = tone(IN, remote.length / IN, 1000, 0.25);
  return { mic, remote, keyed };
}

/** Runs the worklet's logic over `mic` and `remote` in render quanta and returns the 16 kHz mono it posted. */
function capture(mic: Float32Array, remote: Float32Array, pauseAt?: number): Float32Array {
  const sent: FramesMessage[] = [];
  const c = new CaptureCore({ inputRate: IN });
  const noop = () => () => undefined;
  c.control({ v: 1, type: 'attach', port: {} as MessagePort }, () => (m) => sent.push(m));
  c.control({ v: 1, type: 'start', recordingId: 'r', startedAtMs: 0, paused: false }, noop);
  for (let i = 0; i + 128 <= mic.length; i += 128) {
    if (i === pauseAt) {
      c.control({ v: 1, type: 'pause', recordingId: 'r' }, noop);
      c.control({ v: 1, type: 'resume', recordingId: 'r' }, noop);
    }
    c.process([mic.subarray(i, i + 128)], [remote.subarray(i, i + 128)], 128);
  }
  c.control({ v: 1, type: 'stop', recordingId: 'r' }, noop);
  return concatSamples(sent.flatMap((m) => (m.type === 'pcm' ? [m.samples] : [])));
}

describe("CaptureCore keeps a caller's keypad tones out of the recording", () => {
  it.each([
    ['a card number, 100 ms keys', '4929123456789012#', 100, 70],
    ['a PIN, 50 ms keys with 50 ms gaps', '2580*', 50, 50],
    ['the shortest keys a browser sends', '1397', 40, 30]
  ])('%s: every keyed sample is silent, the length exact', (_name, keys, toneMs, gapMs) => {
    const { mic, remote, keyed } = call(keys, toneMs, gapMs);
    const out = capture(mic, remote, 128 * 200);
    expect(out.length).toBe(Math.ceil((Math.floor(mic.length / 128) * 128 * OUT) / IN));
    for (const [from, to] of keyed) {
      const a = Math.floor((from * OUT) / IN);
      const b = Math.ceil((to * OUT) / IN);
      const loud = out.subarray(a, b).findIndex((x) => x !== 0);
      expect(loud, `a key at ${(from / IN).toFixed(3)} s is heard ${loud} samples in`).toBe(-1);
    }
    // Before the first key the advisor and the caller are both there, untouched.
    expect(out.subarray(1000, 7000).some((x) => x === 0)).toBe(false);
  });
});
