import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expectHears, TONES } from '../support/audio-expect';
import { connectMainLineCall, consultColleague, expectAdvisorIdle } from '../support/calls';
import { dataDir } from '../support/data-dir';
import { expect, PEER_NUMBERS, test } from '../support/fixtures';
import { outboxCounts, recordingIndicator, uploadedRecording, watchRecordings } from '../support/recordings';
import {
  decodedAudio,
  findRecordings,
  recordingDetail,
  toneLevelDb,
  toneReport
} from '../support/stored-audio';
import { capturedMs, capturedStretches, eventTime, stretchPcm } from '../support/timeline';

const CALLER = PEER_NUMBERS.caller;
const RECORDING = 'This call is being recorded';

test('attended transfer: the consultation is recorded, nothing after the transfer completes', async ({
  app,
  advisor,
  caller,
  colleague
}) => {
  const watch = await watchRecordings(app.url, CALLER);
  await connectMainLineCall(advisor, caller);
  await advisor.page.waitForTimeout(4000);

  await consultColleague(advisor, PEER_NUMBERS.colleague, caller, colleague);
  // The consultation is recorded while the caller waits on hold.
  await expect(recordingIndicator(advisor)).toContainText(RECORDING);
  await advisor.page.waitForTimeout(4000);

  const completeAsked = Date.now();
  await advisor.page.getByRole('button', { name: 'Complete transfer' }).click();
  await expectAdvisorIdle(advisor);
  const advisorIdle = Date.now();
  await expect(recordingIndicator(advisor)).toContainText('Recording ended: call transferred');
  // Caller and colleague keep talking without the advisor: none of it may be recorded.
  await expectHears('caller', caller.listen, TONES.colleague);
  await expectHears('colleague', colleague.listen, TONES.caller);
  await advisor.page.waitForTimeout(4000);
  await caller.hangup();

  const { stored, pcm } = await uploadedRecording(advisor, watch);
  const { timeline } = stored;
  const [call, consultation] = capturedStretches(timeline).map((s) => stretchPcm(pcm, s));
  if (!call || !consultation) throw new Error('expected the call, then the consultation');
  const ended = eventTime(timeline, 'ended');
  const recordedMs = pcm.length / 16;
  console.log(
    `attended transfer: recorded ${recordedMs.toFixed(0)} ms; timeline says ${capturedMs(timeline)} ms; ` +
      `ended ${ended - completeAsked} ms after Complete, ${advisorIdle - ended} ms before the advisor was idle; ` +
      `call ${toneReport(call, [TONES.caller, TONES.advisor, TONES.colleague])}; ` +
      `consultation ${toneReport(consultation, [TONES.caller, TONES.advisor, TONES.colleague])}; ` +
      `whole ${toneReport(pcm, [TONES.payment])}`
  );
  expect(timeline.map((e) => e.type)).toEqual([
    'started',
    'hold',
    'paused',
    'consultation-started',
    'transfer-requested',
    'consultation-connected',
    'resumed',
    'transfer-accepted',
    'transfer-completed',
    'ended'
  ]);
  expect(timeline.find((e) => e.type === 'paused')?.detail).toMatchObject({ reason: 'hold' });
  expect(timeline.at(-1)?.detail).toMatchObject({ reason: 'transfer-completed' });
  expect(eventTime(timeline, 'transfer-completed')).toBe(ended);
  expect(ended).toBeGreaterThanOrEqual(completeAsked);
  expect(ended).toBeLessThanOrEqual(advisorIdle);
  // The stored audio stops where the transfer completed: its length is what the timeline captured.
  expect(Math.abs(recordedMs - capturedMs(timeline))).toBeLessThan(200);
  // The call: caller and advisor, no colleague yet.
  expect(toneLevelDb(call, TONES.caller)).toBeGreaterThan(-30);
  expect(toneLevelDb(call, TONES.advisor)).toBeGreaterThan(-30);
  expect(toneLevelDb(call, TONES.colleague)).toBeLessThan(-50);
  // The consultation: advisor and colleague; the caller is on hold and not heard.
  expect(toneLevelDb(consultation, TONES.colleague)).toBeGreaterThan(-30);
  expect(toneLevelDb(consultation, TONES.advisor)).toBeGreaterThan(-30);
  expect(toneLevelDb(consultation, TONES.caller)).toBeLessThan(-50);
  expect(toneLevelDb(pcm, TONES.payment)).toBeLessThan(-50);
});

/** Paths under the server's audio folder that belong to recording `id`. */
function audioFiles(id: string): string[] {
  const root = join(dataDir(), 'audio');
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((p) => p.includes(id));
}

interface AuditItem {
  actor_name: string | null;
  role: string;
  action: string;
  target: string | null;
  result: string;
  detail: string | null;
}

async function auditEntries(appUrl: string, cookie: string, action: string): Promise<AuditItem[]> {
  const res = await fetch(`${appUrl}/api/audit?action=${encodeURIComponent(action)}&limit=500`, {
    headers: { cookie }
  });
  if (!res.ok) throw new Error(`audit: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { items: AuditItem[] }).items;
}

test('the caller objects: the script is shown and the call’s audio is erased in the browser and on the server', async ({
  app,
  advisor,
  caller
}) => {
  const watch = await watchRecordings(app.url, CALLER);
  const { cookie, before } = watch;
  await connectMainLineCall(advisor, caller);
  await expect(recordingIndicator(advisor)).toContainText(RECORDING);

  // Segments are 10 s long: wait until the server really holds audio of this call.
  let id = '';
  await expect
    .poll(
      async () => {
        const fresh = (await findRecordings(app.url, cookie, CALLER)).filter((r) => !before.has(r.id));
        if (fresh.length !== 1) return -1;
        id = (fresh[0] as { id: string }).id;
        return (await recordingDetail(app.url, cookie, id)).segments.length;
      },
      { timeout: 40_000, message: 'the server should hold a segment of the call' }
    )
    .toBeGreaterThanOrEqual(1);
  const uploaded = await decodedAudio(app.url, cookie, id);
  console.log(
    `objection: the server held ${(uploaded.length / 16).toFixed(0)} ms (${toneReport(uploaded, [TONES.caller, TONES.advisor])}) ` +
      `in ${audioFiles(id).length} path(s) under audio/ before the objection`
  );
  expect(toneLevelDb(uploaded, TONES.caller)).toBeGreaterThan(-30);
  expect(audioFiles(id).length).toBeGreaterThan(0);
  expect((await outboxCounts(advisor)).recordings).toBe(1);

  await advisor.page.getByRole('button', { name: 'Caller objects to recording' }).click();
  await expect(recordingIndicator(advisor)).toContainText('NOT RECORDED caller objected');
  await expect(recordingIndicator(advisor)).toContainText(
    'you can also reach us by email, by letter or in person'
  );
  // Gone from the browser: no recording and no segment left in IndexedDB.
  await expect.poll(() => outboxCounts(advisor)).toEqual({ recordings: 0, segments: 0, chunks: 0 });
  // Gone from the server: erased (410), no longer found, and its files deleted.
  await expect
    .poll(async () => (await fetch(`${app.url}/api/recordings/${id}`, { headers: { cookie } })).status)
    .toBe(410);
  const audio = await fetch(`${app.url}/api/recordings/${id}/audio?purpose=quality`, { headers: { cookie } });
  expect(audio.status).toBe(410);
  expect((await findRecordings(app.url, cookie, CALLER)).map((r) => r.id)).not.toContain(id);
  expect(audioFiles(id)).toEqual([]);
  // The decision, not the audio, is on the audit log.
  const entries = (await auditEntries(app.url, cookie, 'recording.erase')).filter((e) => e.target === id);
  console.log(`objection audit: ${JSON.stringify(entries)}`);
  expect(entries).toHaveLength(1);
  expect(entries[0]).toMatchObject({ role: 'advisor', result: 'ok' });
  expect(JSON.parse(entries[0]?.detail ?? '{}')).toEqual({
    reason: 'caller objected to being recorded',
    reference: 'objection'
  });

  // The call goes on, unrecorded; when it ends nothing comes back anywhere.
  await expectHears('caller', caller.listen, TONES.advisor);
  await caller.hangup();
  await expectAdvisorIdle(advisor);
  expect(await outboxCounts(advisor)).toEqual({ recordings: 0, segments: 0, chunks: 0 });
  expect((await findRecordings(app.url, cookie, CALLER)).filter((r) => !before.has(r.id))).toEqual([]);
});
