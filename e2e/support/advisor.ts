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
  const lines: string[] = [];
  page.on('console', (m) => lines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => lines.push(`pageerror: ${e.message}`));
  // Kept apart from `console` (which tests scan for keypad digits): URLs carry random ids.
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(`${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`));
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(E2E_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  try {
    await page.waitForURL('**/advisor', { timeout: 30_000 });
  } catch (error) {
    const alert = await page
      .getByRole('alert')
      .allTextContents()
      .catch(() => []);
    throw new Error(
      `login as ${username} did not reach /advisor (at ${page.url()}; alert: ${alert.join(' ')}; ` +
        `console: ${lines.slice(-10).join(' | ')}; failed requests: ${failed.slice(-10).join(' | ')})`,
      {
        cause: error
      }
    );
  }
  if (options.waitForReady !== false) {
    await expect(page.getByRole('status')).toHaveText('Phone ready', { timeout: 20_000 });
  }
  return {
    page,
    console: lines,
    status: async () => (await page.getByRole('status').textContent()) ?? '',
    listen: (ms, freqs) => listenAdvisor(page, ms, freqs),
    rtp: () => advisorRtp(page),
    close: () => context.close()
  };
}
