import { expect, test, type Page } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { csrfHeader, expectAccessible, screenshot, settled } from './support/fixtures.js';
import { choose, confirmIfAsked, createUser, personPage, unexpected, type Person } from './support/security-flows.js';
import { ADMIN, startServer } from './support/server.js';

/** The page's globals (the file is type-checked without the DOM library). */
declare const window: { localStorage: { clear(): void } };

/**
 * The administrator's security screens end to end, against a server of its own (its administrator's passkey lives
 * in this suite's virtual authenticator; the step-up window is one minute, so "confirm it is you" really happens):
 * a custom role with a field-permission matrix that takes effect for its holder, a stale edit, step-up, teams, and
 * the language kept on the server.
 */
test.describe.configure({ mode: 'serial' });

const stamp = Date.now().toString(36);
const users = {
  admin2: { email: `nika.${stamp}@example.com`, name: 'Nika Farahani', password: 'quartz-meadow-lantern-64' },
  viewer: { email: `omid.${stamp}@example.com`, name: 'Omid Kamali', password: 'saffron-river-compass-27' },
};
let server: { child: ChildProcess; dataDir: string; baseURL: string };
let admin: Person;
let page: Page;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  const { state, child } = await startServer({ env: { SEPAR_STEP_UP_MINUTES: '1' } });
  server = { child, dataDir: state.dataDir, baseURL: state.baseURL };
  admin = await personPage(browser, server.baseURL, ADMIN);
  page = admin.page;
  const h = await csrfHeader(page);
  const sara = await page.request.post('/api/v1/contacts', {
    headers: h,
    data: { firstName: 'Sara', lastName: 'Ahmadi', email: 'sara.ahmadi@pars-software.ir', phone: '09121234567' },
  });
  expect(sara.ok(), await sara.text()).toBe(true);
  await createUser(page, users.admin2, ['admin']);
});

test.afterAll(async () => {
  await admin?.close();
  server?.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  if (server) rmSync(server.dataDir, { recursive: true, force: true });
});

const saved = () => page.getByText('Role saved').first();

test('the roles page lists the built-in roles', async () => {
  await page.goto('/admin/roles');
  await settled(page);
  const rows = page.getByTestId('role-row');
  await expect(rows).toHaveCount(7);
  await expect(rows.filter({ hasText: 'Security officer' })).toContainText('Built-in');
  await expectAccessible(page, 'roles');
  await screenshot(page, 'roles-en');
});

test('create a custom role and grant it a field-permission matrix', async () => {
  await page.getByRole('button', { name: 'New role' }).click();
  const dialog = page.getByRole('dialog', { name: 'New role' });
  await dialog.getByLabel('Name').fill('Contact viewer');
  await dialog.getByLabel('Role id').fill('contact-viewer');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Contact viewer' })).toBeVisible();

  // Records: read every contact.
  await page.getByRole('checkbox', { name: 'Read Contacts' }).check();
  await page.getByRole('radiogroup', { name: 'Records of Contacts the role reaches' }).getByText('All').click();
  // Fields: plain classifications readable everywhere; restricted stays hidden, except the email, masked.
  await page.getByRole('tab', { name: 'Fields' }).click();
  for (const c of ['Public', 'Internal', 'Confidential'])
    await choose(page, page, `${c} fields on every object`, 'Read');
  const exceptions = page.getByTestId('field-exceptions');
  await expect(exceptions.locator('[data-field="email"]')).toContainText('Hidden');
  await choose(page, exceptions, 'Exception for Email', 'Masked');
  await expect(exceptions.locator('[data-field="email"]')).toContainText('Masked');
  await expectAccessible(page, 'role fields');
  await screenshot(page, 'role-fields-en');

  // Networks: the API's own message for a bad CIDR; IPv4 and IPv6 ranges accepted.
  await page.getByRole('tab', { name: 'Networks' }).click();
  const cidr = page.getByLabel('Network (CIDR)');
  await cidr.fill('10.0.0.300/8');
  await page.getByRole('button', { name: 'Add network' }).click();
  await expect(page.getByText("'10.0.0.300/8' is not a CIDR")).toBeVisible();
  for (const net of ['0.0.0.0/0', '::/0']) {
    await cidr.fill(net);
    await page.getByRole('button', { name: 'Add network' }).click();
  }
  await expect(page.getByTestId('ip-allow')).toContainText('::/0');

  await page.getByRole('tab', { name: 'Records' }).click();
  await expectAccessible(page, 'role records');
  await screenshot(page, 'role-en');
  await expect(page.getByTestId('unsaved')).toBeVisible();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await confirmIfAsked(page, saved());
  await expect(page.getByTestId('unsaved')).toBeHidden();

  const role = (await (await page.request.get('/api/v1/roles/contact-viewer')).json()) as {
    policy: { objects: Record<string, unknown>; fields: Record<string, unknown>; ipAllow: string[] };
  };
  expect(role.policy.objects).toEqual({ contacts: { ops: ['read'], scope: 'all' } });
  expect(role.policy.fields).toEqual({ contacts: { email: 'masked' } });
  expect(role.policy.ipAllow).toEqual(['0.0.0.0/0', '::/0']);
});

test('the matrix takes effect for a holder of the role; their language follows them to a new browser', async ({
  browser,
}) => {
  await createUser(page, users.viewer, ['contact-viewer']);
  const viewer = await personPage(browser, server.baseURL, users.viewer);
  const list = (await (await viewer.page.request.get('/api/v1/contacts')).json()) as {
    items: { firstName: string; email?: string; phone?: string }[];
  };
  const sara = list.items.find((c) => c.firstName === 'Sara');
  expect(sara?.email).toBeDefined();
  expect(sara?.email).not.toBe('sara.ahmadi@pars-software.ir');
  expect(sara?.email).toContain('*');
  expect(sara && 'phone' in sara).toBe(false);
  // Sorting by a field the role cannot read is refused, not an oracle.
  expect((await viewer.page.request.get('/api/v1/contacts?sort=phone')).status()).toBe(403);

  // The screens offer only what the role allows: no "New contact", no phone filter or column, the masked email
  // still as an exact-match filter; a record page without edit or delete.
  const v = viewer.page;
  await v.goto('/contacts');
  await settled(v);
  await expect(v.getByTestId('record-row').first()).toBeVisible();
  await expect(v.getByRole('button', { name: 'New contact' })).toHaveCount(0);
  await expect(v.getByRole('textbox', { name: 'Email' })).toBeVisible();
  await expect(v.getByRole('textbox', { name: 'Phone' })).toHaveCount(0);
  await v.getByRole('button', { name: 'Columns' }).click();
  await expect(v.getByRole('checkbox', { name: 'Job title' })).toBeVisible();
  await expect(v.getByRole('checkbox', { name: 'Email' })).toBeVisible();
  await expect(v.getByRole('checkbox', { name: 'Phone' })).toHaveCount(0);
  await v.keyboard.press('Escape');
  await v.getByTestId('record-row').filter({ hasText: 'Sara' }).click();
  await expect(v.getByRole('heading', { level: 1, name: /Sara/ })).toBeVisible();
  await settled(v);
  await expect(v.getByRole('button', { name: 'Edit' })).toHaveCount(0);
  await expect(v.getByRole('button', { name: 'Delete' })).toHaveCount(0);

  await viewer.page.goto('/contacts');
  await settled(viewer.page);
  await viewer.page.getByText('فارسی').click();
  await expect(viewer.page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect
    .poll(
      async () =>
        (
          (await (await viewer.page.request.get('/api/v1/me/preferences')).json()) as {
            preferences: { language?: string };
          }
        ).preferences.language,
    )
    .toBe('fa');
  expect(unexpected(viewer.errors)).toEqual([]);
  await viewer.close();

  // A new browser (no local storage): signed in, the server's choice wins over the browser's default.
  const again = await personPage(browser, server.baseURL, users.viewer);
  await again.page.goto('/');
  await expect(again.page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(again.page.locator('html')).toHaveAttribute('lang', 'fa');
  await expect(again.page.getByRole('navigation', { name: 'ناوبری اصلی' })).toBeVisible();
  // ?lang= still overrides for the visit, without changing what is saved.
  await again.page.goto('/?lang=en');
  await expect(again.page.locator('html')).toHaveAttribute('dir', 'ltr');
  const prefs = (await (await again.page.request.get('/api/v1/me/preferences')).json()) as {
    preferences: { language?: string };
  };
  expect(prefs.preferences.language).toBe('fa');
  expect(unexpected(again.errors)).toEqual([]);
  await again.close();
});

test('a saved list view is kept with the person’s preferences on the server, never with personal data', async () => {
  await page.goto('/contacts?lang=en');
  await settled(page);
  await page.getByLabel('Search', { exact: true }).fill('Sara');
  await page.getByLabel('Email').fill('sara.ahmadi@pars-software.ir');
  await expect(page.getByTestId('record-row')).toHaveCount(1);
  await page.getByRole('button', { name: 'Views' }).click();
  await page.getByRole('menuitem', { name: 'Save current view…' }).click();
  await page.getByRole('dialog').getByLabel('View name').fill('Sara at Pars');
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  // Preferences are not encrypted: the email filter value (restricted data) is left out, and the person is told.
  await expect(
    page.getByText('View “Sara at Pars” saved without its filters on protected fields (Email)'),
  ).toBeVisible();
  const prefs = (await (await page.request.get('/api/v1/me/preferences')).json()) as {
    preferences: { savedViews?: Record<string, { name: string; filters: Record<string, string>; q?: string }[]> };
  };
  expect(prefs.preferences.savedViews?.contacts).toEqual([
    expect.objectContaining({ name: 'Sara at Pars', filters: {}, q: 'Sara' }),
  ]);
  expect(JSON.stringify(prefs)).not.toContain('sara.ahmadi');
  // Applied from the menu after a reload (nothing of it in this browser's storage).
  await page.evaluate(() => window.localStorage.clear());
  await page.goto('/contacts?lang=en');
  await settled(page);
  await page.getByRole('button', { name: 'Views' }).click();
  await page.getByRole('menuitem', { name: 'Sara at Pars' }).click();
  await expect(page.getByLabel('Search', { exact: true })).toHaveValue('Sara');
  await expect(page.getByLabel('Email')).toHaveValue('');
});

test('a stale edit shows a clear conflict instead of overwriting', async ({ browser }) => {
  await page.goto('/admin/roles/contact-viewer');
  await page.getByRole('checkbox', { name: 'Export Contacts' }).check();
  // Meanwhile another administrator changes the same role.
  const other = await personPage(browser, server.baseURL, users.admin2);
  await other.page.goto('/admin/roles/contact-viewer');
  await other.page.getByRole('checkbox', { name: 'Create Contacts' }).check();
  await other.page.getByRole('button', { name: 'Save changes' }).click();
  await confirmIfAsked(other.page, other.page.getByText('Role saved').first());
  expect(unexpected(other.errors)).toEqual([]);
  await other.close();

  await page.getByRole('button', { name: 'Save changes' }).click();
  const conflict = page.getByRole('alert').filter({ hasText: 'Someone else changed this role' });
  await confirmIfAsked(page, conflict);
  await expect(conflict).toContainText('Your changes were not saved');
  await page.getByRole('button', { name: 'Reload the latest version' }).click();
  await expect(conflict).toBeHidden();
  await expect(page.getByRole('checkbox', { name: 'Create Contacts' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Export Contacts' })).not.toBeChecked();
});

test('after the step-up window a sensitive change asks to confirm with the passkey; a custom role is deleted', async () => {
  test.setTimeout(150_000);
  await page.goto('/admin/roles');
  await page.getByRole('button', { name: 'New role' }).click();
  const dialog = page.getByRole('dialog', { name: 'New role' });
  await dialog.getByLabel('Name').fill('Temporary');
  await dialog.getByLabel('Role id').fill('temporary');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Temporary' })).toBeVisible();
  await page.waitForTimeout(61_000);
  await page.getByRole('checkbox', { name: 'Read Deals' }).check();
  await page.getByRole('button', { name: 'Save changes' }).click();
  const confirm = page.getByRole('dialog', { name: 'Confirm it is you' });
  await expect(confirm).toBeVisible();
  await expectAccessible(page, 'step-up dialog');
  await screenshot(page, 'step-up-en');
  await confirm.getByRole('button', { name: 'Use a passkey' }).click();
  await expect(saved()).toBeVisible();
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog', { name: 'Delete “Temporary”?' }).getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Roles & permissions' })).toBeVisible();
  await expect(page.getByTestId('role-row').filter({ hasText: 'temporary' })).toHaveCount(0);
});

test('an API token created from the profile after the step-up window asks to confirm, then is shown once', async () => {
  test.setTimeout(150_000);
  await page.goto('/profile?lang=en');
  await settled(page);
  await expect(page.getByRole('heading', { name: 'API tokens' })).toBeVisible();
  await page.waitForTimeout(61_000);
  await page.getByLabel('Token name').fill('Nightly export');
  await page.getByRole('button', { name: 'Create token' }).click();
  const confirm = page.getByRole('dialog', { name: 'Confirm it is you' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Use a passkey' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByTestId('new-token')).toHaveText(/\S{20,}/);
  await expect(page.getByRole('button', { name: 'Revoke Nightly export' })).toBeVisible();
  await expectAccessible(page, 'profile tokens');
  await screenshot(page, 'profile-token-en');
  const tokens = (await (await page.request.get('/api/v1/me/tokens')).json()) as { items: { name: string }[] };
  expect(tokens.items.map((t) => t.name)).toContain('Nightly export');
});

test('teams: create, set the manager and members, rename, delete', async () => {
  await page.goto('/admin/teams');
  await settled(page);
  await expect(page.getByText('No teams yet')).toBeVisible();
  await page.getByRole('button', { name: 'New team' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New team' });
  await dialog.getByLabel('Team name').fill('Tehran sales');
  await dialog.getByRole('combobox', { name: 'Managers' }).click();
  await page.getByRole('option', { name: new RegExp(users.admin2.name) }).click();
  await page.keyboard.press('Escape');
  await dialog.getByRole('combobox', { name: 'Members' }).click();
  await page.getByRole('option', { name: new RegExp(users.viewer.name) }).click();
  await page.keyboard.press('Escape');
  await dialog.getByRole('button', { name: 'Create' }).click();
  const row = page.getByTestId('team-row').filter({ hasText: 'Tehran sales' });
  await expect(row).toContainText(users.admin2.name);
  await expect(row).toContainText(users.viewer.name);
  const teams = (await (await page.request.get('/api/v1/teams')).json()) as {
    items: { name: string; members: { role: string }[] }[];
  };
  expect(teams.items[0]?.members.map((m) => m.role).sort()).toEqual(['manager', 'member']);

  await page.getByRole('button', { name: 'Edit Tehran sales' }).click();
  await page.getByRole('dialog').getByLabel('Team name').fill('Tehran & Karaj sales');
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('team-row').filter({ hasText: 'Tehran & Karaj sales' })).toBeVisible();
  await expectAccessible(page, 'teams');
  await screenshot(page, 'teams-en');

  await page.getByRole('button', { name: 'New team' }).click();
  await page.getByRole('dialog', { name: 'New team' }).getByLabel('Team name').fill('Short-lived');
  await page.getByRole('dialog', { name: 'New team' }).getByRole('button', { name: 'Create' }).click();
  await page.getByRole('button', { name: 'Delete Short-lived' }).click();
  await page.getByRole('dialog', { name: 'Delete Short-lived' }).getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByTestId('team-row').filter({ hasText: 'Short-lived' })).toHaveCount(0);
});

test('the new admin pages pass axe-core and look right in Persian', async () => {
  for (const [path, name] of [
    ['/admin/roles', 'roles'],
    ['/admin/teams', 'teams'],
    ['/admin/roles/contact-viewer', 'role'],
  ] as const) {
    await page.goto(`${path}?lang=fa`);
    await settled(page);
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expectAccessible(page, `${name} (fa)`);
    await screenshot(page, `${name}-fa`);
  }
  await page.getByRole('tab', { name: 'فیلدها' }).click();
  await settled(page);
  await expectAccessible(page, 'role fields (fa)');
  await screenshot(page, 'role-fields-fa');
  await page.getByRole('tab', { name: 'شبکه‌ها' }).click();
  await screenshot(page, 'role-network-fa');
  await page.goto('/admin/roles?lang=en');
});

test('the browser console stayed clean', () => {
  expect(unexpected(admin.errors)).toEqual([]);
});
