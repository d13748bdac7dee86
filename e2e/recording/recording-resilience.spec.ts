import { reopenAdvisor, crashAdvisor } from '../support/advisor';
import { TONES } from '../support/audio-expect';
import { expect, test } from '../support/fixtures';
import { recorderClockLagMs } from '../support/app-probe';
import { whileAppServerDown } from '../support/app-server';
import { expectAdvisorIdle } from '../support/calls';
import { expectUploaded, newRecording, readOutbox, startRecordedCall } from '../support/recordings';
import { decodedAudio, medianToneLevelDb } from '../support/stored-audio';

const CALLER = '3001';

test('a tab that crashes mid-call loses at most 2 s; the rest uploads when the app opens again', async ({
  app,
  advisor,
  caller
}) => {
  const { cookie, before } = await startRecordedCall(app.url, advisor, caller, CALLER);
  const lagAtStart = await recorderClockLagMs(advisor.page);
  // One whole 10 s segment and a part of the next one, which exists only as chunks when the tab dies.
  await advisor.page.waitForTimeout(15_000);
  const skippedMs = (await recorderClockLagMs(advisor.page)) - lagAtStart;
  const died = await crashAdvisor(advisor);
  await caller.hangup();

  const reopened = await reopenAdvisor(advisor);
  await expectUploaded(reopened);
  expect(await readOutbox(reopened)).toEqual({ recordings: 0, segments: [], chunks: [] });

  const stored = await newRecording(app.url, cookie, CALLER, before);
  console.log(
    `stored segments ${stored.segments.map((s) => `${s.seq}:${s.durationMs}ms`).join(', ')}; ` +
      `timeline ${stored.timeline.map((e) => `${e.type} ${JSON.stringify(e.detail)}`).join(', ')}`
  );
  expect(stored.integrity).toEqual({ ok: true, missing: [], corrupt: [] });
  // At least one whole 10 s segment, then the one the chunks rebuilt (how many wholes depends on how long the
  // call took to set up on a busy machine); every one of them arrived.
  expect(stored.segments.length).toBeGreaterThanOrEqual(2);
  expect(stored.segments.map((s) => s.seq)).toEqual(stored.segments.map((_, i) => i));
  const kinds = stored.timeline.map((e) => e.type);
  expect(kinds).toEqual(['started', 'gap', 'ended']);
  expect(stored.timeline[1]?.detail).toEqual({ cause: 'reload' });
  const started = Date.parse(stored.timeline[0]?.at ?? '');
  const pcm = await decodedAudio(app.url, cookie, stored.recording.id);
  const audioMs = (pcm.length / 16000) * 1000;
  // What the crash lost: the call until the crash, less what the starved fake audio device never rendered.
  const lostMs = died - started - skippedMs - audioMs;
  console.log(
    `call until the crash ${died - started} ms, never rendered by the audio device ${skippedMs.toFixed(0)} ms, ` +
      `stored ${audioMs.toFixed(0)} ms: lost ${lostMs.toFixed(0)} ms; ` +
      `440 Hz ${medianToneLevelDb(pcm, TONES.caller).toFixed(1)} dB, 1000 Hz ${medianToneLevelDb(pcm, TONES.advisor).toFixed(1)} dB`
  );
  expect(lostMs).toBeLessThanOrEqual(2000);
  expect(medianToneLevelDb(pcm, TONES.caller)).toBeGreaterThan(-30);
  expect(medianToneLevelDb(pcm, TONES.advisor)).toBeGreaterThan(-30);
});

test('the retention service down for 30 s mid-call: nothing lost, every segment arrives with its hash', async ({
  app,
  advisor,
  caller
}) => {
  test.setTimeout(180_000);
  const { cookie, before } = await startRecordedCall(app.url, advisor, caller, CALLER);
  const lagAtStart = await recorderClockLagMs(advisor.page);
  const region = advisor.page.getByRole('region', { name: 'Recording' });
  await advisor.page.waitForTimeout(5000);
  const queued = await whileAppServerDown(app, async () => {
    const downAt = Date.now();
    // The call goes on (SIP and media go through the PBX); its segments wait in IndexedDB, and the advisor sees so.
    await expect(region).toContainText(/[2-9] recording segments waiting to upload/, { timeout: 30_000 });
    await advisor.page.waitForTimeout(30_000 - (Date.now() - downAt));
    const outbox = await readOutbox(advisor);
    // Only the segment being recorded has chunks: every completed one replaced its own.
    const last = Math.max(...outbox.segments.map((s) => s.seq));
    expect(outbox.chunks.every((c) => c.seq === last + 1)).toBe(true);
    return outbox.segments;
  });
  const upAt = Date.now();
  console.log(`queued while the service was down: segments ${queued.map((s) => s.seq).join(', ')}`);
  expect(queued.length).toBeGreaterThanOrEqual(2);
  await expectUploaded(advisor, 15_000);
  const drainedMs = Date.now() - upAt;
  const skippedMs = (await recorderClockLagMs(advisor.page)) - lagAtStart;
  await caller.hangup();
  await expectAdvisorIdle(advisor);
  await expectUploaded(advisor);

  const stored = await newRecording(app.url, cookie, CALLER, before);
  expect(stored.integrity).toEqual({ ok: true, missing: [], corrupt: [] });
  expect(stored.segments.map((s) => s.seq)).toEqual(stored.segments.map((_, i) => i));
  const onServer = new Map(stored.segments.map((s) => [s.seq, s.sha256]));
  for (const q of queued) {
    expect(q.recordingId).toBe(stored.recording.id);
    expect(onServer.get(q.seq)).toBe(q.sha256);
  }
  expect(stored.timeline.map((e) => e.type)).toEqual(['started', 'ended']);
  const pcm = await decodedAudio(app.url, cookie, stored.recording.id);
  const audioMs = (pcm.length / 16000) * 1000;
  const started = Date.parse(stored.timeline[0]?.at ?? '');
  const ended = Date.parse(stored.timeline[1]?.at ?? '');
  console.log(
    `backlog gone ${drainedMs} ms after the service returned; ${stored.segments.length} segments, integrity ok; ` +
      `audio ${audioMs.toFixed(0)} ms, timeline ${ended - started} ms, never rendered by the audio device ` +
      `${skippedMs.toFixed(0)} ms; ` +
      `440 Hz ${medianToneLevelDb(pcm, TONES.caller).toFixed(1)} dB, 1000 Hz ${medianToneLevelDb(pcm, TONES.advisor).toFixed(1)} dB`
  );
  // Nothing lost: the audio is the call, less what the starved fake audio device never rendered.
  expect(Math.abs(audioMs - (ended - started - skippedMs))).toBeLessThan(200);
  expect(medianToneLevelDb(pcm, TONES.caller)).toBeGreaterThan(-30);
  expect(medianToneLevelDb(pcm, TONES.advisor)).toBeGreaterThan(-30);
});
