import { chromium } from 'playwright-core';
import { openAdvisor } from '../support/advisor';
import { expectHears, TONES } from '../support/audio-expect';
import { connectMainLineCall, expectAdvisorIdle } from '../support/calls';
import { CHROMIUM_PATH } from '../support/browser';
import { expect, PEER_NUMBERS, test } from '../support/fixtures';
import { pbxInfo } from '../support/pbx';

test('keyboard shortcuts answer, mute and hang up', async ({ advisor, caller }) => {
  const calling = caller.call(pbxInfo().mainLine);
  await expect(advisor.page.getByRole('button', { name: 'Answer' })).toBeVisible();
  await advisor.page.keyboard.press('Alt+KeyA');
  await calling;
  await expectHears('caller', caller.listen, TONES.advisor);
  await advisor.page.keyboard.press('Alt+KeyM');
  await expect(advisor.page.getByRole('button', { name: 'Mute' })).toHaveAttribute('aria-pressed', 'true');
  await advisor.page.keyboard.press('Alt+KeyQ');
  await expectAdvisorIdle(advisor);
  await expect(advisor.page.getByText('Alt+A')).toBeVisible();
});

test('a busy number gets a clear message', async ({ advisor, caller }) => {
  await advisor.page.getByLabel('Number').fill(PEER_NUMBERS.caller);
  await advisor.page.getByRole('button', { name: 'Dial' }).click();
  await expect.poll(async () => (await caller.state()).callState).toBe('ringing');
  await caller.decline(486);
  await expect(advisor.page.getByRole('alert')).toHaveText(`${PEER_NUMBERS.caller} is busy`);
  await expectAdvisorIdle(advisor);
});

test('switching the microphone mid-call keeps the call and the audio', async ({ advisor, caller }) => {
  await connectMainLineCall(advisor, caller);
  const mic = advisor.page.getByLabel('Microphone');
  const options = await mic
    .locator('option')
    .evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
  expect(options.length).toBeGreaterThan(1);
  const before = await advisor.page.evaluate(() => {
    const probe = (window as unknown as { __probe: { pcs: RTCPeerConnection[] } }).__probe;
    return probe.pcs.flatMap((pc) => pc.getSenders().map((s) => s.track?.id ?? ''));
  });
  await mic.selectOption(options[options.length - 1] as string);
  await expect
    .poll(() =>
      advisor.page.evaluate(() => {
        const probe = (window as unknown as { __probe: { pcs: RTCPeerConnection[] } }).__probe;
        return probe.pcs.flatMap((pc) => pc.getSenders().map((s) => s.track?.id ?? ''));
      })
    )
    .not.toEqual(before);
  await expect(advisor.page.getByRole('status')).toHaveText(`On a call with ${PEER_NUMBERS.caller}`);
  await expectHears('caller', caller.listen, TONES.advisor);
  await expectHears('advisor', advisor.listen, TONES.caller);
});

test('a blocked microphone is reported clearly', async ({ app }) => {
  // No --use-fake-ui-for-media-stream: the permission prompt cannot be accepted, as when a user blocks it.
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking']
  });
  try {
    const tab = await openAdvisor(browser, app.url, 'bob', { waitForReady: false });
    await expect(tab.page.getByRole('alert')).toHaveText(/Microphone access is blocked|No microphone found/);
  } finally {
    await browser.close();
  }
});
