import type { Browser } from 'playwright-core';
import { addCalendarMonths } from '../../src/lib/domain/sar-deadline';
import { launchBrowser } from '../support/browser';
import { expect, test } from '../support/fixtures';
import { seedRecording } from '../support/seed-recording';
import { apiLogin } from '../support/stored-audio';
import { openStaff } from '../support/staff';

/** The DPO's pages over the real API: a subject access case from opening to closing, and erasure. */
let browser: Browser;

test.beforeAll(async () => {
  browser = await launchBrowser(440);
});
test.afterAll(async () => {
  await browser.close();
});

test('a DPO opens a case, attaches the caller, exports, extends and closes it', async ({ app }) => {
  const seeded = await seedRecording(app.url);
  const dana = await openStaff(browser, app.url, 'dana');
  const { page } = dana;
  await page.goto('/');
  await page
    .getByRole('navigation', { name: 'Areas' })
    .getByRole('link', { name: 'Subject access requests' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Subject access requests' })).toBeVisible();

  const reference = `SAR-E2E-${Date.now()}`;
  const today = new Date().toISOString().slice(0, 10);
  await page.getByLabel('Reference').fill(reference);
  await page.getByLabel('Received on').fill(today);
  await page.getByRole('button', { name: 'Open case' }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: `Subject access request ${reference}` })
  ).toBeVisible();
  const summary = page.getByRole('region', { name: 'Case', exact: true });
  const due = addCalendarMonths(today, 1);
  await expect(summary).toContainText(`${due} (one calendar month after receipt)`);
  await expect(page.getByText('No live recordings match')).toBeVisible();

  await page.getByLabel('Phone numbers').fill(seeded.remoteNumber);
  await page.getByRole('button', { name: 'Attach' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Attached.' })).toBeVisible();
  const matches = page.getByRole('table', { name: 'Recordings matching the case, oldest first' });
  await expect(matches.getByRole('row').filter({ hasText: seeded.remoteNumber })).toHaveCount(1);

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download the export bundle (zip)' }).click();
  expect((await download).suggestedFilename()).toMatch(/^sar-.+\.zip$/);

  await page.getByLabel('Extension').selectOption('1');
  await page.getByLabel('Reason', { exact: true }).fill('complex: data in several systems');
  await page.getByRole('button', { name: 'Extend time limit' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Time limit extended.' })).toBeVisible();
  await expect(summary).toContainText(`${addCalendarMonths(today, 2)}: complex: data in several systems`);

  await page.getByLabel('Note (optional)').fill('bundle sent');
  await page.getByRole('button', { name: 'Close case' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Case closed.' })).toBeVisible();
  await expect(summary).toContainText('bundle sent');
  await expect(page.getByRole('button', { name: 'Close case' })).toHaveCount(0);

  await page.goto('/sar?status=closed');
  await expect(page.getByRole('row').filter({ hasText: reference })).toContainText('Closed');
  await dana.close();

  const cookie = await apiLogin(app.url, 'dana');
  const res = await fetch(`${app.url}/api/audit?actor=dana&action=sar.&limit=100`, { headers: { cookie } });
  const { items } = (await res.json()) as { items: { action: string; result: string }[] };
  for (const action of ['sar.open', 'sar.subjects', 'sar.search', 'sar.export', 'sar.extend', 'sar.close']) {
    expect(
      items.some((i) => i.action === action && i.result === 'ok'),
      action
    ).toBe(true);
  }
});

test('a DPO’s erasure is refused under legal hold and goes through, confirmed, once released', async ({
  app
}) => {
  const seeded = await seedRecording(app.url);
  const dana = await openStaff(browser, app.url, 'dana');
  const { page } = dana;
  await page.goto(`/recordings/${seeded.id}`);
  const hold = page.getByRole('region', { name: 'Legal hold' });
  await hold.getByLabel('Case reference').fill('CASE-E2E-ERASE');
  await hold.getByLabel('Reason', { exact: true }).fill('court order');
  await hold.getByLabel('Review by').fill(new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
  await hold.getByRole('button', { name: 'Place legal hold' }).click();
  await expect(hold).toContainText('CASE-E2E-ERASE');

  const erase = page.getByRole('region', { name: 'Erase' });
  const eraseSteps = async () => {
    await erase.getByLabel('Reason').fill('subject asked for erasure');
    await erase.getByLabel('Reference (case or ticket)').fill('SAR-E2E-ERASE');
    await erase.getByRole('button', { name: 'Erase recording…' }).click();
    await expect(erase.getByRole('heading', { name: 'Confirm erasure' })).toBeFocused();
    await erase.getByRole('button', { name: 'Erase permanently' }).click();
  };
  await eraseSteps();
  await expect(erase.getByRole('alert')).toContainText('refused (409)');
  await expect(erase.getByRole('alert')).toContainText('legal hold');

  await hold.getByLabel('Reason for releasing').fill('order lifted');
  await hold.getByRole('button', { name: 'Release legal hold' }).click();
  await expect(hold).toContainText('No legal hold.');
  await eraseSteps();
  await expect(page.getByRole('status').filter({ hasText: 'Recording erased' })).toBeVisible();
  await expect(page.getByText('This recording can no longer be read')).toBeVisible();
  await dana.close();

  const sue = await openStaff(browser, app.url, 'sue');
  const denied = await sue.page.goto('/sar');
  expect(denied?.status()).toBe(403);
  await expect(sue.page.getByRole('heading', { name: 'You do not have access to this page' })).toBeVisible();
  await sue.close();
});
