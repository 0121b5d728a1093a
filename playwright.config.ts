import { defineConfig } from '@playwright/test';

/**
 * Browser tests against the real server: global setup starts `separ serve` over HTTPS on a free
 * loopback port with a fresh data directory, Debian's Chromium drives it. Screenshots of the main
 * pages in both languages land in test-results/screens (not committed).
 */
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/playwright',
  globalSetup: './test/e2e/support/global-setup.ts',
  globalTeardown: './test/e2e/support/global-teardown.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    // Set by the global setup once the server listens (workers load this file after it ran).
    baseURL: process.env.SEPAR_E2E_BASE_URL,
    ignoreHTTPSErrors: true,
    viewport: { width: 1366, height: 860 },
    trace: 'off',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
