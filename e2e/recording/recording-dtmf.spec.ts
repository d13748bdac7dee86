import { writeFileSync } from 'node:fs';
import { advisorDtmfTones } from '../support/app-probe';
import { TONES } from '../support/audio-expect';
import { expect, test } from '../support/fixtures';
import { finishRecordedCall, recordedLength, startRecordedCall } from '../support/recordings';
import { DTMF_COLUMNS_HZ, DTMF_ROWS_HZ } from '../../src/lib/recorder/dtmf-detector';
import { decodedAudio } from '../support/stored-audio';
// 100 ms Blackman-Harris windows: a keypad burst shows at its own level (see tone-levels.ts).
import {
  dropoutWindows,
  keypadPeakDb,
  medianToneLevelDb,
  peakToneLevelDb
} from '../../src/lib/recorder/tone-levels';

const CALLER = '3001';
const DTMF_HZ = [...DTMF_ROWS_HZ, ...DTMF_COLUMNS_HZ];
/** A card number and a PIN the caller keys, as an IVR would ask (digits never printed by the test either). */
const CARD = '4929123456789012#';
const PIN = '2580*';

test('keypad tones the caller sends never reach the recording; both voices and the length stay', async ({
  app,
  advisor,
  caller
}) => {
  const call = await startRecordedCall(app.url, advisor, caller, CALLER);
  await advisor.page.waitForTimeout(2500);
  const keyedFrom = Date.now();
  const heard = advisorDtmfTones(advisor.page, CARD.length * 170 + 3000);
  await caller.sendDtmf(CARD, 100, 70);
  const live = await heard;
  await caller.sendDtmf(PIN, 50, 50);
  await advisor.page.waitForTimeout(2000);
  const keyedTo = Date.now();
  const stored = await finishRecordedCall(app.url, advisor, caller, CALLER, call);
  const pcm = await decodedAudio(app.url, call.cookie, stored.recording.id);
  if (process.env.DTMF_DUMP) writeFileSync(process.env.DTMF_DUMP, pcm);
  const length = recordedLength(stored, pcm);
  // Where the keys are in the recording: from 0.5 s before the first to 1.5 s after the last. Outside it the
  // voices' onset (the first second) and the hang-up (the last 100 ms), broadband clicks through the MP3
  // encoder, read up to -45 dB at keypad frequencies, keys or not.
  const started = Date.parse(stored.timeline.find((e) => e.type === 'started')?.at ?? '');
  const at = (ms: number) => Math.max(0, Math.min(pcm.length, Math.round(((ms - started) / 1000) * 16000)));
  const keyed = pcm.subarray(at(keyedFrom - 500), at(keyedTo));
  const peaks = DTMF_HZ.map((hz) => peakToneLevelDb(keyed, hz));
  // Under load the advisor's fake capture device now and then misses a buffer: an 8 ms gap in the 1000 Hz
  // while the 440 Hz runs on, whose click reads like a key in the windows around it. Those windows are left
  // out (a key replaces the caller's voice instead, and masking silences both); there are only a few.
  const micGaps = dropoutWindows(keyed, TONES.advisor, TONES.caller);
  const keypad = keypadPeakDb(keyed, micGaps);
  const keypadAll = keypadPeakDb(keyed);
  const voices = {
    caller: medianToneLevelDb(pcm, TONES.caller),
    advisor: medianToneLevelDb(pcm, TONES.advisor)
  };
  console.log(
    `live: keypad tones heard for ${live.detectedMs} ms at ${live.peakLowDb}/${live.peakHighDb} dB; ` +
      `recorded ${length.audio.toFixed(3)} s, timeline ${length.timeline.toFixed(3)} s; ` +
      `median 440 Hz ${voices.caller.toFixed(1)} dB, 1000 Hz ${voices.advisor.toFixed(1)} dB; ` +
      `keypad tone peak ${keypad.toFixed(1)} dB over ${(keyed.length / 16000).toFixed(1)} s ` +
      `(${keypadAll.toFixed(1)} dB counting the ${micGaps.size} windows around gaps in the advisor's tone; ` +
      `${keypadPeakDb(pcm).toFixed(1)} dB over the whole recording; per frequency: ` +
      `${DTMF_HZ.map((hz, i) => `${hz} ${peaks[i]?.toFixed(1)}`).join(', ')})`
  );
  if (keypadAll >= -60) {
    // Keep the decoded recording (16 kHz mono float32, little-endian) of a run where any window came within 10 dB
    // of the bound, beside its report: a leaked key and a glitch in the voices' tones read alike in this one
    // figure, but not in the audio.
    const path = test.info().outputPath('recording-16k-f32le.raw');
    writeFileSync(path, pcm);
    await test.info().attach('decoded recording', { path, contentType: 'application/octet-stream' });
  }
  // The advisor did hear the keys live (1.7 s of them; the probe counts 20 ms frames where one key stands
  // clear, 0.9-1.2 s in runs here), so their absence below means something.
  expect(live.detectedMs).toBeGreaterThan(500);
  expect(keyed.length / 16000).toBeGreaterThan(5);
  expect(keypad).toBeLessThan(-50);
  expect(micGaps.size).toBeLessThanOrEqual(6);
  expect(voices.caller).toBeGreaterThan(-30);
  expect(voices.advisor).toBeGreaterThan(-30);
  expect(Math.abs(length.audio - length.timeline)).toBeLessThan(0.2);
});
