import { defineConfig } from '@playwright/test';
import base from '../playwright.config.js';

/** The contacts-page timing with 100,000 contacts (a measurement; `npm test` does not run it). */
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: 'contacts-page.perf.ts',
  globalSetup: '../test/e2e/support/global-setup.ts',
  globalTeardown: '../test/e2e/support/global-teardown.ts',
  outputDir: '../test-results/perf',
});
