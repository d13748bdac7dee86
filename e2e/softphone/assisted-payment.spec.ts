import { expectHears, expectHearsAll, TONES } from '../support/audio-expect';
import type { AdvisorTab } from '../support/advisor';
import { connectMainLineCall, expectAdvisorIdle } from '../support/calls';
import { expect, PEER_NUMBERS, test } from '../support/fixtures';
import type { Peer } from '../support/peer';

/** Main-line call, then the caller is connected to the payment line while the advisor stays on. */
async function callerOnPaymentLine(advisor: AdvisorTab, caller: Peer, payment: Peer): Promise<void> {
  await connectMainLineCall(advisor, caller);
  await advisor.page.getByRole('button', { name: 'Assisted payment' }).click();
  await expectHears('payment line', payment.listen, TONES.advisor);
  await advisor.page.getByRole('button', { name: 'Connect caller to payment line' }).click();
  await expectHearsAll('caller', caller.listen, [TONES.payment, TONES.advisor]);
  await expectHearsAll('payment line', payment.listen, [TONES.caller, TONES.advisor]);
}

test('assisted payment ended by the advisor: the caller is back with the advisor alone', async ({
  advisor,
  caller,
  payment
}) => {
  await callerOnPaymentLine(advisor, caller, payment);
  await advisor.page.getByRole('button', { name: 'End payment call' }).click();
  await expect(advisor.page.getByRole('status')).toHaveText(`On a call with ${PEER_NUMBERS.caller}`);
  await expect.poll(async () => (await payment.state()).callState).toBe('terminated');
  await expectHears('caller', caller.listen, TONES.advisor);
  await expectHears('advisor', advisor.listen, TONES.caller);
  await expect.poll(async () => (await advisor.rtp()).connections).toBe(1);
  await expect(advisor.page.getByRole('button', { name: 'Assisted payment' })).toBeEnabled();
});

test('the caller hangs up during an assisted payment: the payment call ends too', async ({
  advisor,
  caller,
  payment
}) => {
  await callerOnPaymentLine(advisor, caller, payment);
  await caller.hangup();
  await expectAdvisorIdle(advisor);
  await expect.poll(async () => (await payment.state()).callState).toBe('terminated');
});
