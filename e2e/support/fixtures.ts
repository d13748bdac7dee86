import { test as base } from '@playwright/test';
import type { Browser } from 'playwright-core';
import { openAdvisor, type AdvisorTab } from './advisor';
import { seedUsers, startAppServer, type AppServer } from './app-server';
import { TONES } from './audio-expect';
import { launchBrowser } from './browser';
import { openPeer, type Peer } from './peer';

/** Extensions the SIP-only peers register (the payment line is the PBX's PAYMENT_LINE_NUMBER). */
export const PEER_NUMBERS = { caller: '3001', colleague: '2002', payment: '7000' } as const;

interface WorkerFixtures {
  app: AppServer;
  browsers: { advisor: Browser; caller: Browser; colleague: Browser; payment: Browser };
}

interface TestFixtures {
  /** alice (advisor, ext 1001, on the main line) logged in, phone registered; 1000 Hz microphone. */
  advisor: AdvisorTab;
  /** A caller from outside (SIP peer 3001), 440 Hz. */
  caller: Peer;
  /** A colleague who auto-answers (SIP peer 2002), 700 Hz. */
  colleague: Peer;
  /** The payment line that auto-answers (SIP peer 7000), 2500 Hz. */
  payment: Peer;
}

/**
 * Real components only: the built app, the dev PBX (started by the global setup), and a
 * Chromium process per party so each has its own microphone tone.
 */
export const test = base.extend<TestFixtures, WorkerFixtures>({
  app: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern
    async ({}, use) => {
      await seedUsers();
      const server = await startAppServer();
      await use(server);
      await server.stop();
    },
    { scope: 'worker' }
  ],
  browsers: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern
    async ({}, use) => {
      const [advisor, caller, colleague, payment] = await Promise.all([
        launchBrowser(TONES.advisor),
        launchBrowser(TONES.caller),
        launchBrowser(TONES.colleague),
        launchBrowser(TONES.payment)
      ]);
      await use({ advisor, caller, colleague, payment });
      await Promise.all([advisor, caller, colleague, payment].map((b) => b.close()));
    },
    { scope: 'worker' }
  ],
  advisor: async ({ app, browsers }, use) => {
    const tab = await openAdvisor(browsers.advisor, app.url);
    await use(tab);
    await tab.close();
  },
  caller: async ({ browsers }, use) => {
    const peer = await openPeer(browsers.caller, 'caller');
    await peer.registerAs(PEER_NUMBERS.caller);
    await use(peer);
    await peer.close();
  },
  colleague: async ({ browsers }, use) => {
    const peer = await openPeer(browsers.colleague, 'colleague');
    await peer.registerAs(PEER_NUMBERS.colleague);
    await peer.autoAnswer(true);
    await use(peer);
    await peer.close();
  },
  payment: async ({ browsers }, use) => {
    const peer = await openPeer(browsers.payment, 'payment');
    await peer.registerAs(PEER_NUMBERS.payment);
    await peer.autoAnswer(true);
    await use(peer);
    await peer.close();
  }
});

export { expect } from '@playwright/test';
