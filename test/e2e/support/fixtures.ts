import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import * as OTPAuth from 'otpauth';
import { join } from 'node:path';
import { ADMIN, ROOT } from './server.js';

/**
 * Expected refusals Chromium logs as "Failed to load resource": the session probe before signing in
 * (GET /api/v1/me → 401) and the deliberately wrong password (POST /auth/login → 401). Nothing else.
 */
const EXPECTED_401 = /\/api\/v1\/(me|auth\/login)$/;

/** Console errors and uncaught exceptions of a page; the suite asserts there are none. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const url = msg.location().url;
    if (/status of 401/.test(msg.text()) && EXPECTED_401.test(new URL(url, 'https://x').pathname)) return;
    errors.push(`${msg.text()} (${url})`);
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

/** TOTP secrets enrolled during this run, per email, and the last time step used (codes work once). */
const secrets = new Map<string, string>();
const passwords = new Map<string, string>();
let usedStep = 0;

const totpCode = (secret: string): string =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate();

/** A code from a time step not used before (each TOTP code is accepted once). */
async function freshTotpCode(page: Page, secret: string): Promise<string> {
  const step = () => Math.floor(Date.now() / 30_000);
  while (step() <= usedStep) await page.waitForTimeout(1000);
  usedStep = step();
  return totpCode(secret);
}

export interface Credentials {
  email: string;
  password: string;
  /** Used when the server asks to replace an initial password. */
  newPassword?: string;
}

const T = {
  en: {
    email: 'Email',
    password: 'Password',
    signIn: 'Sign in',
    nav: 'Main navigation',
    mfa: 'Two-step verification',
    setup: 'Finish setting up your account',
    addPasskey: 'Add a passkey',
    setupTotp: 'Set up an authenticator app',
    code: 'Authentication code',
    confirm: 'Confirm',
    continue: 'Continue',
    usePasskey: 'Use a passkey',
    current: 'Current password',
    next: 'New password',
    change: 'Change password',
  },
  fa: {
    email: 'ایمیل',
    password: 'گذرواژه',
    signIn: 'ورود',
    nav: 'ناوبری اصلی',
    mfa: 'تأیید دومرحله‌ای',
    setup: 'راه‌اندازی حساب را کامل کنید',
    addPasskey: 'افزودن کلید عبور',
    setupTotp: 'راه‌اندازی برنامهٔ احراز هویت',
    code: 'کد احراز هویت',
    confirm: 'تأیید',
    continue: 'ادامه',
    usePasskey: 'استفاده از کلید عبور',
    current: 'گذرواژهٔ فعلی',
    next: 'گذرواژهٔ جدید',
    change: 'تغییر گذرواژه',
  },
} as const;

/**
 * Sign in through the UI as a person would, whatever the server asks for: password; then the second
 * factor (a TOTP code computed here, or the passkey of Chromium's virtual authenticator); or, at first
 * sign-in, account setup — replace the initial password, enrol a passkey or an authenticator app (the
 * base32 secret is read from the screen).
 */
export async function signIn(page: Page, lang: 'en' | 'fa' = 'en', user: Credentials = ADMIN): Promise<void> {
  const t = T[lang];
  await page.goto(`/login?lang=${lang}`);
  await page.getByLabel(t.email).fill(user.email);
  await page.getByRole('textbox', { name: t.password }).fill(passwords.get(user.email) ?? user.password);
  await page.getByRole('button', { name: t.signIn }).click();
  const home = page.getByRole('navigation', { name: t.nav });
  const mfa = page.getByRole('heading', { name: t.mfa });
  const setup = page.getByRole('heading', { name: t.setup });
  for (let step = 0; step < 6; step += 1) {
    await expect(home.or(mfa).or(setup)).toBeVisible();
    if (await home.isVisible()) return;
    if (await mfa.isVisible()) {
      const secret = secrets.get(user.email);
      if (secret) {
        await page.getByLabel(t.code).first().click();
        await page.keyboard.type(await freshTotpCode(page, secret));
      } else {
        await page.getByRole('button', { name: t.usePasskey }).click();
      }
      await expect(mfa).toBeHidden();
      continue;
    }
    const current = page.getByLabel(t.current);
    const addPasskey = page.getByRole('button', { name: t.addPasskey });
    const setupTotp = page.getByRole('button', { name: t.setupTotp });
    // The setup heading can still be showing as the last step completes and the app moves on to its home page.
    await expect(home.or(current).or(addPasskey).or(setupTotp)).toBeVisible();
    if (await home.isVisible()) return;
    if (await current.isVisible()) {
      const renewed = user.newPassword ?? `${user.password}-renewed`;
      await current.fill(passwords.get(user.email) ?? user.password);
      await page.getByLabel(t.next).fill(renewed);
      passwords.set(user.email, renewed);
      await page.getByRole('button', { name: t.change }).click();
      await expect(current).toBeHidden();
      continue;
    }
    if (await addPasskey.isVisible()) {
      await addPasskey.click();
    } else {
      await setupTotp.click();
      const secret = (await page.getByTestId('totp-secret').innerText()).trim();
      secrets.set(user.email, secret);
      await page.getByLabel(t.code).first().click();
      await page.keyboard.type(await freshTotpCode(page, secret));
      await page.getByRole('button', { name: t.confirm }).click();
    }
    await expect(page.getByTestId('recovery-codes')).toBeVisible();
    await page.getByRole('button', { name: t.continue }).click();
    await expect(page.getByTestId('recovery-codes')).toBeHidden();
  }
  await expect(home).toBeVisible();
}

/** True when this run enrolled an authenticator app for the user (so sign-in used TOTP codes). */
export const usesTotp = (email: string): boolean => secrets.has(email);

export async function signOut(page: Page, lang: 'en' | 'fa' = 'en'): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: lang === 'en' ? 'Sign out' : 'خروج' }).click();
  await expect(page.getByRole('button', { name: lang === 'en' ? 'Sign in' : 'ورود' })).toBeVisible();
}

export { totpCode };

/** A WebAuthn authenticator inside Chromium (CDP), so passkey enrolment and sign-in run unattended. */
export async function addVirtualAuthenticator(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
}

/** The signed-in page's CSRF header, for seeding through the same session. */
export async function csrfHeader(page: Page): Promise<Record<string, string>> {
  const me = (await (await page.request.get('/api/v1/me')).json()) as { csrfToken: string };
  return { 'x-csrf-token': me.csrfToken };
}

/** axe-core on the current page: no serious or critical violations. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = bad.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(', ')}`,
  );
  expect(summary, `accessibility of ${name}`).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ROOT, 'test-results', 'screens', `${name}.png`), fullPage: true });
}

/** Wait until nothing is loading on the page (no spinners left). */
export async function settled(page: Page): Promise<void> {
  await expect(page.getByRole('status')).toHaveCount(0, { timeout: 15_000 });
}
