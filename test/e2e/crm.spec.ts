import { expect, test, type Page } from '@playwright/test';
import {
  addVirtualAuthenticator,
  csrfHeader,
  expectAccessible,
  signOut,
  screenshot,
  settled,
  signIn,
  usesTotp,
  watchConsole,
} from './support/fixtures.js';
import { seedDemoData } from './support/seed-data.js';

/**
 * The CRM as a person uses it, in a real browser against the real server: sign in, create a contact,
 * find it by email, move a deal on the board, switch to Persian (RTL, Jalali dates), reveal a masked
 * value with a reason; axe-core on the main pages; no console errors anywhere.
 */
test.describe.configure({ mode: 'serial' });

let page: Page;
let consoleErrors: string[];
const stamp = Date.now().toString(36);
const newContact = {
  first: 'Parisa',
  last: `Tehrani ${stamp}`,
  email: `parisa.${stamp}@example.com`,
  phone: '0912 555 7788',
};

/** Filter the contacts table by exact email and open the one record it leaves. */
async function openContact(p: Page, emailLabel: string, email: string, name: string | RegExp): Promise<void> {
  await p.getByLabel(emailLabel).fill(email);
  const rows = p.getByTestId('record-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(name);
  await rows.first().click();
  await expect(p.getByRole('heading', { level: 1, name })).toBeVisible();
}

/** Find a deal in the deals table by search and open it. */
async function openDeal(p: Page, searchLabel: string, q: string): Promise<void> {
  await p.goto('/deals?view=table');
  await p.getByLabel(searchLabel).fill(q);
  const rows = p.getByTestId('record-row');
  await expect(rows).toHaveCount(1);
  await rows.first().click();
  await expect(p.getByTestId('field-closeDate')).toBeVisible();
}

async function hasApi(p: Page, path: string, method = 'get'): Promise<boolean> {
  const res = await p.request.get('/api/v1/openapi.json');
  if (!res.ok()) return false;
  const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
  return Boolean(doc.paths[`/api/v1${path}`]?.[method]);
}

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Tehran' });
  page = await context.newPage();
  await addVirtualAuthenticator(page);
  consoleErrors = watchConsole(page);
});

test.afterAll(async () => {
  await page.context().close();
});

test('sign-in page is accessible and polished in both languages', async () => {
  for (const lang of ['en', 'fa'] as const) {
    await page.goto(`/login?lang=${lang}`);
    await expect(page.locator('html')).toHaveAttribute('dir', lang === 'fa' ? 'rtl' : 'ltr');
    await expect(page.getByRole('button', { name: lang === 'en' ? 'Sign in' : 'ورود' })).toBeVisible();
    await expectAccessible(page, `login (${lang})`);
    await screenshot(page, `login-${lang}`);
  }
});

test('a wrong password shows a readable message, not JSON', async () => {
  await page.goto('/login?lang=en');
  await page.getByLabel('Email').fill('ada@example.com');
  await page.getByRole('textbox', { name: 'Password' }).fill('not-the-password-at-all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Sign-in failed');
  await expect(alert).not.toContainText('{');
});

test('sign in with password (and TOTP when the server asks for it)', async () => {
  await signIn(page, 'en');
  await expect(page.getByRole('heading', { name: /Welcome, Ada/ })).toBeVisible();
  await settled(page);
  // The rest of the suite works on a small realistic data set, created through this session.
  await seedDemoData(page.request, await csrfHeader(page));
  await page.reload();
  await settled(page);
});

test('a colleague signs in with password + TOTP: first-login enrolment, codes computed in the test', async ({
  browser,
}) => {
  expect(await hasApi(page, '/auth/mfa/totp', 'post')).toBe(true);
  const colleague = {
    email: `sam.${stamp}@example.com`,
    password: 'amber-falcon-quietly-71',
    newPassword: 'copper-lantern-meadow-58',
  };
  const created = await page.request.post('/api/v1/users', {
    headers: await csrfHeader(page),
    data: { email: colleague.email, name: 'Sam Rahimi', roles: ['sales-manager'], password: colleague.password },
  });
  expect(created.ok(), await created.text()).toBe(true);
  const context = await browser.newContext({ locale: 'en-US' });
  const other = await context.newPage();
  await addVirtualAuthenticator(other);
  const errors = watchConsole(other);
  await signIn(other, 'en', colleague).catch(async (e: unknown) => {
    await screenshot(other, 'debug-colleague');
    throw e;
  }); // first sign-in: setup, with the QR code and the secret as text
  await expect(other.getByRole('heading', { name: /Welcome, Sam/ })).toBeVisible();
  expect(usesTotp(colleague.email), 'the policy lets a sales manager use an authenticator app').toBe(true);
  await signOut(other);
  await signIn(other, 'en', colleague); // password, then a TOTP code from a fresh time step
  await expect(other.getByRole('heading', { name: /Welcome, Sam/ })).toBeVisible();
  expect(errors).toEqual([]);
  await context.close();
});

test('create a contact with the API’s own validation messages', async () => {
  await page.goto('/contacts');
  await settled(page);
  await page.getByRole('button', { name: 'New contact' }).click();
  const dialog = page.getByRole('dialog', { name: 'New contact' });
  await dialog.getByLabel('First name').fill(newContact.first);
  await dialog.getByLabel('Last name').fill(newContact.last);
  await dialog.getByLabel('Email').fill('parisa-at-example.com');
  await dialog.getByLabel('National ID').fill('1234567890');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog.getByText('Email is not an email address (no @)')).toBeVisible();
  await expect(dialog.getByText('National ID is not a valid Iranian national ID (checksum mismatch)')).toBeVisible();
  await dialog.getByLabel('Email').fill(newContact.email);
  await dialog.getByLabel('National ID').fill('0499370899');
  await dialog.getByLabel('Phone').fill(newContact.phone);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { name: `${newContact.first} ${newContact.last}` })).toBeVisible();
  // Shown in full, or masked for roles that see personal data masked (e.g. "+98 *** 7788").
  await expect(page.getByTestId('field-phone')).toContainText('7788');
});

test('find the contact by email in the contacts table', async () => {
  await page.goto('/contacts');
  await settled(page);
  await expectAccessible(page, 'contacts');
  await page.getByLabel('Email').fill(newContact.email);
  const rows = page.getByTestId('record-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`${newContact.first} ${newContact.last}`);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(rows.first()).toBeVisible();
  await screenshot(page, 'contacts-en');
});

test('move a deal across stages on the board', async () => {
  await page.goto('/deals');
  await settled(page);
  const columns = page.getByTestId('stage-column');
  await expect(columns.first()).toBeVisible();
  const from = columns.nth(0);
  const to = columns.nth(1);
  const card = from.getByTestId('deal-card').filter({ hasText: 'ERP rollout' });
  await expect(card).toBeVisible();
  const dealId = await card.getAttribute('data-deal-id');
  await card.dragTo(to);
  await expect(to.getByTestId('deal-card').filter({ hasText: 'ERP rollout' })).toBeVisible();
  await expect(from.getByTestId('deal-card').filter({ hasText: 'ERP rollout' })).toHaveCount(0);
  const stageId = await to.getAttribute('data-stage-id');
  await expect
    .poll(
      async () => ((await (await page.request.get(`/api/v1/deals/${dealId}`)).json()) as { stageId: string }).stageId,
    )
    .toBe(stageId);
  await expect(to.getByTestId('stage-total')).toContainText('IRR');
  await expectAccessible(page, 'deals board');
  await screenshot(page, 'deals-board-en');
});

test('the main pages pass axe-core and look right in English', async () => {
  for (const [path, name] of [
    ['/', 'dashboard'],
    ['/companies', 'companies'],
    ['/deals?view=table', 'deals-table'],
    ['/tasks', 'tasks'],
    ['/profile', 'profile'],
    ['/admin/users', 'users'],
    ['/admin/fields', 'fields'],
  ] as const) {
    await page.goto(path);
    await settled(page);
    await page.waitForTimeout(300);
    await expectAccessible(page, name);
    await screenshot(page, `${name}-en`);
  }
  await page.goto('/contacts');
  await openContact(page, 'Email', newContact.email, newContact.last);
  await settled(page);
  await expectAccessible(page, 'contact record');
  await screenshot(page, 'contact-record-en');
});

test('switch to Persian: right-to-left, Jalali dates, Persian digits', async () => {
  await page.goto('/contacts');
  await settled(page);
  await page.getByText('فارسی').click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fa');
  await expect(page.getByRole('heading', { name: 'مخاطبان' })).toBeVisible();
  await openContact(page, 'ایمیل', 'sara.ahmadi@pars-software.ir', 'Sara');
  await settled(page);
  await expectAccessible(page, 'contact record (fa)');
  await screenshot(page, 'contact-record-fa');
  await openDeal(page, 'جست‌وجو', 'ERP');
  // 2026-12-20 is 29 Azar 1405 in the Jalali calendar.
  await expect(page.getByTestId('field-closeDate')).toContainText('۲۹ آذر ۱۴۰۵');
  await expectAccessible(page, 'deal record (fa)');
  await screenshot(page, 'deal-record-fa');
  // The choice is remembered for this user.
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
});

test('a Jalali date typed in Persian is stored as the same Gregorian day', async () => {
  await openDeal(page, 'جست‌وجو', 'ERP');
  await page.getByRole('button', { name: 'ویرایش' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('تاریخ پیش‌بینی بستن').fill('۱۴۰۵/۱۰/۱۵');
  await expect(dialog.getByText('۱۵ دی ۱۴۰۵')).toBeVisible();
  await dialog.getByRole('button', { name: 'ذخیره' }).click();
  await expect(page.getByTestId('field-closeDate')).toContainText('۱۵ دی ۱۴۰۵');
  const id = page.url().split('/').pop() ?? '';
  const saved = (await (await page.request.get(`/api/v1/deals/${id}`)).json()) as { closeDate: string };
  expect(saved.closeDate).toBe('2027-01-05');
});

test('the main pages pass axe-core and look right in Persian', async () => {
  for (const [path, name] of [
    ['/', 'dashboard'],
    ['/contacts', 'contacts'],
    ['/companies', 'companies'],
    ['/deals', 'deals-board'],
    ['/deals?view=table', 'deals-table'],
    ['/tasks', 'tasks'],
    ['/profile', 'profile'],
    ['/admin/users', 'users'],
    ['/admin/fields', 'fields'],
  ] as const) {
    await page.goto(path);
    await settled(page);
    await page.waitForTimeout(300);
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expectAccessible(page, `${name} (fa)`);
    await screenshot(page, `${name}-fa`);
  }
});

test('?lang=en switches back to English and left-to-right', async () => {
  await page.goto('/contacts?lang=en');
  await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
  await expect(page.getByRole('heading', { name: 'Contacts' })).toBeVisible();
});

test('reveal a masked field with a reason', async () => {
  expect(await hasApi(page, '/contacts/{id}/reveal', 'post')).toBe(true);
  await page.goto('/contacts?lang=en');
  await openContact(page, 'Email', 'sara.ahmadi@pars-software.ir', 'Sara');
  const email = page.getByTestId('field-email');
  await expect(email).not.toContainText('sara.ahmadi@pars-software.ir');
  await email.getByRole('button', { name: 'Reveal Email' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reveal Email' });
  await expect(dialog.getByRole('button', { name: 'Reveal' })).toBeDisabled(); // a reason is required
  await dialog.getByLabel('Reason').fill('Customer called to confirm details (ticket 4711)');
  await dialog.getByRole('button', { name: 'Reveal' }).click();
  await expect(dialog).toBeHidden();
  await expect(email).toContainText('sara.ahmadi@pars-software.ir');
  await screenshot(page, 'contact-revealed-en');
});

test('the browser console stayed clean', () => {
  expect(consoleErrors).toEqual([]);
});
