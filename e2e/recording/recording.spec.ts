import { expectHears, TONES } from '../support/audio-expect';
import { connectMainLineCall, expectAdvisorIdle } from '../support/calls';
import { expect, test } from '../support/fixtures';
import {
  expectUploaded,
  newRecording,
  outboxCounts,
  recordingIds,
  startRecordedCall
} from '../support/recordings';
import { apiLogin, decodedAudio, findRecordings, toneLevelDb } from '../support/stored-audio';

const CALLER = '3001';

test('a main-line call is recorded: both voices, the right length, a clean timeline', async ({
  app,
  advisor,
  caller
}) => {
  const { cookie, before } = await startRecordedCall(app.url, advisor, caller, CALLER);
  await advisor.page.waitForTimeout(6000);
  await caller.hangup();
  await expectAdvisorIdle(advisor);
  await expectUploaded(advisor);

  const stored = await newRecording(app.url, cookie, CALLER, before);
  expect(stored.integrity.ok).toBe(true);
  const pcm = await decodedAudio(app.url, cookie, stored.recording.id);
  const seconds = pcm.length / 16000;
  const started = Date.parse(stored.timeline.find((e) => e.type === 'started')?.at ?? '');
  const ended = Date.parse(stored.timeline.find((e) => e.type === 'ended')?.at ?? '');
  console.log(
    `recorded ${seconds.toFixed(3)} s; timeline ${((ended - started) / 1000).toFixed(3)} s; ` +
      `440 Hz ${toneLevelDb(pcm, TONES.caller).toFixed(1)} dB, 1000 Hz ${toneLevelDb(pcm, TONES.advisor).toFixed(1)} dB`
  );
  expect(toneLevelDb(pcm, TONES.caller)).toBeGreaterThan(-30);
  expect(toneLevelDb(pcm, TONES.advisor)).toBeGreaterThan(-30);
  expect(toneLevelDb(pcm, TONES.payment)).toBeLessThan(-50);
  expect(Math.abs(seconds * 1000 - (ended - started))).toBeLessThan(200);
  expect(stored.timeline.map((e) => e.type)).toEqual(['started', 'ended']);
});

test('a call direct-dialled to the extension is not recorded anywhere', async ({ app, advisor, caller }) => {
  const cookie = await apiLogin(app.url, 'sue');
  const before = (await findRecordings(app.url, cookie, CALLER)).length;
  const calling = caller.call('1001');
  await advisor.page.getByRole('button', { name: 'Answer' }).click();
  await calling;
  await expectHears('caller', caller.listen, TONES.advisor);
  await expect(advisor.page.getByRole('region', { name: 'Recording' })).toContainText('NOT RECORDED');
  await caller.hangup();
  await expectAdvisorIdle(advisor);
  const local = await outboxCounts(advisor);
  expect(local).toEqual({ recordings: 0, segments: 0, chunks: 0 });
  expect((await findRecordings(app.url, cookie, CALLER)).length).toBe(before);
});

test('a blind transfer to the payment line pauses before the REFER and keeps 2500 Hz out', async ({
  app,
  advisor,
  caller,
  payment
}) => {
  const cookie = await apiLogin(app.url, 'sue');
  const before = await recordingIds(app.url, cookie, CALLER);
  await connectMainLineCall(advisor, caller);
  await advisor.page.waitForTimeout(3000);
  await advisor.page.getByRole('button', { name: 'Payment line' }).click();
  await expectHears('caller', caller.listen, TONES.payment);
  await expectHears('payment line', payment.listen, TONES.caller);
  await expectAdvisorIdle(advisor);
  await expectUploaded(advisor);
  const stored = await newRecording(app.url, cookie, CALLER, before);
  const pcm = await decodedAudio(app.url, cookie, stored.recording.id);
  expect(toneLevelDb(pcm, TONES.payment)).toBeLessThan(-50);
  expect(toneLevelDb(pcm, TONES.caller)).toBeGreaterThan(-30);
  const kinds = stored.timeline.map((e) => e.type);
  expect(kinds.indexOf('paused')).toBeGreaterThan(-1);
  expect(kinds.indexOf('paused')).toBeLessThanOrEqual(kinds.indexOf('transfer-requested') + 1);
  expect(kinds.at(-1)).toBe('ended');
});
