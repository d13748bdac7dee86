import { expect, test } from '@playwright/test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { openPeer, type Peer } from './support/peer';
import { pbxInfo } from './support/pbx';

const TONE_A = 440;
const TONE_B = 700;
const TONE_C = 1000;
const POLL = { timeout: 30_000, intervals: [100, 250, 500] };

let browserA: Browser;
let browserB: Browser;
let browserC: Browser;
const opened: Peer[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  [browserA, browserB, browserC] = await Promise.all([
    launchBrowser(TONE_A),
    launchBrowser(TONE_B),
    launchBrowser(TONE_C)
  ]);
});

test.afterAll(async () => {
  await Promise.all([browserA, browserB, browserC].map((b) => b?.close()));
});

test.afterEach(async () => {
  await Promise.all(opened.splice(0).map((p) => p.close().catch(() => undefined)));
});

async function peer(browser: Browser, name: string): Promise<Peer> {
  const p = await openPeer(browser, name);
  opened.push(p);
  return p;
}

/** Unique extension per test run so earlier registrations never interfere. */
function ext(base: number): string {
  return String(base + (Date.now() % 800));
}

async function expectTone(listener: Peer, expectedHz: number, otherHz: number): Promise<void> {
  let last: Awaited<ReturnType<Peer['listen']>> | undefined;
  // The first few hundred ms after answer can be silent while the jitter buffer fills: retry until clear.
  await expect
    .poll(
      async () => {
        last = await listener.listen(1000, [expectedHz, otherHz]);
        const e = last.energies;
        return (
          last.rmsDbfs > -40 &&
          Math.abs(last.dominantHz - expectedHz) < 15 &&
          (e[String(expectedHz)] ?? -200) > (e[String(otherHz)] ?? -200) + 20
        );
      },
      { ...POLL, message: `${listener.name} should hear ${expectedHz} Hz` }
    )
    .toBe(true);
  console.log(`${listener.name} hears`, JSON.stringify(last));
}

test('two peers call each other and hear each other’s tone', async () => {
  const a = await peer(browserA, 'A');
  const b = await peer(browserB, 'B');
  const userA = ext(1100);
  const userB = ext(2100);
  await a.registerAs(userA);
  await b.registerAs(userB);
  await b.autoAnswer(true);

  await a.call(userB);
  await expect.poll(async () => (await b.state()).callState, POLL).toBe('established');

  await expectTone(a, TONE_B, TONE_A);
  await expectTone(b, TONE_A, TONE_B);

  const before = await a.rtpStats();
  await expect
    .poll(async () => {
      const now = await a.rtpStats();
      return now.bytesReceived > before.bytesReceived + 4000 && now.bytesSent > before.bytesSent + 4000;
    }, POLL)
    .toBe(true);
  console.log('A rtp', JSON.stringify(await a.rtpStats()), 'B rtp', JSON.stringify(await b.rtpStats()));

  await a.hangup();
  await expect.poll(async () => (await b.state()).callState, POLL).toBe('terminated');
});

test('an unknown number is rejected with 404', async () => {
  const a = await peer(browserA, 'A');
  await a.registerAs(ext(1100));
  await expect(a.call('9999999')).rejects.toThrow(/404/);
});

test('REGISTER with a wrong password or expired credentials is rejected', async () => {
  const a = await peer(browserA, 'A');
  const info = pbxInfo();
  const user = ext(1100);
  await expect(
    a.register({
      wsUrl: info.wsUrl,
      domain: info.domain,
      user,
      username: `${Date.now()}:${user}`,
      password: 'bad'
    })
  ).rejects.toThrow(/40[13]/);
  await expect(a.registerAs(user, -60)).rejects.toThrow(/40[13]/);
  // Credentials for another user than the AOR are refused too.
  const c = await peer(browserA, 'A2');
  const other = ext(3100);
  const { sipCredentials } = await import('./support/sip-credentials');
  const creds = sipCredentials(other);
  await expect(c.register({ wsUrl: info.wsUrl, domain: info.domain, user, ...creds })).rejects.toThrow(/403/);
});

test('the main line rings every advisor registered to it and marks the call as recorded', async () => {
  const { mainLine, recordedLineHeader } = pbxInfo();
  const header = recordedLineHeader.toLowerCase();
  const caller = await peer(browserA, 'caller');
  const adv1 = await peer(browserB, 'advisor1');
  const adv2 = await peer(browserC, 'advisor2');
  await caller.registerAs(ext(1100));
  await adv1.registerAs(mainLine);
  await adv2.registerAs(mainLine);

  // The caller tries to spoof the header: the PBX must replace it with its own single value.
  const calling = caller.call(mainLine, [`${recordedLineHeader}: spoofed`]);
  await expect.poll(async () => (await adv1.state()).callState, POLL).toBe('ringing');
  await expect.poll(async () => (await adv2.state()).callState, POLL).toBe('ringing');
  await adv1.answer();
  await calling;

  const s1 = await adv1.state();
  expect(s1.incoming?.headers[header]).toEqual(['main']);
  await expect.poll(async () => (await adv2.state()).callState, POLL).toBe('terminated');
  expect((await adv2.state()).incoming?.headers[header]).toEqual(['main']);
  await expectTone(caller, TONE_B, TONE_A);
  await caller.hangup();
});

test('nobody on the main line gives 480', async () => {
  const { mainLine } = pbxInfo();
  const caller = await peer(browserA, 'caller');
  await caller.registerAs(ext(1100));
  // Other tests' advisors unregistered in afterEach (peer.stop() unregisters).
  await expect(caller.call(mainLine)).rejects.toThrow(/480/);
});

test('a direct call never carries the recorded-line header, even when the caller sends one', async () => {
  const { recordedLineHeader } = pbxInfo();
  const a = await peer(browserA, 'A');
  const b = await peer(browserB, 'B');
  const userB = ext(2100);
  await a.registerAs(ext(1100));
  await b.registerAs(userB);
  await b.autoAnswer(true);
  await a.call(userB, [`${recordedLineHeader}: main`]);
  const s = await b.state();
  expect(s.incoming?.headers[recordedLineHeader.toLowerCase()]).toBeUndefined();
  expect(s.incoming?.headers).toBeTruthy();
  await a.hangup();
});

test('busy (486) passes back to the caller', async () => {
  const a = await peer(browserA, 'A');
  const b = await peer(browserB, 'B');
  const userB = ext(2100);
  await a.registerAs(ext(1100));
  await b.registerAs(userB);
  // Settle the promise at once so the rejection we expect is never unhandled.
  const outcome = a.call(userB).then(
    () => 'connected',
    (error: Error) => error.message
  );
  await expect.poll(async () => (await b.state()).callState, POLL).toBe('ringing');
  await b.decline(486);
  expect(await outcome).toMatch(/486/);
});

test('blind transfer: the transferee follows the REFER and the old leg ends', async () => {
  const caller = await peer(browserA, 'caller');
  const advisor = await peer(browserB, 'advisor');
  const payment = await peer(browserC, 'payment');
  const { paymentLine } = pbxInfo();
  const advisorExt = ext(2100);
  await caller.registerAs(ext(1100));
  await advisor.registerAs(advisorExt);
  await payment.registerAs(paymentLine);
  await advisor.autoAnswer(true);
  await payment.autoAnswer(true);

  await caller.call(advisorExt);
  await expect.poll(async () => (await advisor.state()).callState, POLL).toBe('established');
  expect(await advisor.transfer(paymentLine)).toBe(202);

  await expect.poll(async () => (await payment.state()).callState, POLL).toBe('established');
  await expect.poll(async () => (await advisor.state()).callState, POLL).toBe('terminated');
  const s = await caller.state();
  expect(s.refersReceived).toBe(1);
  expect(s.callState).toBe('established');
  // The caller now hears the payment line's tone on the NEW call.
  await expectTone(caller, TONE_C, TONE_B);
  await expectTone(payment, TONE_A, TONE_B);
  await caller.hangup();
});

test('attended transfer: INVITE with Replaces joins the caller and the colleague', async () => {
  const caller = await peer(browserA, 'caller');
  const advisor = await peer(browserB, 'advisor');
  const colleague = await peer(browserC, 'colleague');
  const advisorExt = ext(2100);
  const colleagueExt = ext(3100);
  await caller.registerAs(ext(1100));
  await advisor.registerAs(advisorExt);
  await colleague.registerAs(colleagueExt);
  await advisor.autoAnswer(true);
  await colleague.autoAnswer(true);

  await caller.call(advisorExt);
  await expect.poll(async () => (await advisor.state()).callState, POLL).toBe('established');
  await advisor.call(colleagueExt);
  expect(await advisor.attendedTransfer()).toBe(202);

  await expect.poll(async () => (await colleague.state()).replacesReceived, POLL).toBe(1);
  await expect.poll(async () => (await colleague.state()).callState, POLL).toBe('established');
  // Advisor loses both legs: the colleague BYEs the replaced one, the caller BYEs the original.
  await expect.poll(async () => (await advisor.state()).callsEnded, POLL).toBeGreaterThanOrEqual(2);
  await expectTone(caller, TONE_C, TONE_B);
  await expectTone(colleague, TONE_A, TONE_B);
  await caller.hangup();
  await expect.poll(async () => (await colleague.state()).callState, POLL).toBe('terminated');
});

test('DTMF sent as RFC 4733 events: measure whether Chromium plays them out as tones', async () => {
  const a = await peer(browserA, 'A');
  const b = await peer(browserB, 'B');
  const userB = ext(2100);
  await a.registerAs(ext(1100));
  await b.registerAs(userB);
  await b.autoAnswer(true);
  await a.call(userB);
  await expectTone(b, TONE_A, TONE_B);
  const quiet = await b.receivedDtmfTones(1000);
  const detect = async (digit: string, durationMs: number) => {
    const detecting = b.receivedDtmfTones(durationMs + 1500);
    await a.sendDtmf(digit, durationMs, 100);
    return detecting;
  };
  const short = await detect('5', 200);
  const long = await detect('1', 1000);
  const finding = { quiet, short, long };
  console.log('DTMF playout finding', JSON.stringify(finding));
  test.info().annotations.push({ type: 'dtmf-playout', description: JSON.stringify(finding) });
  // Finding on Chromium 156: received RFC 4733 events ARE played out as audible DTMF tones in the remote audio.
  expect(quiet.digits).toBe('');
  expect(short.digits).toBe('5');
  expect(long.digits).toBe('1');
  await a.hangup();
});

test('peers survive a PBX restart: they re-register and can call again', async () => {
  const { restartPbx } = await import('./support/pbx');
  const a = await peer(browserA, 'A');
  const b = await peer(browserB, 'B');
  const userB = ext(2100);
  await a.registerAs(ext(1100));
  await b.registerAs(userB);
  await b.autoAnswer(true);
  await restartPbx();
  await expect.poll(async () => (await a.state()).registered, POLL).toBe(true);
  await expect.poll(async () => (await b.state()).registered, POLL).toBe(true);
  await a.call(userB);
  await expectTone(a, TONE_B, TONE_A);
  await a.hangup();
});

test('no answer within fr_inv_timer (30 s) gives 480 to the caller', async () => {
  const a = await peer(browserA, 'A');
  const b = await peer(browserB, 'B');
  const userB = ext(2100);
  await a.registerAs(ext(1100));
  await b.registerAs(userB);
  const started = Date.now();
  await expect(a.call(userB)).rejects.toThrow(/480|408/);
  const seconds = (Date.now() - started) / 1000;
  console.log(`no answer -> rejected after ${seconds.toFixed(1)} s`);
  expect(seconds).toBeGreaterThan(25);
  expect(seconds).toBeLessThan(45);
});
