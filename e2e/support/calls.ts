import { expect } from '@playwright/test';
import type { AdvisorTab } from './advisor';
import { expectHears, TONES } from './audio-expect';
import type { Peer } from './peer';
import { pbxInfo } from './pbx';

/** The caller rings the main line, the advisor answers, and both hear each other's tone. */
export async function connectMainLineCall(advisor: AdvisorTab, caller: Peer): Promise<void> {
  const calling = caller.call(pbxInfo().mainLine);
  const answer = advisor.page.getByRole('button', { name: 'Answer' });
  await expect(answer).toBeVisible();
  await expect(advisor.page.getByRole('status')).toHaveText(/^Incoming call from \d+ on the main line$/);
  await answer.click();
  await calling;
  await expectHears('caller', caller.listen, TONES.advisor);
  await expectHears('advisor', advisor.listen, TONES.caller);
}

/** Waits until the advisor's phone is idle again with no media left. */
export async function expectAdvisorIdle(advisor: AdvisorTab): Promise<void> {
  await expect(advisor.page.getByRole('status')).toHaveText('Phone ready');
  await expect.poll(async () => (await advisor.rtp()).connections).toBe(0);
}
