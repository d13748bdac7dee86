import { expect } from '@playwright/test';
import type { Browser, Page } from 'playwright-core';
import { E2E_PASSWORD } from './app-server';

/** A staff member's tab, logged in through the real login form. */
export interface StaffTab {
  page: Page;
  close(): Promise<void>;
}

/** Opens a context in `browser` and logs in as `username`; resolves once the login page is left. */
export async function openStaff(browser: Browser, appUrl: string, username: string): Promise<StaffTab> {
  const context = await browser.newContext({ baseURL: appUrl });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(E2E_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).not.toHaveURL(/\/login$/, { timeout: 30_000 });
  return { page, close: () => context.close() };
}
