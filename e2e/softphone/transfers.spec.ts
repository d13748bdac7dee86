import { expectHears, expectSilence, TONES } from '../support/audio-expect';
import { connectMainLineCall, expectAdvisorIdle } from '../support/calls';
import { expect, PEER_NUMBERS, test } from '../support/fixtures';

test('blind transfer puts the caller through to a colleague', async ({ advisor, caller, colleague }) => {
  await connectMainLineCall(advisor, caller);
  await advisor.page.getByLabel('Transfer to').fill(PEER_NUMBERS.colleague);
  await advisor.page.getByRole('button', { name: 'Transfer', exact: true }).click();
  await expectHears('caller', caller.listen, TONES.colleague);
  await expectHears('colleague', colleague.listen, TONES.caller);
  await expectAdvisorIdle(advisor);
  await expect(advisor.page.getByRole('region', { name: 'Recent calls' })).toContainText('Transferred');
});

test('attended transfer: consult while the caller waits, then complete', async ({
  advisor,
  caller,
  colleague
}) => {
  await connectMainLineCall(advisor, caller);
  await advisor.page.getByLabel('Transfer to').fill(PEER_NUMBERS.colleague);
  await advisor.page.getByRole('button', { name: 'Consult' }).click();
  await expect(advisor.page.getByRole('status')).toHaveText(
    `Consulting ${PEER_NUMBERS.colleague}; caller on hold`
  );
  await expectHears('advisor', advisor.listen, TONES.colleague);
  await expectHears('colleague', colleague.listen, TONES.advisor);
  await expectSilence('caller', caller.listen);
  await advisor.page.getByRole('button', { name: 'Complete transfer' }).click();
  await expectHears('caller', caller.listen, TONES.colleague);
  await expectHears('colleague', colleague.listen, TONES.caller);
  await expectAdvisorIdle(advisor);
});

test('attended transfer cancelled: the caller is back with the advisor', async ({
  advisor,
  caller,
  colleague
}) => {
  await connectMainLineCall(advisor, caller);
  await advisor.page.getByLabel('Transfer to').fill(PEER_NUMBERS.colleague);
  await advisor.page.getByRole('button', { name: 'Consult' }).click();
  await expectHears('advisor', advisor.listen, TONES.colleague);
  await advisor.page.getByRole('button', { name: 'Cancel transfer' }).click();
  await expect(advisor.page.getByRole('status')).toHaveText(`On a call with ${PEER_NUMBERS.caller}`);
  await expectHears('advisor', advisor.listen, TONES.caller);
  await expectHears('caller', caller.listen, TONES.advisor);
  await expect.poll(async () => (await colleague.state()).callState).toMatch(/terminated|idle/);
});

test('the payment line takes the caller', async ({ advisor, caller, payment }) => {
  await connectMainLineCall(advisor, caller);
  await advisor.page.getByRole('button', { name: 'Payment line' }).click();
  await expectHears('caller', caller.listen, TONES.payment);
  await expectHears('payment line', payment.listen, TONES.caller);
  await expectAdvisorIdle(advisor);
});
