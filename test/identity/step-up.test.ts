import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import type { SeparEvent } from '../../src/platform/events.js';
import { totpCode, totpStep } from '../../src/security/identity/index.js';
import { testDialects } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { browserFor, createUserWithToken, loginSession, type TestSession, type TestUser } from '../support/identity.js';
import { API, body, cookieOf, MINUTE, problem, SESSION_COOKIE_NAME, sessionHeaders } from './helpers.js';

const dialects = await testDialects();
const CHROME_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';

describe.each(dialects)('step-up and session control (%s)', (dialect) => {
  const clock = new ManualClock('2026-08-03T07:30:00.000Z');
  let h: Harness;
  let admin: TestUser;
  let rep: TestUser;
  const events: SeparEvent[] = [];

  beforeAll(async () => {
    h = await startHarness(dialect, { clock });
    h.rt.bus.subscribe((e) => {
      events.push(e);
    });
    admin = await createUserWithToken(h, { roles: ['admin'] });
    rep = await createUserWithToken(h, { roles: ['sales-rep'] });
  });
  afterAll(async () => h?.close());

  const req = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, s: TestSession, payload?: unknown) =>
    h.app.inject({
      method,
      url: `${API}${url}`,
      headers: method === 'GET' ? { cookie: s.cookie } : sessionHeaders(s),
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

  async function stepUp(u: TestUser, s: TestSession): Promise<TestSession> {
    const options = await req('POST', '/auth/step-up/webauthn/options', s);
    expect(options.statusCode).toBe(200);
    const credential = browserFor(h, u.email).authenticator.get(body<PublicKeyCredentialRequestOptionsJSON>(options));
    const res = await req('POST', '/auth/step-up/webauthn', s, { credential });
    expect(res.statusCode, res.body).toBe(200);
    const cookie = cookieOf(res, SESSION_COOKIE_NAME);
    expect(cookie).toBeDefined();
    expect(body<{ authenticatedAt: string }>(res).authenticatedAt).toBe(clock.now().toISOString());
    return { cookie: cookie ?? '', csrfToken: body<{ csrfToken: string }>(res).csrfToken };
  }

  it('lets a fresh sign-in act at once, and asks for re-authentication after 5 minutes', async () => {
    const s = await loginSession(h, rep.email, rep.password);
    expect((await req('POST', '/me/tokens', s, { name: 'right after sign-in' })).statusCode).toBe(201);
    clock.advance(5 * MINUTE + 1000);
    const stale = await req('POST', '/me/tokens', s, { name: 'later' });
    expect(stale.statusCode).toBe(401);
    expect(problem(stale).code).toBe('SEPAR_ERR_STEP_UP_REQUIRED');
    expect(stale.headers['www-authenticate']).toContain('insufficient_user_authentication');
    // Ordinary reads and writes are not affected.
    expect((await req('GET', '/contacts', s)).statusCode).toBe(200);
    const state = body<{ recentlyAuthenticated: boolean }>(await req('GET', '/auth/session', s));
    expect(state.recentlyAuthenticated).toBe(false);
  });

  it('steps up with the second factor, rotating the session id', async () => {
    const s = await loginSession(h, rep.email, rep.password);
    clock.advance(6 * MINUTE);
    const fresh = await stepUp(rep, s);
    expect(fresh.cookie).not.toBe(s.cookie);
    expect((await req('GET', '/me', s)).statusCode).toBe(401);
    expect((await req('POST', '/me/tokens', fresh, { name: 'after step-up' })).statusCode).toBe(201);
    const stepUps = events.filter((e) => e.type === 'auth.step-up' && e.outcome === 'success');
    expect(stepUps.at(-1)?.context).toMatchObject({ actorId: rep.userId, ip: '127.0.0.1' });
    // Step-up does not extend the absolute lifetime: 12 hours after sign-in the session ends anyway.
    for (let i = 0; i < 6 * 12; i++) {
      clock.advance(10 * MINUTE);
      if ((await req('GET', '/me', fresh)).statusCode !== 200) break;
    }
    expect((await req('GET', '/me', fresh)).statusCode).toBe(401);
  });

  it('refuses a step-up answered with a password when the account has a second factor', async () => {
    const s = await loginSession(h, rep.email, rep.password);
    const res = await req('POST', '/auth/step-up/password', s, { password: rep.password });
    expect(res.statusCode).toBe(400);
  });

  it('guards role changes, disabling accounts and setting passwords, but not renaming', async () => {
    const s = await loginSession(h, admin.email, admin.password);
    const target = await createUserWithToken(h, { roles: ['support'] });
    clock.advance(6 * MINUTE);
    const rename = await req('PATCH', `/users/${target.userId}`, s, { name: 'Renamed', version: 1 });
    expect(rename.statusCode).toBe(200);
    for (const [method, url, payload] of [
      ['PATCH', `/users/${target.userId}`, { roles: ['admin'], version: 2 }],
      ['PATCH', `/users/${target.userId}`, { status: 'disabled', version: 2 }],
      ['POST', `/users/${target.userId}/password`, { password: 'a brand new passphrase 91' }],
      ['DELETE', `/users/${target.userId}/mfa`, undefined],
    ] as const) {
      const res = await req(method, url, s, payload);
      expect([method, url, res.statusCode]).toEqual([method, url, 401]);
      expect(problem(res).code).toBe('SEPAR_ERR_STEP_UP_REQUIRED');
    }
    const fresh = await stepUp(admin, s);
    expect(
      (await req('PATCH', `/users/${target.userId}`, fresh, { roles: ['read-only'], version: 2 })).statusCode,
    ).toBe(200);
    // API tokens are not interactive: the administrator's script is not asked to step up.
    clock.advance(6 * MINUTE);
    const byToken = await h.app.inject({
      method: 'PATCH',
      url: `${API}/users/${target.userId}`,
      headers: admin.headers,
      payload: { roles: ['support'], version: 3 },
    });
    expect(byToken.statusCode).toBe(200);
  });

  it('asks for a recent sign-in before revealing personal data in a session; a token reveals within its rights', async () => {
    const contact = body<{ id: string }>(
      await h.app.inject({
        method: 'POST',
        url: `${API}/contacts`,
        headers: admin.headers,
        payload: { firstName: 'Reveal', lastName: 'Later', email: 'reveal.later@example.ir' },
      }),
    );
    const s = await loginSession(h, admin.email, admin.password);
    const ask = { fields: ['email'], reason: 'customer called to confirm the address' };
    expect((await req('POST', `/contacts/${contact.id}/reveal`, s, ask)).statusCode).toBe(200);
    clock.advance(6 * MINUTE);
    const stale = await req('POST', `/contacts/${contact.id}/reveal`, s, ask);
    expect(stale.statusCode).toBe(401);
    expect(problem(stale).code).toBe('SEPAR_ERR_STEP_UP_REQUIRED');
    expect(stale.body).not.toContain('reveal.later');
    const fresh = await stepUp(admin, s);
    const again = await req('POST', `/contacts/${contact.id}/reveal`, fresh, ask);
    expect(again.statusCode, again.body).toBe(200);
    expect(body<{ fields: { email: string } }>(again).fields.email).toBe('reveal.later@example.ir');
    const byToken = await h.app.inject({
      method: 'POST',
      url: `${API}/contacts/${contact.id}/reveal`,
      headers: admin.headers,
      payload: ask,
    });
    expect(byToken.statusCode, byToken.body).toBe(200);
  });

  it('lists sessions with device, IP and last seen, and ends them everywhere on MFA change', async () => {
    const u = await createUserWithToken(h, { roles: ['sales-rep'] });
    const here = await loginSession(h, u.email, u.password);
    const login = await h.app.inject({
      method: 'POST',
      url: `${API}/auth/login`,
      payload: { email: u.email, password: u.password },
      headers: { 'user-agent': CHROME_UA, cookie: browserFor(h, u.email).deviceCookie ?? '' },
      remoteAddress: '192.0.2.44',
    });
    expect(login.statusCode).toBe(200);
    const list = await req('GET', '/me/sessions', here);
    const items = body<{ items: { device: string | null; ip: string; kind: string; current: boolean }[] }>(list).items;
    expect(items.find((i) => i.ip === '192.0.2.44')).toMatchObject({ device: 'Chrome 130 on Linux', kind: 'pending' });
    expect(items.find((i) => i.current)?.kind).toBe('full');

    const other = await loginSession(h, u.email, u.password);
    // Enrolling another method is an MFA change: every other session ends.
    const started = await req('POST', '/me/mfa/totp', here);
    expect(started.statusCode).toBe(200);
    const secret = body<{ secret: string }>(started).secret;
    const confirmed = await req('POST', '/me/mfa/totp/confirm', here, {
      code: totpCode(secret, totpStep(clock.now().getTime())),
    });
    expect(confirmed.statusCode).toBe(200);
    expect(body<{ recoveryCodes: null }>(confirmed).recoveryCodes).toBeNull();
    expect((await req('GET', '/me', other)).statusCode).toBe(401);
    expect((await req('GET', '/me', here)).statusCode).toBe(200);
    const remaining = body<{ items: unknown[] }>(await req('GET', '/me/sessions', here)).items;
    expect(remaining).toHaveLength(1);
  });
});

describe('step-up with the password when the policy makes MFA optional', () => {
  const clock = new ManualClock('2026-08-04T07:30:00.000Z');
  let h: Harness;
  let user: TestUser;

  beforeAll(async () => {
    h = await startHarness('sqlite', {
      clock,
      env: { SEPAR_MFA_POLICY: 'admin=webauthn;*=totp,webauthn,optional' },
    });
    user = await createUserWithToken(h, { roles: ['read-only'] });
  });
  afterAll(async () => h?.close());

  it('signs in without a second factor, then re-confirms the password for sensitive actions', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: `${API}/auth/login`,
      payload: { email: user.email, password: user.password },
    });
    expect(res.statusCode).toBe(200);
    expect(body<{ user: { id: string } }>(res).user.id).toBe(user.userId);
    const s: TestSession = {
      cookie: cookieOf(res, SESSION_COOKIE_NAME) ?? '',
      csrfToken: body<{ csrfToken: string }>(res).csrfToken,
    };
    clock.advance(6 * MINUTE);
    const post = (url: string, session: TestSession, payload: Record<string, unknown>) =>
      h.app.inject({ method: 'POST', url: `${API}${url}`, headers: sessionHeaders(session), payload });
    expect((await post('/me/tokens', s, { name: 'x' })).statusCode).toBe(401);
    expect((await post('/auth/step-up/password', s, { password: `${user.password}!` })).statusCode).toBe(401);
    const ok = await post('/auth/step-up/password', s, { password: user.password });
    expect(ok.statusCode).toBe(200);
    const fresh = {
      cookie: cookieOf(ok, SESSION_COOKIE_NAME) ?? '',
      csrfToken: body<{ csrfToken: string }>(ok).csrfToken,
    };
    expect((await post('/me/tokens', fresh, { name: 'y' })).statusCode).toBe(201);
  });
});
