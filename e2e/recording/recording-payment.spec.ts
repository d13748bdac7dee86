import type { Page } from 'playwright-core';
import { expectHears, expectHearsAll, expectSilence, TONES } from '../support/audio-expect';
import { connectMainLineCall, expectAdvisorIdle } from '../support/calls';
import type { AdvisorTab } from '../support/advisor';
import { expect, PEER_NUMBERS, test } from '../support/fixtures';
import type { Peer } from '../support/peer';
import { expectUploaded, newRecording, recordingIds } from '../support/recordings';
import { capturedMs, eventTime } from '../support/timeline';
import {
  apiLogin,
  decodedAudio,
  peakToneLevelDb,
  toneLevelDb,
  type StoredRecording
} from '../support/stored-audio';

/** Proof 7 of issue 3: the payment leg never reaches the recording, and recording resumes once it is gone. */

const CALLER = PEER_NUMBERS.caller;
const RATE = 16_000;

interface Measured {
  stored: StoredRecording;
  pcm: Float32Array;
  /** Connected time minus the paused spans, from the timeline's timestamps. */
  expectedMs: number;
}

const recordingState = (page: Page) => page.getByRole('region', { name: 'Recording' });

/** Logs in to the API, notes the recordings so far, connects a main-line call and lets it record 3 s. */
async function recordedMainLineCall(
  appUrl: string,
  advisor: AdvisorTab,
  caller: Peer
): Promise<{ cookie: string; before: Set<string> }> {
  const cookie = await apiLogin(appUrl, 'sue');
  const before = await recordingIds(appUrl, cookie, CALLER);
  await connectMainLineCall(advisor, caller);
  await expect(recordingState(advisor.page)).toHaveAttribute('data-state', 'recording');
  await advisor.page.waitForTimeout(3000);
  return { cookie, before };
}

/**
 * The caller is back with the advisor alone: each hears only the other and recording runs again. They talk
 * for 4 s, the caller hangs up, and every segment reaches the server.
 */
async function backWithAdvisorThenHangUp(advisor: AdvisorTab, caller: Peer): Promise<void> {
  await expect(advisor.page.getByRole('status')).toHaveText(`On a call with ${CALLER}`);
  await expect(recordingState(advisor.page)).toHaveAttribute('data-state', 'recording');
  await expectHears('caller', caller.listen, TONES.advisor);
  await expectHears('advisor', advisor.listen, TONES.caller);
  await advisor.page.waitForTimeout(4000);
  await caller.hangup();
  await expectAdvisorIdle(advisor);
  await expectUploaded(advisor);
}

/** The stored audio of one captured span: from `fromMs` to `toMs` of captured time (see `capturedMs`). */
function span(pcm: Float32Array, fromMs: number, toMs = Number.POSITIVE_INFINITY): Float32Array {
  const at = (ms: number) => Math.min(pcm.length, Math.round((ms * RATE) / 1000));
  return pcm.subarray(at(fromMs), toMs === Number.POSITIVE_INFINITY ? pcm.length : at(toMs));
}

/**
 * What both cases prove of the stored audio: no 2500 Hz in any half second, as long as the connected time
 * minus the paused span (timeline timestamps), and both voices in the span before the pause and in the span
 * after the resume (each measured on its own: one Goertzel across the join would mix their phases).
 */
function expectPaymentLegAbsent({ stored, pcm, expectedMs }: Measured): void {
  expect(peakToneLevelDb(pcm, TONES.payment)).toBeLessThan(-50);
  const pauseMs = capturedMs(stored.timeline, eventTime(stored.timeline, 'paused'));
  const resumeMs = capturedMs(stored.timeline, eventTime(stored.timeline, 'resumed'));
  for (const [name, part] of [
    ['before the pause', span(pcm, 0, pauseMs)],
    ['after the resume', span(pcm, resumeMs)]
  ] as const) {
    console.log(
      `${name}: ${(part.length / RATE).toFixed(2)} s; ` +
        [TONES.caller, TONES.advisor, TONES.payment]
          .map((hz) => `${hz} Hz ${toneLevelDb(part, hz).toFixed(1)} dB`)
          .join(', ')
    );
    expect(part.length / RATE, name).toBeGreaterThan(2.5);
    expect(toneLevelDb(part, TONES.caller), name).toBeGreaterThan(-30);
    expect(toneLevelDb(part, TONES.advisor), name).toBeGreaterThan(-30);
    expect(peakToneLevelDb(part, TONES.payment), name).toBeLessThan(-50);
  }
  // Last, so a failure still shows both spans above: the audio clock against the timeline's wall clock.
  expect(Math.abs((pcm.length / RATE) * 1000 - expectedMs)).toBeLessThan(200);
}

/** Everything the test asserts about the stored recording, logged so a run shows the measured figures. */
async function storedRecording(appUrl: string, cookie: string, before: Set<string>): Promise<Measured> {
  const stored = await newRecording(appUrl, cookie, CALLER, before);
  expect(stored.integrity.ok).toBe(true);
  const pcm = await decodedAudio(appUrl, cookie, stored.recording.id);
  const timeline = stored.timeline;
  const expectedMs = capturedMs(timeline);
  const pausedMs = eventTime(timeline, 'resumed') - eventTime(timeline, 'paused');
  console.log(
    `recorded ${((pcm.length / RATE) * 1000).toFixed(0)} ms; connected minus paused ${expectedMs} ms ` +
      `(paused ${pausedMs} ms); 440 Hz ${toneLevelDb(pcm, TONES.caller).toFixed(1)} dB, ` +
      `1000 Hz ${toneLevelDb(pcm, TONES.advisor).toFixed(1)} dB, ` +
      `2500 Hz ${toneLevelDb(pcm, TONES.payment).toFixed(1)} dB (loudest half second ` +
      `${peakToneLevelDb(pcm, TONES.payment).toFixed(1)} dB); timeline ${timeline.map((e) => e.type).join(' ')}`
  );
  return { stored, pcm, expectedMs };
}

test('assisted payment: the caller and the payment line hear each other while recording is paused for the whole payment leg', async ({
  app,
  advisor,
  caller,
  payment
}) => {
  const { cookie, before } = await recordedMainLineCall(app.url, advisor, caller);

  await advisor.page.getByRole('button', { name: 'Assisted payment' }).click();
  await expect(recordingState(advisor.page)).toHaveAttribute('data-state', 'paused');
  await expect(advisor.page.getByRole('status')).toHaveText('On the payment line; caller on hold');
  await expectHears('advisor', advisor.listen, TONES.payment);
  await expectHears('payment line', payment.listen, TONES.advisor);
  await expectSilence('caller', caller.listen);

  await advisor.page.getByRole('button', { name: 'Connect caller to payment line' }).click();
  await expect(advisor.page.getByRole('status')).toHaveText('Caller connected to the payment line');
  await expectHearsAll('caller', caller.listen, [TONES.payment, TONES.advisor]);
  await expectHearsAll('payment line', payment.listen, [TONES.caller, TONES.advisor]);
  await expectHearsAll('advisor', advisor.listen, [TONES.caller, TONES.payment]);
  await expect(recordingState(advisor.page)).toHaveAttribute('data-state', 'paused');
  await expect(recordingState(advisor.page)).toContainText('Paused: payment line');

  // The payment line is done and hangs up: the caller is back with the advisor alone.
  await payment.hangup();
  await backWithAdvisorThenHangUp(advisor, caller);

  const measured = await storedRecording(app.url, cookie, before);
  expectPaymentLegAbsent(measured);
  const timeline = measured.stored.timeline;
  const kinds = timeline.map((e) => e.type);
  expect(timeline.find((e) => e.type === 'paused')?.detail).toMatchObject({ reason: 'payment' });
  // Paused before the caller was held and the payment line dialled; resumed only once the payment leg was gone.
  expect(kinds.indexOf('paused')).toBeLessThan(kinds.indexOf('hold'));
  expect(kinds.indexOf('resumed')).toBeGreaterThan(kinds.indexOf('consultation-ended'));
  expect(kinds.filter((k) => k === 'paused' || k === 'resumed')).toEqual(['paused', 'resumed']);
  expect(kinds.at(-1)).toBe('ended');
});

test('a failed payment transfer: the payment line is busy, the caller comes back and recording resumes', async ({
  app,
  advisor,
  caller,
  payment
}) => {
  await payment.autoAnswer(false);
  const { cookie, before } = await recordedMainLineCall(app.url, advisor, caller);

  await advisor.page.getByRole('button', { name: 'Payment line' }).click();
  await expect(recordingState(advisor.page)).toHaveAttribute('data-state', 'paused');
  await expect.poll(async () => (await payment.state()).callState).toBe('ringing');
  await expect(advisor.page.getByRole('status')).toHaveText(
    'Putting the caller through to the payment line…'
  );
  await payment.decline(486);

  // The caller's phone reports the failure in a NOTIFY (message/sipfrag): the advisor's phone learns it.
  await expect(advisor.page.getByRole('alert')).toContainText('did not go through (486)');
  expect((await caller.state()).transferError).toBe('486 Busy Here');
  await backWithAdvisorThenHangUp(advisor, caller);

  const measured = await storedRecording(app.url, cookie, before);
  expectPaymentLegAbsent(measured);
  expect(measured.stored.timeline.map((e) => e.type)).toEqual([
    'started',
    'transfer-requested',
    'paused',
    'transfer-failed',
    'resumed',
    'ended'
  ]);
});
