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
  const calling = a.call(userB);
  await expect.poll(async () => (await b.state()).callState, POLL).toBe('ringing');
  await b.decline(486);
  await expect(calling).rejects.toThrow(/486/);
});
