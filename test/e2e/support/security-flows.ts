import { expect, type Browser, type Locator, type Page } from '@playwright/test';
import { addVirtualAuthenticator, csrfHeader, signIn, watchConsole, type Credentials } from './fixtures.js';

/** A browser context of its own (cookies, virtual authenticator) signed in as `user`. */
export interface Person {
  page: Page;
  errors: string[];
  close(): Promise<void>;
}

export async function personPage(
  browser: Browser,
  baseURL: string,
  user: Credentials,
  lang: 'en' | 'fa' = 'en',
): Promise<Person> {
  const context = await browser.newContext({
    baseURL,
    ignoreHTTPSErrors: true,
    locale: 'en-US',
    timezoneId: 'Asia/Tehran',
  });
  const page = await context.newPage();
  await addVirtualAuthenticator(page);
  const errors = watchConsole(page);
  await signIn(page, lang, user);
  return { page, errors, close: () => context.close() };
}

/**
 * Sensitive actions may ask "Confirm it is you" (the step-up window is short in this suite): answer with the
 * passkey of the context's virtual authenticator when asked, then wait for `done`.
 */
export async function confirmIfAsked(page: Page, done: Locator, title = 'Confirm it is you'): Promise<boolean> {
  const dialog = page.getByRole('dialog', { name: title });
  await expect(dialog.or(done).first()).toBeVisible();
  if (!(await dialog.isVisible())) return false;
  await dialog.getByRole('button', { name: /passkey|کلید عبور/ }).click();
  await expect(dialog).toBeHidden();
  await expect(done).toBeVisible();
  return true;
}

/** Choose `option` in the Mantine select labelled `label`. */
export async function choose(page: Page, scope: Page | Locator, label: string, option: string): Promise<void> {
  await scope.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** Create a user through the admin's session (the password is changed at first sign-in). */
export async function createUser(
  admin: Page,
  user: { email: string; name: string; password: string },
  roles: string[],
): Promise<string> {
  const res = await admin.request.post('/api/v1/users', {
    headers: await csrfHeader(admin),
    data: { email: user.email, name: user.name, roles, password: user.password },
  });
  expect(res.ok(), await res.text()).toBe(true);
  return ((await res.json()) as { id: string }).id;
}

/**
 * Console errors a page may log on purpose in these flows: the 401 that asks for step-up (roles, reviews, a new API token), the 412 of a stale
 * edit. Anything else is a failure.
 */
const EXPECTED = [
  /status of 401.*\/api\/v1\/((roles|access-reviews)\/|me\/tokens)/,
  /status of 412.*\/api\/v1\/roles\//,
];
export const unexpected = (errors: string[]): string[] => errors.filter((e) => !EXPECTED.some((re) => re.test(e)));
