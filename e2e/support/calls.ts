import { expect } from '@playwright/test';
import type { AdvisorTab } from './advisor';
import { expectHears, expectSilence, TONES } from './audio-expect';
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

/** The advisor consults `number` (the colleague peer): the caller waits on hold in silence, the two hear each other. */
export async function consultColleague(
  advisor: AdvisorTab,
  number: string,
  caller: Peer,
  colleague: Peer
): Promise<void> {
  await advisor.page.getByLabel('Transfer to').fill(number);
  await advisor.page.getByRole('button', { name: 'Consult' }).click();
  await expect(advisor.page.getByRole('status')).toHaveText(`Consulting ${number}; caller on hold`);
  await expectHears('advisor', advisor.listen, TONES.colleague);
  await expectHears('colleague', colleague.listen, TONES.advisor);
  await expectSilence('caller', caller.listen);
}
