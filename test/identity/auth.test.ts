import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeparEvent } from '../../src/platform/events.js';
import { systemActor } from '../../src/security/access/actor.js';
import { testDialects } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import {
  browserFor,
  createUserWithToken,
  loginSession,
  sessionCookieFrom,
  type TestUser,
} from '../support/identity.js';
import { API, body, problem, sessionHeaders, setCookies } from './helpers.js';

const dialects = await testDialects();
const SESSION_TOKEN = /^[A-Za-z0-9_-]{43}$/;
const ZERO_UUID = '00000000-0000-7000-8000-000000000000';

describe.each(dialects)('sign-in and sessions over HTTP (%s)', (dialect) => {
  let h: Harness;
  let admin: TestUser;
  let alice: TestUser;
  const events: SeparEvent[] = [];

  beforeAll(async () => {
    h = await startHarness(dialect);
    h.rt.bus.subscribe((e) => {
      events.push(e);
    });
    admin = await createUserWithToken(h, { roles: ['admin'] });
    alice = await createUserWithToken(h, { roles: ['sales-rep'], email: 'Alice.Example@Example.test', name: 'Alice' });
  });
  afterAll(async () => {
    await h?.close();
  });

  const login = (email: string, password: string, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url: `${API}/auth/login`, payload: { email, password }, headers });

  it('sets a __Host- session cookie with exactly Path=/, Secure, HttpOnly, SameSite=Strict at every step', async () => {
    await loginSession(h, alice.email, alice.password); // first sign-in: enrols her passkey
    const res = await login(alice.email, alice.password);
    expect(res.statusCode).toBe(200);
    const attributes = (cookie: string | undefined) => {
      const [pair, ...attrs] = (cookie ?? '').split(';').map((x) => x.trim());
      const [name, value] = (pair ?? '').split('=');
      return { name, value, attrs: new Set(attrs) };
    };
    const pending = attributes(setCookies(res)[0]);
    expect(setCookies(res)).toHaveLength(1);
    expect(pending.name).toBe('__Host-separ_session');
    expect(pending.value).toMatch(SESSION_TOKEN);
    expect(pending.attrs).toEqual(new Set(['Path=/', 'Secure', 'HttpOnly', 'SameSite=Strict']));
    const challenge = body<{ mfaRequired: boolean; methods: string[]; csrfToken: string }>(res);
    expect(Object.keys(challenge).sort()).toEqual(['csrfToken', 'methods', 'mfaRequired']);
    expect(challenge).toMatchObject({ mfaRequired: true, methods: ['webauthn', 'recovery'] });
    expect(challenge.csrfToken).toMatch(SESSION_TOKEN);
    expect(res.body).not.toContain(alice.email);

    // The second factor turns it into a full session with a new id (and leaves a signed device cookie).
    const pendingHeaders = {
      cookie: `__Host-separ_session=${pending.value ?? ''}`,
      'x-csrf-token': challenge.csrfToken,
    };
    const options = await h.app.inject({
      method: 'POST',
      url: `${API}/auth/mfa/webauthn/options`,
      headers: pendingHeaders,
    });
    expect(options.statusCode).toBe(200);
    const credential = browserFor(h, alice.email).authenticator.get(body(options));
    const done = await h.app.inject({
      method: 'POST',
      url: `${API}/auth/mfa/webauthn`,
      headers: pendingHeaders,
      payload: { credential },
    });
    expect(done.statusCode).toBe(200);
    const full = attributes(setCookies(done).find((c) => c.startsWith('__Host-separ_session=')));
    expect(full.value).toMatch(SESSION_TOKEN);
    expect(full.value).not.toBe(pending.value);
    expect(full.attrs).toEqual(new Set(['Path=/', 'Secure', 'HttpOnly', 'SameSite=Strict']));
    const device = attributes(setCookies(done).find((c) => c.startsWith('__Host-separ_device=')));
    expect(device.value).toMatch(/^d1\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect(device.attrs).toEqual(new Set(['Path=/', 'Secure', 'HttpOnly', 'SameSite=Strict', 'Max-Age=34560000']));
    const b = body<{ user: Record<string, unknown>; csrfToken: string }>(done);
    expect(b.csrfToken).toMatch(SESSION_TOKEN);
    expect(b.csrfToken).not.toBe(full.value);
    expect(Object.keys(b.user).sort()).toEqual(
      ['createdAt', 'email', 'id', 'lastLoginAt', 'name', 'roles', 'status', 'updatedAt', 'version'].sort(),
    );
    expect(b.user.lastLoginAt).toEqual(expect.any(String));
    expect(done.body).not.toMatch(/argon2|passwordHash|password_hash/i);
    const stale = await h.app.inject({ method: 'GET', url: `${API}/auth/session`, headers: pendingHeaders });
    expect(stale.statusCode).toBe(401);
  });

  it('matches the email case-insensitively and ignores surrounding spaces', async () => {
    const res = await login(`  ${alice.email.toUpperCase()} `, alice.password);
    expect(res.statusCode).toBe(200);
  });

  it('gives unknown user, wrong password, no password and disabled account the same answer', async () => {
    const noPassword = await h.rt.identity.users.createUser(systemActor('test'), {
      email: 'nopass@example.test',
      name: 'No Password',
      roles: [],
    });
    const disabled = await createUserWithToken(h, { roles: ['support'] });
    const patched = await h.app.inject({
      method: 'PATCH',
      url: `${API}/users/${disabled.userId}`,
      headers: { ...admin.headers, 'if-match': '"1"' },
      payload: { status: 'disabled' },
    });
    expect(patched.statusCode).toBe(200);

    const attempts = [
      await login('nobody@example.test', 'Whatever-password-123'),
      await login(alice.email, `${alice.password}x`),
      await login(noPassword.email, 'Whatever-password-123'),
      await login(disabled.email, disabled.password),
      await login('not an email', 'Whatever-password-123'),
    ];
    const shapes = attempts.map((r) => {
      const { requestId: _ignored, ...rest } = problem(r);
      return { status: r.statusCode, contentType: r.headers['content-type'], cookie: r.headers['set-cookie'], rest };
    });
    for (const s of shapes) expect(s).toEqual(shapes[0]);
    expect(shapes[0]?.status).toBe(401);
    expect(shapes[0]?.rest.code).toBe('SEPAR_ERR_INVALID_CREDENTIALS');
    expect(shapes[0]?.rest.detail).toBe('Email or password is incorrect.');
  });

  it('stores passwords as argon2id m=19456,t=2,p=1 with a 128-bit salt', async () => {
    const row = await h.rt.db.kysely
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', alice.userId)
      .executeTakeFirstOrThrow();
    const parts = (row.password_hash ?? '').split('$');
    expect(parts[1]).toBe('argon2id');
    expect(parts[2]).toBe('v=19');
    expect(parts[3]).toBe('m=19456,t=2,p=1');
    expect(Buffer.from(parts[4] ?? '', 'base64').length).toBeGreaterThanOrEqual(16);
    expect(Buffer.from(parts[5] ?? '', 'base64').length).toBe(32);
  });

  it('answers 401 on every identity route except login when no credentials are sent', async () => {
    const routes: [string, string, unknown?][] = [
      ['POST', '/auth/logout'],
      ['GET', '/me'],
      ['POST', '/me/password', { currentPassword: 'a-long-password-1', newPassword: 'a-long-password-2' }],
      ['GET', '/me/sessions'],
      ['DELETE', '/me/sessions'],
      ['DELETE', '/me/sessions/0123456789abcdef'],
      ['GET', '/me/tokens'],
      ['POST', '/me/tokens', { name: 'x' }],
      ['DELETE', `/me/tokens/${ZERO_UUID}`],
      ['GET', '/users'],
      ['POST', '/users', { email: 'x@example.test', name: 'X', roles: [] }],
      ['GET', `/users/${ZERO_UUID}`],
      ['PATCH', `/users/${ZERO_UUID}`, { name: 'Y', version: 1 }],
      ['POST', `/users/${ZERO_UUID}/password`, { password: 'a-long-password-3' }],
      ['GET', `/users/${ZERO_UUID}/sessions`],
      ['DELETE', `/users/${ZERO_UUID}/sessions`],
      ['GET', '/roles'],
    ];
    for (const [method, path, payload] of routes) {
      for (const headers of [
        {},
        { cookie: '__Host-separ_session=forged-session-value-that-is-long-enough-000' },
        { authorization: 'Bearer separ_pat_forgedforgedforgedforgedforgedforgedforged1' },
      ]) {
        const res = await h.app.inject({
          method: method as 'GET',
          url: `${API}${path}`,
          headers,
          ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
        });
        expect([method, path, res.statusCode]).toEqual([method, path, 401]);
        expect(problem(res).code).toBe('SEPAR_ERR_UNAUTHENTICATED');
      }
    }
  });

  it('refuses a cookie-authenticated state change without, or with a wrong, CSRF token, or from another origin', async () => {
    const s = await loginSession(h, alice.email, alice.password);
    const post = (headers: Record<string, string>) =>
      h.app.inject({ method: 'POST', url: `${API}/me/tokens`, headers, payload: { name: 'csrf probe' } });

    const missing = await post({ cookie: s.cookie });
    expect(missing.statusCode).toBe(403);
    expect(problem(missing).code).toBe('SEPAR_ERR_CSRF');

    // Change the last character to a different one (a fixed replacement equals it one time in 64).
    const last = s.csrfToken.slice(-1) === 'A' ? 'B' : 'A';
    const wrong = await post({ cookie: s.cookie, 'x-csrf-token': `${s.csrfToken.slice(0, -1)}${last}` });
    expect(wrong.statusCode).toBe(403);
    expect(problem(wrong).code).toBe('SEPAR_ERR_CSRF');

    const otherSession = await loginSession(h, alice.email, alice.password);
    const swapped = await post({ cookie: s.cookie, 'x-csrf-token': otherSession.csrfToken });
    expect(swapped.statusCode).toBe(403);

    const crossOrigin = await post({ ...sessionHeaders(s), origin: 'https://evil.example' });
    expect(crossOrigin.statusCode).toBe(403);
    expect(problem(crossOrigin).code).toBe('SEPAR_ERR_CSRF');

    const crossSite = await post({ ...sessionHeaders(s), 'sec-fetch-site': 'cross-site' });
    expect(crossSite.statusCode).toBe(403);

    const ok = await post({ ...sessionHeaders(s), origin: 'https://localhost:8443', 'sec-fetch-site': 'same-origin' });
    expect(ok.statusCode).toBe(201);

    // Reads need no CSRF token.
    const read = await h.app.inject({ method: 'GET', url: `${API}/me`, headers: { cookie: s.cookie } });
    expect(read.statusCode).toBe(200);
    expect(body<{ csrfToken: string; authMethod: string }>(read)).toMatchObject({
      csrfToken: s.csrfToken,
      authMethod: 'session',
    });
  });

  it('needs no CSRF token for bearer-token requests', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: `${API}/me/tokens`,
      headers: alice.headers,
      payload: { name: 'from a script' },
    });
    expect(res.statusCode).toBe(201);
  });

  it('refuses a login posted from another origin or as a form (login CSRF)', async () => {
    const cross = await login(alice.email, alice.password, { origin: 'https://evil.example' });
    expect(cross.statusCode).toBe(403);
    expect(problem(cross).code).toBe('SEPAR_ERR_CSRF');
    expect(setCookies(cross)).toEqual([]);

    const form = await h.app.inject({
      method: 'POST',
      url: `${API}/auth/login`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `email=${encodeURIComponent(alice.email)}&password=${encodeURIComponent(alice.password)}`,
    });
    expect(form.statusCode).toBe(415);
    expect(setCookies(form)).toEqual([]);
  });

  it('logout ends the session on the server, clears the cookie and site data', async () => {
    const s = await loginSession(h, alice.email, alice.password);
    const res = await h.app.inject({ method: 'POST', url: `${API}/auth/logout`, headers: sessionHeaders(s) });
    expect(res.statusCode).toBe(204);
    expect(res.headers['clear-site-data']).toBe('"cache", "cookies", "storage"');
    const cleared = setCookies(res).find((c) => c.startsWith('__Host-separ_session='));
    expect(cleared).toBeDefined();
    expect(cleared).toMatch(/^__Host-separ_session=;/);
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/);

    const replay = await h.app.inject({ method: 'GET', url: `${API}/me`, headers: { cookie: s.cookie } });
    expect(replay.statusCode).toBe(401);
    const replayPost = await h.app.inject({ method: 'POST', url: `${API}/auth/logout`, headers: sessionHeaders(s) });
    expect(replayPost.statusCode).toBe(401);
  });

  it('starts a new session at every login and ends the one the browser held', async () => {
    const first = await loginSession(h, alice.email, alice.password);
    const res = await login(alice.email, alice.password, { cookie: first.cookie });
    expect(res.statusCode).toBe(200);
    const second = sessionCookieFrom(res.headers['set-cookie']);
    expect(second).toBeDefined();
    expect(second).not.toBe(first.cookie);
    const old = await h.app.inject({ method: 'GET', url: `${API}/me`, headers: { cookie: first.cookie } });
    expect(old.statusCode).toBe(401);
  });

  it('GET /me shows who is signed in and never a password hash', async () => {
    const res = await h.app.inject({ method: 'GET', url: `${API}/me`, headers: alice.headers });
    expect(res.statusCode).toBe(200);
    const me = body<Record<string, unknown>>(res);
    expect(Object.keys(me).sort()).toEqual(['authMethod', 'csrfToken', 'email', 'id', 'name', 'roles', 'status']);
    expect(me).toMatchObject({ id: alice.userId, roles: ['sales-rep'], authMethod: 'token', csrfToken: null });
    expect(res.body).not.toMatch(/argon2|hash/i);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('never stores session tokens in clear, and leaves login evidence without secrets', async () => {
    const s = await loginSession(h, alice.email, alice.password);
    const token = s.cookie.split('=')[1] ?? '';
    const rows = await h.rt.db.kysely.selectFrom('sessions').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(token);

    const logins = events.filter((e) => e.type === 'auth.login');
    expect(logins.some((e) => e.outcome === 'success' && e.target?.id === alice.userId)).toBe(true);
    expect(logins.some((e) => e.outcome === 'failure')).toBe(true);
    const all = JSON.stringify(events);
    expect(all).not.toContain(alice.password);
    expect(all).not.toContain(token);
    expect(all).not.toContain(alice.token);
    expect(all).not.toContain(s.csrfToken);
  });
});
