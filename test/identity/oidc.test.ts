import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeparEvent } from '../../src/platform/events.js';
import { testDialects } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken, loginSession, type TestUser } from '../support/identity.js';
import { API, body, cookieOf, problem, SESSION_COOKIE_NAME } from './helpers.js';
import { LocalIdp, localCa, type LoginChoice } from './support/local-idp.js';

const dialects = await testDialects();
const REDIRECT_URI = 'https://localhost:8443/api/v1/auth/oidc/callback';
const CLIENT = { id: 'separ-crm', secret: 'a-long-client-secret-for-the-test-idp-0123', redirectUri: REDIRECT_URI };

describe.each(dialects)('single sign-on with OpenID Connect (%s)', (dialect) => {
  let idp: LocalIdp;
  let h: Harness;
  let dir = '';
  let admin: TestUser;
  const events: SeparEvent[] = [];

  beforeAll(async () => {
    const tls = await localCa();
    dir = mkdtempSync(join(tmpdir(), 'separ-idp-'));
    writeFileSync(join(dir, 'ca.pem'), tls.caCert);
    idp = new LocalIdp(tls, CLIENT);
    const issuer = await idp.start();
    h = await startHarness(dialect, {
      env: {
        SEPAR_OIDC_ISSUER: issuer,
        SEPAR_OIDC_CLIENT_ID: CLIENT.id,
        SEPAR_OIDC_CLIENT_SECRET: CLIENT.secret,
        SEPAR_OIDC_CA_FILE: join(dir, 'ca.pem'),
        SEPAR_OIDC_SCOPES: 'openid email profile groups',
        SEPAR_OIDC_ROLE_MAP: 'crm-sales=sales-rep;crm-managers=sales-manager,sales-rep',
        SEPAR_OIDC_MFA_AMR: 'mfa,hwk',
        SEPAR_OIDC_MFA_ACR: 'urn:separ:test:mfa',
      },
    });
    h.rt.bus.subscribe((e) => {
      events.push(e);
    });
    admin = await createUserWithToken(h, { roles: ['admin'] });
  });
  afterAll(async () => {
    await h?.close();
    await idp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const account = (sub: string, email: string, groups: string[], verified = true) => {
    idp.accounts.set(sub, { sub, email, email_verified: verified, name: `Person ${sub}`, groups });
  };

  /** One SSO round trip as a browser makes it; returns the callback's answer (and the raw callback URL). */
  async function sso(choice: LoginChoice, opts: { dropCookie?: boolean } = {}) {
    const start = await h.app.inject({ method: 'GET', url: `${API}/auth/oidc/start` });
    expect(start.statusCode).toBe(302);
    const location = String(start.headers.location);
    const flowCookie = cookieOf(start, '__Host-separ_oidc');
    expect(flowCookie).toBeDefined();
    idp.nextLogin = choice;
    const back = await idp.browse(location);
    expect(back.href.startsWith(REDIRECT_URI)).toBe(true);
    const callback = await h.app.inject({
      method: 'GET',
      url: `${back.pathname}${back.search}`,
      headers: opts.dropCookie ? {} : { cookie: flowCookie ?? '' },
    });
    return { callback, back, flowCookie: flowCookie ?? '', location };
  }
  const withSession = (res: LightMyRequestResponse) => ({ cookie: cookieOf(res, SESSION_COOKIE_NAME) ?? '' });

  it('redirects with PKCE (S256), state and nonce, and a Lax single-use flow cookie; the verifier never leaves', async () => {
    const start = await h.app.inject({ method: 'GET', url: `${API}/auth/oidc/start` });
    const url = new URL(String(start.headers.location));
    expect(url.origin).toBe(idp.issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(url.searchParams.has('code_verifier')).toBe(false);
    const setCookie = String(start.headers['set-cookie']);
    expect(setCookie).toMatch(
      /^__Host-separ_oidc=[A-Za-z0-9_-]{43}; Max-Age=600; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    );
  });

  it('creates the account just in time with roles from the IdP groups; the IdP’s MFA (amr) counts when configured', async () => {
    account('sub-mona', 'mona.sso@example.test', ['crm-managers', 'unrelated-group']);
    const { callback } = await sso({ accountId: 'sub-mona', amr: ['pwd', 'mfa'] });
    expect(callback.statusCode).toBe(200);
    expect(callback.headers['content-type']).toContain('text/html');
    expect(callback.body).toContain('<meta http-equiv="refresh" content="0;url=/">');
    const me = await h.app.inject({ method: 'GET', url: `${API}/me`, headers: withSession(callback) });
    expect(me.statusCode).toBe(200);
    expect(body<{ email: string; roles: string[] }>(me)).toMatchObject({
      email: 'mona.sso@example.test',
      roles: ['sales-manager', 'sales-rep'],
    });
    const signedIn = events.find((e) => e.type === 'auth.sso' && e.outcome === 'success');
    expect(signedIn?.detail).toMatchObject({ provisioned: true, mfaAtIdp: true });
    const link = await h.rt.db.kysely
      .selectFrom('user_identities')
      .selectAll()
      .where('subject', '=', 'sub-mona')
      .execute();
    expect(link).toHaveLength(1);
  });

  it('accepts an acr value the configuration names as MFA', async () => {
    account('sub-olga', 'olga.sso@example.test', ['crm-sales']);
    const { callback } = await sso({ accountId: 'sub-olga', acr: 'urn:separ:test:mfa' });
    const state = await h.app.inject({ method: 'GET', url: `${API}/auth/session`, headers: withSession(callback) });
    expect(body<{ kind: string }>(state).kind).toBe('full');
  });

  it('applies local MFA when the IdP did not do it: a new account must enrol before anything else', async () => {
    account('sub-nils', 'nils.sso@example.test', ['crm-sales']);
    const { callback } = await sso({ accountId: 'sub-nils', amr: ['pwd'] });
    expect(callback.statusCode).toBe(200);
    expect(callback.body).toContain('url=/login');
    const session = withSession(callback);
    const state = await h.app.inject({ method: 'GET', url: `${API}/auth/session`, headers: session });
    expect(body<{ kind: string; setupRequired: string[] }>(state)).toMatchObject({
      kind: 'restricted',
      setupRequired: ['mfa-enrolment'],
    });
    const contacts = await h.app.inject({ method: 'GET', url: `${API}/contacts`, headers: session });
    expect(contacts.statusCode).toBe(403);
    expect(problem(contacts).code).toBe('SEPAR_ERR_ACCOUNT_SETUP_REQUIRED');
  });

  it('re-syncs the roles of SSO-created accounts at each sign-in (ending their other sessions)', async () => {
    account('sub-pia', 'pia.sso@example.test', ['crm-managers']);
    const first = (await sso({ accountId: 'sub-pia', amr: ['mfa'] })).callback;
    account('sub-pia', 'pia.sso@example.test', ['crm-sales']);
    const second = (await sso({ accountId: 'sub-pia', amr: ['mfa'] })).callback;
    expect((await h.app.inject({ method: 'GET', url: `${API}/me`, headers: withSession(first) })).statusCode).toBe(401);
    const me = await h.app.inject({ method: 'GET', url: `${API}/me`, headers: withSession(second) });
    expect(body<{ roles: string[] }>(me).roles).toEqual(['sales-rep']);
  });

  it('links an existing account by verified email only; local MFA still applies to it', async () => {
    const local = await createUserWithToken(h, { roles: ['support'], email: 'quentin.local@example.test' });
    await loginSession(h, local.email, local.password); // enrols his passkey
    account('sub-quentin-unverified', 'quentin.local@example.test', [], false);
    const refused = (await sso({ accountId: 'sub-quentin-unverified', amr: ['mfa'] })).callback;
    expect(refused.statusCode).toBe(401);
    expect(cookieOf(refused, SESSION_COOKIE_NAME)).toBeUndefined();

    account('sub-quentin', 'quentin.local@example.test', ['crm-managers']);
    const linked = (await sso({ accountId: 'sub-quentin', amr: ['pwd'] })).callback;
    const state = await h.app.inject({ method: 'GET', url: `${API}/auth/session`, headers: withSession(linked) });
    expect(body<{ kind: string; methods: string[] }>(state)).toMatchObject({
      kind: 'pending',
      methods: ['webauthn', 'recovery'],
    });
    // Linking does not hand the IdP's groups the account's roles.
    const me = await h.app.inject({ method: 'GET', url: `${API}/users/${local.userId}`, headers: admin.headers });
    expect(body<{ roles: string[] }>(me).roles).toEqual(['support']);
  });

  it('refuses a callback without this browser’s flow cookie, with a forged state, or replayed', async () => {
    account('sub-rhea', 'rhea.sso@example.test', ['crm-sales']);
    // Login CSRF / session fixation: the victim's browser did not start this flow.
    const noCookie = (await sso({ accountId: 'sub-rhea', amr: ['mfa'] }, { dropCookie: true })).callback;
    expect(noCookie.statusCode).toBe(401);
    expect(cookieOf(noCookie, SESSION_COOKIE_NAME)).toBeUndefined();

    const { back, flowCookie } = await sso({ accountId: 'sub-rhea', amr: ['mfa'] });
    // The flow cookie was used up by the first callback: a replay of the same redirect fails.
    const replay = await h.app.inject({
      method: 'GET',
      url: `${back.pathname}${back.search}`,
      headers: { cookie: flowCookie },
    });
    expect(replay.statusCode).toBe(401);

    const start = await h.app.inject({ method: 'GET', url: `${API}/auth/oidc/start` });
    const cookie = cookieOf(start, '__Host-separ_oidc') ?? '';
    idp.nextLogin = { accountId: 'sub-rhea', amr: ['mfa'] };
    const redirected = await idp.browse(String(start.headers.location));
    redirected.searchParams.set('state', 'forged-state-value');
    const forged = await h.app.inject({
      method: 'GET',
      url: `${redirected.pathname}${redirected.search}`,
      headers: { cookie },
    });
    expect(forged.statusCode).toBe(401);
    expect(events.filter((e) => e.type === 'auth.sso' && e.outcome === 'failure').length).toBeGreaterThanOrEqual(3);
  });
});

describe('single sign-on when not configured', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('sqlite');
  });
  afterAll(async () => h?.close());

  it('answers 404 on the SSO routes', async () => {
    const res = await h.app.inject({ method: 'GET', url: `${API}/auth/oidc/start` });
    expect(res.statusCode).toBe(404);
    expect(problem(res).code).toBe('SEPAR_ERR_NOT_FOUND');
  });
});
