import { advisorDtmfTones } from '../support/app-probe';
import { expectNoDigits, storedFiles } from '../support/digit-leaks';
import { expect, test } from '../support/fixtures';
import { readPbxLog } from '../support/pbx';
import { finishRecordedCall, startRecordedCall } from '../support/recordings';

const CALLER = '3001';
/** What the advisor keys (an account number read out to an IVR, say): 8 digits no other test uses. */
const ADVISOR_KEYS = '86420975#';
/** What the caller keys: a test card number. */
const CALLER_KEYS = '5105105105105100#';

test('proof 11: keyed digits reach the other party but no console, log, screen or stored byte', async ({
  app,
  advisor,
  caller
}) => {
  const call = await startRecordedCall(app.url, advisor, caller, CALLER);

  const keypad = advisor.page.getByRole('group', { name: 'Keypad tones' });
  const callerHeard = caller.receivedDtmfTones(ADVISOR_KEYS.length * 600 + 3000);
  for (const key of ADVISOR_KEYS) {
    await keypad.getByRole('button', { name: key, exact: true }).click();
    await advisor.page.waitForTimeout(250);
  }
  // The tones really went out (compared here, never printed).
  expect((await callerHeard).digits === ADVISOR_KEYS, "the caller should hear the advisor's keys").toBe(true);

  // 200 ms keys with 100 ms gaps: on a loaded machine Chromium can play a 100 ms key for as little as 15 ms.
  const advisorHeard = advisorDtmfTones(advisor.page, CALLER_KEYS.length * 300 + 3000);
  await caller.sendDtmf(CALLER_KEYS, 200, 100);
  expect((await advisorHeard).digits === CALLER_KEYS, "the advisor should hear the caller's keys").toBe(true);

  const stored = await finishRecordedCall(app.url, advisor, caller, CALLER, call);

  const sequences = [ADVISOR_KEYS, CALLER_KEYS];
  expectNoDigits(
    {
      'the advisor browser console': advisor.console.join('\n'),
      'the advisor screen': await advisor.page.locator('body').innerText(),
      'the app server log': app.logs(),
      'the PBX log': readPbxLog(),
      'the stored recording and timeline': JSON.stringify(stored),
      ...storedFiles()
    },
    sequences
  );
});
