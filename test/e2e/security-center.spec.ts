import { expect, test, type Page } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { csrfHeader, expectAccessible, screenshot, settled } from './support/fixtures.js';
import { confirmIfAsked, createUser, personPage, unexpected, type Person } from './support/security-flows.js';
import { ADMIN, startServer } from './support/server.js';

/**
 * The security officer's screens end to end, on a server of its own: an access review (start, revoke with
 * confirmation, certify, separation of duties, reminders, close with evidence), dormant accounts, the encryption
 * key status and the audit log viewer (filters, verified checkpoint) — in English and Persian, axe-checked.
 */
test.describe.configure({ mode: 'serial' });

const stamp = Date.now().toString(36);
const officer = { email: `leila.${stamp}@example.com`, name: 'Leila Moradi', password: 'cobalt-willow-harvest-39' };
const leaver = { email: `babak.${stamp}@example.com`, name: 'Babak Rostami', password: 'ember-canyon-whistle-82' };
let server: { child: ChildProcess; dataDir: string };
let admin: Person;
let sec: Person;
let page: Page;
let leaverId = '';

test.beforeAll(async ({ browser }) => {
  test.setTimeout(150_000);
  const { state, child } = await startServer({ env: { SEPAR_STEP_UP_MINUTES: '1' } });
  server = { child, dataDir: state.dataDir };
  admin = await personPage(browser, state.baseURL, ADMIN);
  await createUser(admin.page, officer, ['security-officer']);
  leaverId = await createUser(admin.page, leaver, ['sales-rep']);
  sec = await personPage(browser, state.baseURL, officer);
  page = sec.page;
});

test.afterAll(async () => {
  await sec?.close();
  await admin?.close();
  server?.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  if (server) rmSync(server.dataDir, { recursive: true, force: true });
});

test('the security center appears for the officer; no review yet, no dormant account', async () => {
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav.getByRole('link', { name: 'Access reviews' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Encryption keys' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Roles & permissions' })).toHaveCount(0);
  await nav.getByRole('link', { name: 'Access reviews' }).click();
  await settled(page);
  await expect(page.getByText('No access reviews yet')).toBeVisible();
  await expect(page.getByText('No dormant accounts')).toBeVisible();
  await expectAccessible(page, 'access reviews (empty)');
});

test('start a review: every user with roles, permissions and last activity', async () => {
  await page.getByRole('button', { name: 'Start a review' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Start a review' });
  await dialog.getByLabel('Name').fill('Q4 access review');
  await dialog.getByRole('button', { name: 'Start a review' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Q4 access review' })).toBeVisible();
  const items = page.getByTestId('review-item');
  await expect(items).toHaveCount(3);
  const ada = items.filter({ hasText: ADMIN.email });
  await expect(ada).toContainText('Administrator');
  await expect(ada).toContainText('Manage roles');
  await expect(items.filter({ hasText: leaver.email })).toContainText('Contacts: Read, Create, Update, Delete · Own');
  await expectAccessible(page, 'access review');
});

test('revoke asks for confirmation, then removes the roles; certify; nobody certifies themselves', async () => {
  const row = page.getByTestId('review-item').filter({ hasText: leaver.email });
  await row.getByRole('button', { name: `Revoke ${leaver.name}` }).click();
  const dialog = page.getByRole('dialog', { name: `Revoke the access of ${leaver.name}?` });
  await expect(dialog).toContainText('all their sessions end');
  await dialog.getByLabel('Comment (optional)').fill('Left the company in November');
  await dialog.getByRole('button', { name: 'Revoke access' }).click();
  await confirmIfAsked(page, row.getByText('Revoked'));
  await expect(dialog).toBeHidden();
  const user = (await (await admin.page.request.get(`/api/v1/users/${leaverId}`)).json()) as { roles: string[] };
  expect(user.roles).toEqual([]);

  const adaRow = page.getByTestId('review-item').filter({ hasText: ADMIN.email });
  await adaRow.getByRole('button', { name: `Certify ${ADMIN.name}` }).click();
  await confirmIfAsked(page, adaRow.getByText('Certified'));

  // Separation of duties: the reviewer is not offered a decision on their own access, and the API refuses it.
  const own = page.getByTestId('review-item').filter({ hasText: officer.email });
  await expect(own).toContainText('another reviewer decides it');
  await expect(own.getByRole('button')).toHaveCount(0);
  const review = (await (await page.request.get(page.url().replace(/.*\/security/, '/api/v1'))).json()) as {
    items: { id: string; email: string }[];
  };
  const ownItem = review.items.find((i) => i.email === officer.email)?.id ?? '';
  const refused = await page.request.post(
    `${page.url().replace(/.*\/security/, '/api/v1')}/items/${ownItem}/decision`,
    {
      headers: await csrfHeader(page),
      data: { decision: 'certify' },
    },
  );
  expect([403, 401]).toContain(refused.status());

  await page.getByRole('button', { name: 'Send reminders' }).click();
  await expect(page.getByText(/Reviewers reminded|Reminders go out at most once a day/).first()).toBeVisible();
  await page.waitForTimeout(300);
  await screenshot(page, 'access-review-en');
});

test('close with an undecided item needs a reason; the evidence is kept', async () => {
  await page.getByRole('button', { name: 'Close review' }).click();
  const dialog = page.getByRole('dialog', { name: 'Close this review' });
  await expect(dialog).toContainText('1 items are still undecided');
  await expect(dialog.getByRole('button', { name: 'Close review' })).toBeDisabled();
  await dialog.getByLabel('Close anyway, leaving them undecided').check();
  await dialog.getByLabel('Reason').fill('The officer’s own access is reviewed by the CISO separately');
  await dialog.getByRole('button', { name: 'Close review' }).click();
  await expect(page.getByText(/SHA-256 [0-9a-f]{64}/)).toBeVisible();
  await expect(page.getByRole('button', { name: /^Revoke / })).toHaveCount(0);
  await page.goto('/security/access-reviews');
  await settled(page);
  await expect(page.getByTestId('review-row').filter({ hasText: 'Q4 access review' })).toContainText('Closed');
  await expectAccessible(page, 'access reviews');
  await screenshot(page, 'access-reviews-en');
});

test('the encryption key status: root kind, active version, rotation — never key material', async () => {
  await page.goto('/security/keys');
  await settled(page);
  await expect(page.getByTestId('key-status')).toContainText('Keyring (passphrase-sealed file)');
  await expect(page.getByTestId('active-kek')).toHaveText('Version 1');
  await expect(page.getByTestId('key-status')).toContainText('Never rotated');
  await expectAccessible(page, 'keys');
  await screenshot(page, 'keys-en');
});

test('the audit log viewer: a verified signed checkpoint, filters by action and outcome', async () => {
  await page.goto('/security/audit');
  await settled(page);
  await expect(page.getByTestId('audit-verification')).toHaveText('Verified');
  await page.getByRole('textbox', { name: 'Action' }).fill('access_review.*');
  const rows = page.locator('tbody tr');
  await expect(rows.filter({ hasText: 'access_review.started' })).toHaveCount(1);
  await expect(rows.filter({ hasNotText: 'access_review.' })).toHaveCount(0);
  await page.getByRole('textbox', { name: 'Action' }).fill('');
  await page.getByRole('combobox', { name: 'Outcome' }).click();
  await page.getByRole('option', { name: 'Failure' }).click();
  // The refused self-certification (or the step-up it needed first) is on record as a failure.
  await expect(rows.first()).toContainText('Failure');
  await expect(rows.filter({ hasNotText: 'Failure' })).toHaveCount(0);
  await expectAccessible(page, 'audit log');
  await screenshot(page, 'audit-en');
});

test('the security center in Persian: right-to-left, axe-clean', async () => {
  const review = await page.request.get('/api/v1/access-reviews');
  const id = ((await review.json()) as { items: { id: string }[] }).items[0]?.id ?? '';
  for (const [path, name] of [
    ['/security/access-reviews', 'access-reviews'],
    [`/security/access-reviews/${id}`, 'access-review'],
    ['/security/keys', 'keys'],
    ['/security/audit', 'audit'],
  ] as const) {
    await page.goto(`${path}?lang=fa`);
    await settled(page);
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await page.waitForTimeout(300);
    await expectAccessible(page, `${name} (fa)`);
    await screenshot(page, `${name}-fa`);
  }
});

test('the browser console stayed clean', () => {
  expect(unexpected(sec.errors)).toEqual([]);
  expect(unexpected(admin.errors)).toEqual([]);
});
