import { expectBytes, expectHears, TONES } from '../support/audio-expect';
import { connectMainLineCall, expectAdvisorIdle } from '../support/calls';
import { expect, PEER_NUMBERS, test } from '../support/fixtures';

test('the advisor logs in and the softphone registers with the PBX', async ({ advisor }) => {
  await expect(advisor.page.getByRole('status')).toHaveText('Phone ready');
  await expect(advisor.page.getByRole('button', { name: 'Dial' })).toBeEnabled();
});

test('a main-line call is answered and both sides hear each other', async ({ advisor, caller }) => {
  await connectMainLineCall(advisor, caller);
  await expect(advisor.page.getByRole('status')).toHaveText(`On a call with ${PEER_NUMBERS.caller}`);
  const rtp = await caller.rtpStats();
  expect(rtp.bytesReceived).toBeGreaterThan(1000);
  await expectBytes('advisor', async () => (await advisor.rtp()).bytesReceived, true);
});

test('an outbound call connects with audio both ways', async ({ advisor, caller }) => {
  await caller.autoAnswer(true);
  await advisor.page.getByLabel('Number').fill(PEER_NUMBERS.caller);
  await advisor.page.getByRole('button', { name: 'Dial' }).click();
  await expectHears('caller', caller.listen, TONES.advisor);
  await expectHears('advisor', advisor.listen, TONES.caller);
  await expect(advisor.page.getByRole('status')).toHaveText(`On a call with ${PEER_NUMBERS.caller}`);
});

test('the advisor declines a direct call and the caller gets busy', async ({ advisor, caller }) => {
  // Settle the promise at once so the rejection we expect is never unhandled.
  const outcome = caller.call('1001').then(
    () => 'connected',
    (error: Error) => error.message
  );
  await expect(advisor.page.getByRole('status')).toHaveText(`Incoming call from ${PEER_NUMBERS.caller}`);
  await expect(advisor.page.getByText('direct to your extension')).toBeVisible();
  await advisor.page.getByRole('button', { name: 'Decline' }).click();
  expect(await outcome).toMatch(/486 Busy Here/);
  await expectAdvisorIdle(advisor);
  await expect(advisor.page.getByRole('region', { name: 'Recent calls' })).toContainText('Declined');
});

test('the caller hangs up and the advisor is free again', async ({ advisor, caller }) => {
  await connectMainLineCall(advisor, caller);
  await caller.hangup();
  await expectAdvisorIdle(advisor);
  await expect(advisor.page.getByRole('region', { name: 'Recent calls' })).toContainText('Answered');
});

test('the advisor hangs up and the caller is released', async ({ advisor, caller }) => {
  await connectMainLineCall(advisor, caller);
  await advisor.page.getByRole('button', { name: 'Hang up' }).click();
  await expect.poll(async () => (await caller.state()).callState).toMatch(/terminated|idle/);
  await expectAdvisorIdle(advisor);
});

test('an unknown number gets a clear message', async ({ advisor }) => {
  await advisor.page.getByLabel('Number').fill('9999');
  await advisor.page.getByRole('button', { name: 'Dial' }).click();
  await expect(advisor.page.getByRole('alert')).toHaveText(/Number not found: 9999/);
  await expectAdvisorIdle(advisor);
});

test('typed input that is not a number is refused before anything is sent', async ({ advisor }) => {
  await advisor.page.getByLabel('Number').fill('call bob');
  await advisor.page.getByRole('button', { name: 'Dial' }).click();
  await expect(advisor.page.getByRole('alert')).toHaveText(/only digits/);
  expect((await advisor.rtp()).connections).toBe(0);
});
