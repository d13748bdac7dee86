import { openAdvisor } from '../support/advisor';
import { startAppServer } from '../support/app-server';
import { connectMainLineCall } from '../support/calls';
import { expect, test } from '../support/fixtures';
import { startPbx, stopPbx } from '../support/pbx';

test('the phone re-registers within 10 s when the PBX comes back, then takes the next call', async ({
  advisor,
  caller
}) => {
  await stopPbx();
  try {
    await expect(advisor.page.getByRole('status')).toHaveText(/unreachable|lost/);
    await expect(advisor.page.getByRole('button', { name: 'Dial' })).toBeDisabled();
  } finally {
    await startPbx();
  }
  await expect(advisor.page.getByRole('status')).toHaveText('Phone ready', { timeout: 10_000 });
  // The PBX forgot every registration: the caller signs in again, then the main line must reach the advisor.
  await caller.registerAs('3001');
  await connectMainLineCall(advisor, caller);
});

test('wrong SIP credentials are reported clearly', async ({ browsers }) => {
  const misconfigured = await startAppServer({ SIP_SHARED_SECRET: 'ab'.repeat(32) });
  try {
    const tab = await openAdvisor(browsers.advisor, misconfigured.url, 'bob', { waitForReady: false });
    await expect(tab.page.getByRole('status')).toHaveText(/^Wrong SIP credentials/, { timeout: 20_000 });
    await expect(tab.page.getByRole('button', { name: 'Dial' })).toBeDisabled();
    await tab.close();
  } finally {
    await misconfigured.stop();
  }
});
