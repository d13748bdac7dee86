import { expect } from '@playwright/test';
import type { Browser, Page } from 'playwright-core';
import { advisorRtp, installProbe, listenAdvisor } from './app-probe';
import { E2E_PASSWORD } from './app-server';

/** An advisor's softphone tab, logged in through the real login form. */
export interface AdvisorTab {
  page: Page;
  /** Every console line the page printed (to prove no keypad digit is ever logged). */
  console: string[];
  status(): Promise<string>;
  listen: (ms: number, freqs: number[]) => ReturnType<typeof listenAdvisor>;
  rtp: () => ReturnType<typeof advisorRtp>;
  close(): Promise<void>;
}

/** Opens the app in `browser`, logs in as `username`, and (by default) waits until the phone is registered. */
export async function openAdvisor(
  browser: Browser,
  appUrl: string,
  username = 'alice',
  options: { waitForReady?: boolean } = {}
): Promise<AdvisorTab> {
  const context = await browser.newContext({ baseURL: appUrl });
  await installProbe(context);
  const page = await context.newPage();
  const watched = watch(page);
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(E2E_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  return arrive(page, watched, `login as ${username}`, options.waitForReady !== false);
}

/**
 * Opens the advisor page again in a new tab of `tab`'s browser context, as an advisor does after the old
 * tab closed or crashed: same cookies (still logged in) and same IndexedDB (the outbox it left behind).
 */
export async function reopenAdvisor(tab: AdvisorTab): Promise<AdvisorTab> {
  const page = await tab.page.context().newPage();
  const watched = watch(page);
  await page.goto('/advisor');
  return arrive(page, watched, 'reopening /advisor', true);
}

/** Keeps a page's console lines (tests scan them for keypad digits) and, apart, its failed requests. */
function watch(page: Page): { lines: string[]; failed: string[] } {
  const lines: string[] = [];
  page.on('console', (m) => lines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => lines.push(`pageerror: ${e.message}`));
  // Kept apart from `console` (which tests scan for keypad digits): URLs carry random ids.
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(`${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`));
  return { lines, failed };
}

/** Waits for /advisor (and, if asked, a registered phone); a stall reports the page's last words. */
async function arrive(
  page: Page,
  { lines, failed }: { lines: string[]; failed: string[] },
  what: string,
  waitForReady: boolean
): Promise<AdvisorTab> {
  try {
    await page.waitForURL('**/advisor', { timeout: 30_000 });
  } catch (error) {
    const alert = await page
      .getByRole('alert')
      .allTextContents()
      .catch(() => []);
    throw new Error(
      `${what} did not reach /advisor (at ${page.url()}; alert: ${alert.join(' ')}; ` +
        `console: ${lines.slice(-10).join(' | ')}; failed requests: ${failed.slice(-10).join(' | ')})`,
      {
        cause: error
      }
    );
  }
  if (waitForReady) {
    await expect(page.getByRole('status')).toHaveText('Phone ready', { timeout: 20_000 });
  }
  return {
    page,
    console: lines,
    status: async () => (await page.getByRole('status').textContent()) ?? '',
    listen: (ms, freqs) => listenAdvisor(page, ms, freqs),
    rtp: () => advisorRtp(page),
    close: () => page.context().close()
  };
}

/**
 * Crashes the tab's renderer (CDP `Page.crash`), as when the browser tab dies: no pagehide, no unload, no
 * last writes. Resolves with the time the crash was seen (Date.now()), which is at or after the real death.
 */
export async function crashAdvisor(tab: AdvisorTab): Promise<number> {
  const crashed = tab.page.waitForEvent('crash', { timeout: 10_000 });
  const cdp = await tab.page.context().newCDPSession(tab.page);
  // The command never gets its answer: the renderer that would send it is gone.
  cdp.send('Page.crash').catch(() => undefined);
  await crashed;
  return Date.now();
}
