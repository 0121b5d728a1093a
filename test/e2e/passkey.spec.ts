import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';

/** The test page's globals (a browser context; the file is type-checked without the DOM library). */
declare const window: {
  isSecureContext: boolean;
};

/**
 * Passkeys in a real browser: Debian's Chromium with a CDP virtual authenticator (WebAuthn.*) registers a passkey
 * against the real server and signs in with it — as the second factor after the password, and alone.
 *
 * Self-contained: it starts its own `separ serve` (HTTPS with the certificate its local CA signs) and makes the
 * browser trust that CA (`--ignore-certificate-errors-spki-list` with the CA's key hash, standing in for
 * installing the CA; browsers refuse WebAuthn on pages with certificate errors). The page is a tiny test page
 * served through `page.route` from the server's own origin; it loads @simplewebauthn/browser and drives the real
 * endpoints with fetch, as the web app would.
 */

const ROOT = new URL('../../', import.meta.url).pathname;
const ADMIN = { email: 'pat.passkey@example.com', name: 'Pat Passkey', password: 'lilac-orbit-harbour-51' };
const BROWSER_BUNDLE = join(ROOT, 'node_modules/@simplewebauthn/browser/dist/bundle/index.umd.min.js');

const TEST_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Separ passkey test page</title>
<script src="/__passkey-test/simplewebauthn.js"></script></head>
<body><h1>Separ passkey test page</h1></body></html>`;

let dataDir = '';
let server: ChildProcess | undefined;
let baseURL = '';
let caSpkiHash = '';
let browser: Browser | undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function separ(args: string[], env: NodeJS.ProcessEnv, input?: string): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'separ.js'), ...args], { env, input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`separ ${args.join(' ')}: ${r.stderr}`);
}

function healthy(port: number, ca: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', servername: 'localhost', ca }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dataDir = mkdtempSync(join(tmpdir(), 'separ-passkey-e2e-'));
  const port = await freePort();
  baseURL = `https://localhost:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SEPAR_DATA_DIR: dataDir,
    SEPAR_HOST: '127.0.0.1',
    SEPAR_PORT: String(port),
    SEPAR_PUBLIC_URL: baseURL,
    SEPAR_LOG_LEVEL: 'warn',
  };
  separ(['migrate'], env);
  separ(['init', '--email', ADMIN.email, '--name', ADMIN.name, '--password-stdin'], env, ADMIN.password);
  server = spawn(process.execPath, [join(ROOT, 'bin', 'separ.js'), 'serve'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  server.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const caFile = join(dataDir, 'tls', 'separ-local-ca.crt');
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`separ serve exited: ${stderr}`);
    if (existsSync(caFile) && (await healthy(port, readFileSync(caFile, 'utf8')))) break;
    if (Date.now() > deadline) throw new Error(`separ serve did not become healthy: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  // The server's chain verifies against its local CA (checked above with `ca`); the browser trusts the same CA.
  const ca = new X509Certificate(readFileSync(caFile, 'utf8'));
  caSpkiHash = createHash('sha256')
    .update(ca.publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--ignore-certificate-errors-spki-list=${caSpkiHash}`,
    ],
  });
});

test.afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  if (server && server.exitCode === null) await new Promise((r) => server?.once('exit', r));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A page on the server's origin with a virtual platform authenticator (resident keys, user verification). */
async function openTestPage(): Promise<{
  page: Page;
  authenticatorId: string;
  send: <T>(m: string, p: unknown) => Promise<T>;
}> {
  if (!browser) throw new Error('no browser');
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  await page.route(`${baseURL}/__passkey-test`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: TEST_PAGE }),
  );
  await page.route(`${baseURL}/__passkey-test/simplewebauthn.js`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/javascript', body: readFileSync(BROWSER_BUNDLE, 'utf8') }),
  );
  await page.goto(`${baseURL}/__passkey-test`);
  expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
  const send = <T>(method: string, params: unknown) =>
    cdp.send(method as 'WebAuthn.getCredentials', params as never) as Promise<T>;
  return { page, authenticatorId, send };
}

/** In the page: a JSON call to the API with the session's CSRF token, as the web app makes it. */
const api = `
  window.__csrf = window.__csrf || '';
  window.api = async (path, body) => {
    const res = await fetch('/api/v1' + path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', ...(window.__csrf ? { 'x-csrf-token': window.__csrf } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
    const json = res.status === 204 ? null : await res.json();
    if (json && typeof json.csrfToken === 'string') window.__csrf = json.csrfToken;
    return { status: res.status, json };
  };`;

test('registers a passkey with Chromium’s virtual authenticator and signs in with it', async () => {
  const { page, authenticatorId, send } = await openTestPage();
  await page.evaluate(api);

  // 1. Password: an administrator without MFA gets a restricted session that can only enrol a passkey.
  const login = await page.evaluate(
    (a) =>
      (
        window as unknown as {
          api: (p: string, b?: unknown) => Promise<{ status: number; json: Record<string, unknown> }>;
        }
      ).api('/auth/login', { email: a.email, password: a.password }),
    ADMIN,
  );
  expect(login.status).toBe(200);
  expect(login.json).toMatchObject({ setupRequired: ['mfa-enrolment'], mfaMethods: ['webauthn'] });

  // 2. Register a passkey through @simplewebauthn/browser → navigator.credentials.create → virtual authenticator.
  const registered = await page.evaluate(async () => {
    const w = window as unknown as {
      api: (p: string, b?: unknown) => Promise<{ status: number; json: Record<string, unknown> }>;
      SimpleWebAuthnBrowser: { startRegistration: (o: { optionsJSON: unknown }) => Promise<unknown> };
    };
    const options = await w.api('/me/mfa/webauthn/register/options', {});
    const credential = await w.SimpleWebAuthnBrowser.startRegistration({ optionsJSON: options.json });
    const done = await w.api('/me/mfa/webauthn/register', { credential, name: 'Chromium virtual authenticator' });
    const me = await w.api('/me');
    return { options: options.status, status: done.status, json: done.json, me: me.status };
  });
  expect(registered.options).toBe(200);
  expect(registered.status).toBe(200);
  expect(registered.json).toMatchObject({ setupRequired: [], credential: { name: 'Chromium virtual authenticator' } });
  expect(registered.json.recoveryCodes).toHaveLength(10);
  expect(registered.me).toBe(200);

  const { credentials } = await send<{
    credentials: { rpId: string; isResidentCredential: boolean; signCount: number }[];
  }>('WebAuthn.getCredentials', { authenticatorId });
  expect(credentials).toHaveLength(1);
  expect(credentials[0]).toMatchObject({ rpId: 'localhost', isResidentCredential: true });

  // 3. Sign out, then sign in with the password and the passkey as second factor.
  const second = await page.evaluate(async (a) => {
    const w = window as unknown as {
      api: (p: string, b?: unknown) => Promise<{ status: number; json: Record<string, unknown> }>;
      SimpleWebAuthnBrowser: { startAuthentication: (o: { optionsJSON: unknown }) => Promise<unknown> };
    };
    await w.api('/auth/logout', {});
    const pending = await w.api('/auth/login', { email: a.email, password: a.password });
    const blocked = await w.api('/contacts');
    const options = await w.api('/auth/mfa/webauthn/options', {});
    const credential = await w.SimpleWebAuthnBrowser.startAuthentication({ optionsJSON: options.json });
    const done = await w.api('/auth/mfa/webauthn', { credential });
    const contacts = await w.api('/contacts');
    return { pending: pending.json, blocked: blocked.status, done: done.status, contacts: contacts.status };
  }, ADMIN);
  expect(second.pending).toMatchObject({ mfaRequired: true, methods: ['webauthn', 'recovery'] });
  expect(second.blocked).toBe(401);
  expect(second.done).toBe(200);
  expect(second.contacts).toBe(200);

  // 4. Sign out, then sign in with the passkey alone (discoverable credential, user verification).
  const alone = await page.evaluate(async () => {
    const w = window as unknown as {
      api: (p: string, b?: unknown) => Promise<{ status: number; json: Record<string, unknown> }>;
      SimpleWebAuthnBrowser: { startAuthentication: (o: { optionsJSON: unknown }) => Promise<unknown> };
    };
    await w.api('/auth/logout', {});
    const before = await w.api('/me');
    const options = await w.api('/auth/passkey/options', {});
    const credential = await w.SimpleWebAuthnBrowser.startAuthentication({ optionsJSON: options.json });
    const done = await w.api('/auth/passkey', { credential });
    const me = await w.api('/me');
    return { before: before.status, done: done.status, me: me.json };
  });
  expect(alone.before).toBe(401);
  expect(alone.done).toBe(200);
  expect(alone.me).toMatchObject({ email: ADMIN.email, roles: ['admin'], authMethod: 'session' });

  const after = await send<{ credentials: { signCount: number }[] }>('WebAuthn.getCredentials', { authenticatorId });
  expect(after.credentials[0]?.signCount).toBeGreaterThanOrEqual(2);
  await page.context().close();
});
