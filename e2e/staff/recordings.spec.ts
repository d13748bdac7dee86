import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { expect, test } from '../support/fixtures';
import { seedRecording, type SeededRecording } from '../support/seed-recording';
import { apiLogin } from '../support/stored-audio';
import { openStaff } from '../support/staff';

/** The staff pages over the real API: search, detail, play with a purpose, legal hold, and who may not. */
let browser: Browser;
let seeded: SeededRecording;

test.beforeAll(async () => {
  browser = await launchBrowser(440);
});
test.afterAll(async () => {
  await browser.close();
});
test.beforeEach(async ({ app }) => {
  seeded ??= await seedRecording(app.url);
});

const shown = (iso: string) => iso.replace('T', ' ').slice(0, 19);

test('a supervisor searches, reads the timeline, plays with a purpose, places and releases a hold', async ({
  app
}) => {
  const sue = await openStaff(browser, app.url, 'sue');
  const { page } = sue;
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Recordings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Recordings' })).toBeVisible();

  const search = page.getByRole('search', { name: 'Search recordings' });
  // Typed the way people write numbers: the page drops the spaces before asking the API.
  await search.getByLabel('Phone number').fill(seeded.remoteNumber.replace(/^(\+44)(\d{4})/, '$1 $2 '));
  await search.getByRole('button', { name: 'Search' }).click();
  const table = page.getByRole('table', { name: /Recordings, newest first/ });
  const row = table.getByRole('row').filter({ hasText: seeded.remoteNumber });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('alice');
  await expect(row).toContainText('Complete');
  await row.getByRole('link', { name: shown(seeded.startedAt) }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Recording' })).toBeVisible();
  await expect(page.getByText('All 1 segments are present and intact')).toBeVisible();
  const timeline = page.getByRole('table', { name: 'Timeline events, oldest first' });
  const pause = timeline.getByRole('row').filter({ hasText: 'Paused: the call is on hold' });
  await expect(pause).toContainText('No audio for 3 s');
  await expect(pause).toContainText('0:01');
  await expect(timeline).toContainText('Recording ended: the call ended');

  // Play needs a purpose; only then does the audio element get its source.
  await expect(page.locator('audio')).toHaveCount(0);
  await page.getByLabel('Purpose of listening').selectOption('quality');
  await page.getByRole('button', { name: 'Play' }).click();
  const audio = page.getByLabel('Recording audio, purpose Quality');
  await expect(audio).toHaveAttribute('src', `/api/recordings/${seeded.id}/audio?purpose=quality`);
  await expect
    .poll(() => audio.evaluate((a: HTMLAudioElement) => a.readyState >= 1 && a.duration > 1.5), {
      message: 'the audio element should load the 2 s recording'
    })
    .toBe(true);

  await page.getByLabel('Case reference').fill('CASE-E2E-1');
  await page.getByLabel('Reason', { exact: true }).fill('criminal proceedings');
  const reviewBy = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel('Review by').fill(reviewBy);
  await page.getByRole('button', { name: 'Place legal hold' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Legal hold placed.' })).toBeVisible();
  const hold = page.getByRole('region', { name: 'Legal hold' });
  await expect(hold).toContainText('CASE-E2E-1');
  await expect(hold).toContainText(reviewBy);

  await page.getByLabel('Reason for releasing').fill('case closed');
  await page.getByRole('button', { name: 'Release legal hold' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Legal hold released.' })).toBeVisible();
  await expect(hold).toContainText('No legal hold.');
  await sue.close();

  const cookie = await apiLogin(app.url, 'sue');
  const audit = async (action: string) => {
    const res = await fetch(`${app.url}/api/audit?actor=sue&action=${action}&limit=50`, {
      headers: { cookie }
    });
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as {
      items: { target: string; purpose: string | null; result: string }[];
    };
    return items.filter((i) => i.target === seeded.id);
  };
  const plays = await audit('recording.play');
  expect(plays.length).toBeGreaterThan(0);
  expect(plays.every((p) => p.purpose === 'quality' && p.result === 'ok')).toBe(true);
  expect(await audit('recording.read')).not.toHaveLength(0);
  expect(await audit('legal-hold.place')).toHaveLength(1);
  expect(await audit('legal-hold.release')).toHaveLength(1);
});

test('an advisor gets the 403 page, another team’s leader cannot open it, anonymous goes to login', async ({
  app
}) => {
  const alice = await openStaff(browser, app.url, 'alice');
  await alice.page.goto('/');
  await expect(alice.page.getByRole('link', { name: 'Recordings' })).toHaveCount(0);
  const res = await alice.page.goto('/recordings');
  expect(res?.status()).toBe(403);
  await expect(
    alice.page.getByRole('heading', { name: 'You do not have access to this page' })
  ).toBeVisible();
  await alice.close();

  const tom = await openStaff(browser, app.url, 'tom');
  await tom.page.goto('/recordings');
  await expect(tom.page.getByText('You see the recordings of your team, south.')).toBeVisible();
  await expect(tom.page.getByLabel('Team')).toHaveCount(0);
  await tom.page.getByLabel('Phone number').fill(seeded.remoteNumber);
  await tom.page.getByRole('button', { name: 'Search' }).click();
  await expect(tom.page.getByText('No recordings match this search.')).toBeVisible();
  const detail = await tom.page.goto(`/recordings/${seeded.id}`);
  expect(detail?.status()).toBe(403);
  await expect(tom.page.getByText('Recording of another team.')).toBeVisible();
  await tom.close();

  const context = await browser.newContext({ baseURL: app.url });
  const anonymous = await context.newPage();
  await anonymous.goto('/recordings');
  await expect(anonymous).toHaveURL(/\/login$/);
  await context.close();
});
