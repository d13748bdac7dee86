import { defineConfig } from '@playwright/test';

/** End-to-end tests against the real dev PBX (Kamailio) and Debian's Chromium; see e2e/support/. */
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  globalSetup: './e2e/support/global-setup.ts',
  outputDir: 'test-results/e2e-artifacts'
});
