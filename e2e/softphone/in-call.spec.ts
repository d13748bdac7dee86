import { expectBytes, expectHears, expectSilence, TONES } from '../support/audio-expect';
import { connectMainLineCall } from '../support/calls';
import { expect, test } from '../support/fixtures';

test('mute sends silence to the caller, unmute brings the voice back', async ({ advisor, caller }) => {
  await connectMainLineCall(advisor, caller);
  const mute = advisor.page.getByRole('button', { name: 'Mute' });
  await mute.click();
  await expect(mute).toHaveAttribute('aria-pressed', 'true');
  await expectSilence('caller', caller.listen);
  // The advisor still hears the caller while muted.
  await expectHears('advisor', advisor.listen, TONES.caller);
  await mute.click();
  await expect(mute).toHaveAttribute('aria-pressed', 'false');
  await expectHears('caller', caller.listen, TONES.advisor);
});

test('hold stops the media both ways and resume brings it back', async ({ advisor, caller }) => {
  await connectMainLineCall(advisor, caller);
  await advisor.page.getByRole('button', { name: 'Hold' }).click();
  await expect(advisor.page.getByRole('status')).toHaveText(/on hold/);
  await expectSilence('caller', caller.listen);
  await expectBytes('advisor inbound', async () => (await advisor.rtp()).bytesReceived, false);
  await advisor.page.getByRole('button', { name: 'Resume' }).click();
  await expect(advisor.page.getByRole('status')).toHaveText(/^On a call with/);
  await expectHears('caller', caller.listen, TONES.advisor);
  await expectHears('advisor', advisor.listen, TONES.caller);
});

test('keypad tones reach the caller and no digit is ever logged', async ({ advisor, caller }) => {
  await connectMainLineCall(advisor, caller);
  const keypad = advisor.page.getByRole('group', { name: 'Keypad tones' });
  const heard = caller.receivedDtmfTones(4000);
  for (const key of ['4', '9', '2', '#']) {
    await keypad.getByRole('button', { name: key, exact: true }).click();
    await advisor.page.waitForTimeout(250);
  }
  const result = await heard;
  expect(result.digits).toBe('492#');
  const printed = advisor.console.join('\n');
  expect(printed).not.toMatch(/Signal=|insertDTMF|sent via RTP|492/);
  // Nothing shows the digits on screen either.
  await expect(advisor.page.getByText('492')).toHaveCount(0);
});
