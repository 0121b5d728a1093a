import { expect, test, type APIRequestContext } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN, SERVER_ROOT, startServer } from '../test/e2e/support/server.js';
import { apiSession, seedDemoData } from '../test/e2e/support/seed-data.js';
import { addVirtualAuthenticator, signIn } from '../test/e2e/support/fixtures.js';

/**
 * With 100,000 contacts, the contacts page shows its first page in under a second (navigation → first
 * row visible). A measurement, not part of `npm test`: `npx playwright test --config bench/playwright.perf.config.ts`. Seeds with
 * `separ seed --contacts N` when the CLI has it, otherwise through the API.
 */
const CONTACTS = Number(process.env.SEPAR_E2E_PERF_CONTACTS ?? 100_000);
test.setTimeout(3_600_000);

async function seedThroughApi(api: APIRequestContext, total: number): Promise<void> {
  const headers = await apiSession(api, ADMIN);
  const first = ['Sara', 'Ali', 'Maryam', 'Reza', 'Negar', 'John', 'Emma', 'علی', 'زهرا', 'محمد'];
  const last = ['Ahmadi', 'Karimi', 'Smith', 'Hosseini', 'Brown', 'رضایی', 'محمدی', 'Jones', 'Moradi', 'Taylor'];
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const res = await api.post('/api/v1/contacts', {
        headers,
        data: {
          firstName: first[i % 10],
          lastName: `${last[Math.floor(i / 10) % 10]} ${i}`,
          email: `person${i}@example.com`,
          phone: `+98912${String(1_000_000 + i).slice(-7)}`,
          title: i % 3 === 0 ? 'Buyer' : 'Engineer',
        },
      });
      if (!res.ok()) throw new Error(`seeding failed at ${i}: ${res.status()} ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 24 }, worker));
}

test(`contacts page with ${CONTACTS} contacts: first page in under 1 s`, async ({ browser, playwright }) => {
  // A data dir seeded by an earlier run can be reused (seeding 100,000 contacts through the API takes a while).
  const reuse = process.env.SEPAR_E2E_PERF_DATA_DIR;
  const seeded = reuse !== undefined && existsSync(join(reuse, 'separ.db'));
  const help = spawnSync(process.execPath, [join(SERVER_ROOT, 'bin', 'separ.js'), 'seed', '--help'], {
    encoding: 'utf8',
  });
  const cliSeed = help.status === 0 && /--contacts/.test(help.stdout);
  const { state, child } = await startServer(seeded ? { dataDir: reuse } : cliSeed ? { seedContacts: CONTACTS } : {});
  try {
    const api = await playwright.request.newContext({ baseURL: state.baseURL, ignoreHTTPSErrors: true });
    if (!cliSeed && !seeded) {
      await seedDemoData(api, await apiSession(api, ADMIN));
      await seedThroughApi(api, CONTACTS);
    }
    await api.dispose();
    const context = await browser.newContext({ baseURL: state.baseURL, ignoreHTTPSErrors: true });
    const page = await context.newPage();
    await addVirtualAuthenticator(page);
    await signIn(page, 'en');
    const timings: number[] = [];
    for (let run = 0; run < 5; run += 1) {
      const start = Date.now();
      await page.goto('/contacts');
      await expect(page.getByTestId('record-row').first()).toBeVisible();
      timings.push(Date.now() - start);
    }
    const sorted = [...timings].sort((a, b) => a - b);
    const median = sorted[2] ?? 0;
    console.log(
      `contacts first page with ${CONTACTS} contacts: ${timings.join(', ')} ms (median ${median} ms; cold ${timings[0]} ms)`,
    );
    expect(median).toBeLessThan(1000);
    await context.close();
  } finally {
    child.kill('SIGTERM');
  }
});
