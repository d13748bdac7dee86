import { expectHears, expectSilence, TONES } from '../support/audio-expect';
import { connectMainLineCall, expectAdvisorIdle } from '../support/calls';
import { expect, PEER_NUMBERS, test } from '../support/fixtures';
import { recordingIndicator, uploadedRecording, watchRecordings } from '../support/recordings';
import { toneLevelDb, toneReport } from '../support/stored-audio';
import { capturedMs, capturedStretches, eventTime, stretchPcm } from '../support/timeline';

const CALLER = PEER_NUMBERS.caller;
const RECORDING = 'This call is being recorded';

test('an outbound call from the dial panel is recorded from the answer on: both voices, a clean timeline', async ({
  app,
  advisor,
  caller
}) => {
  const watch = await watchRecordings(app.url, CALLER);
  await advisor.page.getByLabel('Number').fill(CALLER);
  await advisor.page.getByRole('button', { name: 'Dial' }).click();
  await expect.poll(async () => (await caller.state()).callState).toBe('ringing');
  await expect(recordingIndicator(advisor)).toContainText('Recording starts when the call connects');
  // The advisor's microphone (1000 Hz) is live while it rings: none of that may be recorded.
  await advisor.page.waitForTimeout(2000);
  const answeredAt = Date.now();
  await caller.answer();
  await expectHears('caller', caller.listen, TONES.advisor);
  await expectHears('advisor', advisor.listen, TONES.caller);
  await expect(recordingIndicator(advisor)).toContainText(RECORDING);
  await advisor.page.waitForTimeout(6000);
  await advisor.page.getByRole('button', { name: 'Hang up' }).click();
  await expectAdvisorIdle(advisor);

  const { stored, pcm } = await uploadedRecording(advisor, watch);
  expect(stored.recording.direction).toBe('outbound');
  const started = eventTime(stored.timeline, 'started');
  const ended = eventTime(stored.timeline, 'ended');
  console.log(
    `outbound: recorded ${(pcm.length / 16).toFixed(0)} ms; timeline ${ended - started} ms; ` +
      `started ${started - answeredAt} ms after the answer was sent; ${toneReport(pcm, Object.values(TONES))}`
  );
  expect(toneLevelDb(pcm, TONES.caller)).toBeGreaterThan(-30);
  expect(toneLevelDb(pcm, TONES.advisor)).toBeGreaterThan(-30);
  expect(toneLevelDb(pcm, TONES.colleague)).toBeLessThan(-50);
  expect(toneLevelDb(pcm, TONES.payment)).toBeLessThan(-50);
  expect(stored.timeline.map((e) => e.type)).toEqual(['started', 'ended']);
  expect(stored.timeline.at(-1)?.detail).toMatchObject({ reason: 'call-ended' });
  // Recording starts when the call connects, not while it rings: the audio holds no ringing time.
  expect(started).toBeGreaterThanOrEqual(answeredAt);
  expect(Math.abs(pcm.length / 16 - (ended - started))).toBeLessThan(200);
});

test('hold pauses the recording: the held stretch is absent from the audio and marked on the timeline', async ({
  app,
  advisor,
  caller
}) => {
  const watch = await watchRecordings(app.url, CALLER);
  await connectMainLineCall(advisor, caller);
  await expect(recordingIndicator(advisor)).toContainText(RECORDING);
  await advisor.page.waitForTimeout(4000);

  const holdAsked = Date.now();
  await advisor.page.getByRole('button', { name: 'Hold' }).click();
  await expect(advisor.page.getByRole('status')).toHaveText(/on hold/);
  await expect(recordingIndicator(advisor)).toContainText('Paused: on hold');
  const holdShown = Date.now();
  await expectSilence('caller', caller.listen);
  // The advisor's microphone (1000 Hz) keeps playing all through the hold.
  await advisor.page.waitForTimeout(4000);

  const resumeAsked = Date.now();
  await advisor.page.getByRole('button', { name: 'Resume' }).click();
  await expect(advisor.page.getByRole('status')).toHaveText(/^On a call with/);
  await expect(recordingIndicator(advisor)).toContainText(RECORDING);
  const resumeShown = Date.now();
  await expectHears('caller', caller.listen, TONES.advisor);
  await expectHears('advisor', advisor.listen, TONES.caller);
  await advisor.page.waitForTimeout(4000);
  await caller.hangup();
  await expectAdvisorIdle(advisor);

  const { stored, pcm } = await uploadedRecording(advisor, watch);
  const { timeline } = stored;
  const started = eventTime(timeline, 'started');
  const paused = eventTime(timeline, 'paused');
  const resumed = eventTime(timeline, 'resumed');
  const ended = eventTime(timeline, 'ended');
  const recordedMs = pcm.length / 16;
  const [beforeHold, afterHold] = capturedStretches(timeline).map((s) => stretchPcm(pcm, s));
  if (!beforeHold || !afterHold) throw new Error('expected audio before and after the hold');
  console.log(
    `hold: recorded ${recordedMs.toFixed(0)} ms; connected ${ended - started} ms, held ${resumed - paused} ms, ` +
      `connected minus hold ${ended - started - (resumed - paused)} ms; ` +
      `before hold ${toneReport(beforeHold, [TONES.caller, TONES.advisor])}; ` +
      `after ${toneReport(afterHold, [TONES.caller, TONES.advisor])}`
  );
  expect(timeline.map((e) => e.type)).toEqual(['started', 'hold', 'paused', 'unhold', 'resumed', 'ended']);
  expect(timeline.find((e) => e.type === 'paused')?.detail).toMatchObject({ reason: 'hold' });
  // At the right places: paused with the hold request, resumed with the return from hold.
  expect(eventTime(timeline, 'hold')).toBe(paused);
  expect(eventTime(timeline, 'unhold')).toBe(resumed);
  expect(paused).toBeGreaterThanOrEqual(holdAsked);
  expect(paused).toBeLessThanOrEqual(holdShown);
  expect(resumed).toBeGreaterThanOrEqual(resumeAsked);
  expect(resumed).toBeLessThanOrEqual(resumeShown);
  expect(resumed - paused).toBeGreaterThan(4000);
  // The held stretch is not in the audio: its length is the connected time minus the hold.
  expect(capturedMs(timeline)).toBe(ended - started - (resumed - paused));
  expect(Math.abs(recordedMs - capturedMs(timeline))).toBeLessThan(200);
  // Both voices on both sides of the splice (measured apart: the tones change phase across it).
  for (const part of [beforeHold, afterHold]) {
    expect(toneLevelDb(part, TONES.caller)).toBeGreaterThan(-30);
    expect(toneLevelDb(part, TONES.advisor)).toBeGreaterThan(-30);
  }
});
