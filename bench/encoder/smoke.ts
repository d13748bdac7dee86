/**
 * `npx tsx bench/encoder/smoke.ts`: loads the real Recorder (capture worklet + encoder worker built by Vite) in
 * headless Chromium under an app-like CSP, records 3 s of a 1 kHz oscillator and prints the segments.
 */
import { chromium } from 'playwright-core';
import { buildPageBundle, CHROMIUM_ARGS, serve } from './bundle';

const dir = await buildPageBundle();
const { server, base } = await serve(dir);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage();
  page.on('console', (m) => console.log(`[page ${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
  await page.goto(`${base}/`);
  await page.waitForFunction(() => 'recorderSmoke' in globalThis);
  const result = await page.evaluate(() =>
    (globalThis as unknown as { recorderSmoke(s: number): Promise<unknown> }).recorderSmoke(3)
  );
  console.log(JSON.stringify(result, null, 1));
} finally {
  await browser.close();
  server.close();
}
