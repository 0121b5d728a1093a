import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import type { SeparEvent } from '../../src/platform/events.js';
import { testDialects } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { browserFor, createUserWithToken, loginSession, strongPassword, type TestUser } from '../support/identity.js';
import { API, body, HOUR, MINUTE, problem, sessionHeaders, stepSession } from './helpers.js';
import { SmtpSink } from './smtp-sink.js';

const dialects = await testDialects();
const DAY = 24 * HOUR;

describe.each(dialects)('account lifecycle and notices (%s)', (dialect) => {
  const clock = new ManualClock('2026-09-01T09:00:00.000Z');
  const sink = new SmtpSink();
  let h: Harness;
  let admin: TestUser;
  const events: SeparEvent[] = [];

  beforeAll(async () => {
    const smtp = await sink.start();
    h = await startHarness(dialect, {
      clock,
      env: { SEPAR_SMTP_URL: smtp, SEPAR_MAIL_FROM: 'Separ <no-reply@crm.test>' },
    });
    h.rt.bus.subscribe((e) => {
      events.push(e);
    });
    admin = await createUserWithToken(h, { roles: ['admin'] });
  });
  afterAll(async () => {
    await h?.close();
    await sink.stop();
  });

  const post = (url: string, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url: `${API}${url}`, payload, headers });
  const linkToken = (text: string, path: string): string => {
    const m = new RegExp(`https://localhost:8443/${path}#token=([A-Za-z0-9_-]+)`).exec(text);
    if (!m?.[1]) throw new Error(`no ${path} link in:\n${text}`);
    return m[1];
  };

  /** Signs in with the password and answers the second factor with the user's passkey; the final response. */
  async function signIn(u: { email: string; password: string }, headers: Record<string, string> = {}, ip?: string) {
    const browser = browserFor(h, u.email);
    const login = await h.app.inject({
      method: 'POST',
      url: `${API}/auth/login`,
      payload: { email: u.email, password: u.password },
      headers,
      ...(ip ? { remoteAddress: ip } : {}),
    });
    expect(login.statusCode).toBe(200);
    const s = stepSession(login);
    const both = {
      ...headers,
      ...sessionHeaders(s),
      cookie: [s.cookie, headers.cookie].filter((c) => c !== undefined && c !== '').join('; '),
    };
    const options = await h.app.inject({
      method: 'POST',
      url: `${API}/auth/mfa/webauthn/options`,
      headers: both,
      ...(ip ? { remoteAddress: ip } : {}),
    });
    const credential = browser.authenticator.get(body<PublicKeyCredentialRequestOptionsJSON>(options));
    return h.app.inject({
      method: 'POST',
      url: `${API}/auth/mfa/webauthn`,
      headers: both,
      payload: { credential },
      ...(ip ? { remoteAddress: ip } : {}),
    });
  }

  it('invites with a single-use 256-bit link, valid 24 hours, to choose a first password', async () => {
    const created = await post(
      '/users',
      { email: 'nina.invited@example.test', name: 'Nina Invited', roles: ['support'] },
      admin.headers,
    );
    const nina = body<{ id: string }>(created);
    const invited = await post(`/users/${nina.id}/invitation`, {}, admin.headers);
    expect(invited.statusCode).toBe(201);
    expect(body(invited)).toEqual({
      expiresAt: new Date(clock.now().getTime() + DAY).toISOString(),
      emailed: true,
      link: null,
    });
    const mail = await sink.waitFor('nina.invited@example.test', /invited/);
    expect(mail.from).toBe('no-reply@crm.test');
    const token = linkToken(mail.text, 'invitation');
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const stored = JSON.stringify(await h.rt.db.kysely.selectFrom('account_tokens').selectAll().execute());
    expect(stored).not.toContain(token);

    const weak = await post('/auth/invitation/accept', { token, password: 'password1234' });
    expect(weak.statusCode).toBe(400);
    expect(problem(weak).errors?.[0]?.field).toBe('password');
    const password = strongPassword();
    expect((await post('/auth/invitation/accept', { token, password })).statusCode).toBe(204);
    const again = await post('/auth/invitation/accept', { token, password: strongPassword() });
    expect(again.statusCode).toBe(400);
    expect(problem(again).errors?.[0]?.field).toBe('token');
    // Signing in now asks for MFA enrolment before anything else.
    const login = await post('/auth/login', { email: 'nina.invited@example.test', password });
    expect(body<{ setupRequired: string[] }>(login).setupRequired).toEqual(['mfa-enrolment']);
    // An invitation is only for accounts without a password.
    expect((await post(`/users/${nina.id}/invitation`, {}, admin.headers)).statusCode).toBe(409);
  });

  it('refuses an invitation link after 24 hours', async () => {
    const created = await post(
      '/users',
      { email: 'omar.late@example.test', name: 'Omar Late', roles: [] },
      admin.headers,
    );
    await post(`/users/${body<{ id: string }>(created).id}/invitation`, {}, admin.headers);
    const token = linkToken((await sink.waitFor('omar.late@example.test', /invited/)).text, 'invitation');
    clock.advance(DAY + 1000);
    expect((await post('/auth/invitation/accept', { token, password: strongPassword() })).statusCode).toBe(400);
  });

  it('resets a password by email: same answer for unknown addresses, single-use 30-minute link, every session and token ends, MFA still required', async () => {
    const paula = await createUserWithToken(h, { roles: ['sales-rep'] });
    const before = await loginSession(h, paula.email, paula.password);
    const unknown = await post('/auth/password-reset', { email: 'nobody.at.all@example.test' });
    const known = await post('/auth/password-reset', { email: paula.email.toUpperCase() });
    expect(unknown.statusCode).toBe(202);
    expect(known.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    const token = linkToken((await sink.waitFor(paula.email, /Reset/)).text, 'reset-password');
    expect(sink.messages.some((m) => m.to.includes('nobody.at.all@example.test'))).toBe(false);

    const password = strongPassword();
    expect((await post('/auth/password-reset/complete', { token, password })).statusCode).toBe(204);
    expect((await post('/auth/password-reset/complete', { token, password: strongPassword() })).statusCode).toBe(400);
    const me = await h.app.inject({ method: 'GET', url: `${API}/me`, headers: { cookie: before.cookie } });
    expect(me.statusCode).toBe(401);
    const byToken = await h.app.inject({ method: 'GET', url: `${API}/me`, headers: paula.headers });
    expect(byToken.statusCode).toBe(401);

    // The new password alone does not sign in: the second factor is still due, and nothing else is reachable.
    const login = await post('/auth/login', { email: paula.email, password });
    expect(body<{ mfaRequired: boolean }>(login).mfaRequired).toBe(true);
    const pending = stepSession(login);
    for (const url of ['/me', '/contacts', '/me/tokens', '/me/mfa']) {
      const res = await h.app.inject({ method: 'GET', url: `${API}${url}`, headers: { cookie: pending.cookie } });
      expect([url, res.statusCode]).toEqual([url, 401]);
    }
    const skip = await post('/me/mfa/recovery-codes', {}, sessionHeaders(pending));
    expect(skip.statusCode).toBe(401);
    expect(events.some((e) => e.type === 'user.password.reset' && e.target?.id === paula.userId)).toBe(true);
  });

  it('refuses a reset link after 30 minutes, and limits requests per account', async () => {
    const quinn = await createUserWithToken(h, { roles: ['support'] });
    await post('/auth/password-reset', { email: quinn.email });
    const token = linkToken((await sink.waitFor(quinn.email, /Reset/)).text, 'reset-password');
    clock.advance(30 * MINUTE + 1000);
    expect((await post('/auth/password-reset/complete', { token, password: strongPassword() })).statusCode).toBe(400);
    for (let i = 0; i < 4; i++)
      expect((await post('/auth/password-reset', { email: quinn.email })).statusCode).toBe(202);
    const sent = () => sink.messages.filter((m) => m.to.includes(quinn.email)).length;
    for (let i = 0; i < 100 && sent() < 3; i++) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 300));
    expect(sent()).toBe(3);
  });

  it('makes an administrator-chosen password be changed before anything else (restricted session)', async () => {
    const rita = await createUserWithToken(h, { roles: ['sales-rep'] });
    await loginSession(h, rita.email, rita.password); // enrols her passkey
    const temporary = strongPassword();
    expect((await post(`/users/${rita.userId}/password`, { password: temporary }, admin.headers)).statusCode).toBe(204);
    const done = await signIn({ email: rita.email, password: temporary });
    expect(done.statusCode).toBe(200);
    expect(body<{ setupRequired: string[] }>(done).setupRequired).toEqual(['password-change']);
    const restricted = stepSession(done);
    const contacts = await h.app.inject({
      method: 'GET',
      url: `${API}/contacts`,
      headers: { cookie: restricted.cookie },
    });
    expect(contacts.statusCode).toBe(403);
    expect(problem(contacts).code).toBe('SEPAR_ERR_ACCOUNT_SETUP_REQUIRED');
    const changed = await post(
      '/me/password',
      { currentPassword: temporary, newPassword: strongPassword() },
      sessionHeaders(restricted),
    );
    expect(changed.statusCode).toBe(200);
    expect(body<{ setupRequired: string[] }>(changed).setupRequired).toEqual([]);
    const full = stepSession(changed, restricted);
    expect(full.cookie).not.toBe(restricted.cookie);
    const ok = await h.app.inject({ method: 'GET', url: `${API}/contacts`, headers: { cookie: full.cookie } });
    expect(ok.statusCode).toBe(200);
  });

  it('emails the user about a sign-in from a new device or network, not from known ones', async () => {
    const sam = await createUserWithToken(h, { roles: ['sales-rep'] });
    await loginSession(h, sam.email, sam.password); // first sign-in: recorded, no notice
    const device = browserFor(h, sam.email).deviceCookie ?? '';
    expect((await signIn(sam, { cookie: device })).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(sink.messages.filter((m) => m.to.includes(sam.email))).toHaveLength(0);

    const newDevice = await signIn(sam, {
      'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0',
    });
    expect(newDevice.statusCode).toBe(200);
    const notice = await sink.waitFor(sam.email, /New sign-in/);
    expect(notice.text).toContain('from a device you have not used before');
    expect(notice.text).toContain('Firefox 131 on Windows');
    expect(notice.text).toContain('127.0.0.1');

    const newNetwork = await signIn(sam, { cookie: device }, '203.0.113.77');
    expect(newNetwork.statusCode).toBe(200);
    const networkNotice = await sink.waitFor(sam.email, /New sign-in/, 5000).then(async () => {
      for (let i = 0; i < 100 && sink.messages.filter((m) => m.to.includes(sam.email)).length < 2; i++) {
        await new Promise((r) => setTimeout(r, 25));
      }
      return sink.messages.filter((m) => m.to.includes(sam.email))[1];
    });
    expect(networkNotice?.text).toContain('from a network you have not used before');
    expect(networkNotice?.text).toContain('203.0.113.77');
    const recorded = events.filter((e) => e.type === 'auth.new-device' && e.target?.id === sam.userId);
    expect(recorded.map((e) => e.detail?.reason)).toEqual(['device', 'network']);
    expect(recorded[1]?.context.ip).toBe('203.0.113.77');
  });

  it('disables accounts idle for 90 days: at their next sign-in and by the sweep; re-enabling restarts the clock', async () => {
    const idle = await createUserWithToken(h, { roles: ['support'] });
    const active = await createUserWithToken(h, { roles: ['support'] });
    const scripted = await createUserWithToken(h, { roles: ['support'] });
    await loginSession(h, idle.email, idle.password);
    await loginSession(h, active.email, active.password);
    const sweeper = await createUserWithToken(h, { roles: ['support'] });
    clock.advance(60 * DAY);
    await loginSession(h, active.email, active.password);
    // An API token in use counts as activity (the administrator's script, too).
    expect((await h.app.inject({ method: 'GET', url: `${API}/me`, headers: scripted.headers })).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: `${API}/me`, headers: admin.headers })).statusCode).toBe(200);
    clock.advance(31 * DAY);

    const refused = await post('/auth/login', { email: idle.email, password: idle.password });
    expect(refused.statusCode).toBe(401);
    expect(problem(refused).code).toBe('SEPAR_ERR_INVALID_CREDENTIALS');
    const row = await h.rt.db.kysely
      .selectFrom('users')
      .select(['status', 'disabled_reason'])
      .where('id', '=', idle.userId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'disabled', disabled_reason: 'idle' });

    const swept = await h.rt.identity.lifecycle.disableIdleAccounts();
    expect(swept).toBeGreaterThanOrEqual(1);
    const statusOf = async (id: string) =>
      (await h.rt.db.kysely.selectFrom('users').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
    expect(await statusOf(sweeper.userId)).toBe('disabled');
    expect(await statusOf(active.userId)).toBe('active');
    expect(await statusOf(scripted.userId)).toBe('active');
    expect(
      events.some((e) => e.type === 'user.disable' && e.detail?.reason === 'idle' && e.target?.id === idle.userId),
    ).toBe(true);

    // An administrator enables the account again: it may sign in, its idle clock restarts.
    const v = body<{ version: number }>(
      await h.app.inject({ method: 'GET', url: `${API}/users/${idle.userId}`, headers: admin.headers }),
    );
    const enabled = await h.app.inject({
      method: 'PATCH',
      url: `${API}/users/${idle.userId}`,
      headers: admin.headers,
      payload: { status: 'active', version: v.version },
    });
    expect(enabled.statusCode).toBe(200);
    const back = await post('/auth/login', { email: idle.email, password: idle.password });
    expect(back.statusCode).toBe(200);
  });
});

describe('invitations without mail configured', () => {
  let h: Harness;
  let admin: TestUser;
  beforeAll(async () => {
    h = await startHarness('sqlite');
    admin = await createUserWithToken(h, { roles: ['admin'] });
  });
  afterAll(async () => h?.close());

  it('returns the link to the administrator once, to pass on', async () => {
    const created = await h.app.inject({
      method: 'POST',
      url: `${API}/users`,
      headers: admin.headers,
      payload: { email: 'tara@example.test', name: 'Tara', roles: [] },
    });
    const res = await h.app.inject({
      method: 'POST',
      url: `${API}/users/${body<{ id: string }>(created).id}/invitation`,
      headers: admin.headers,
    });
    expect(res.statusCode).toBe(201);
    const invitation = body<{ emailed: boolean; link: string }>(res);
    expect(invitation.emailed).toBe(false);
    expect(invitation.link).toMatch(/^https:\/\/localhost:8443\/invitation#token=[A-Za-z0-9_-]{43}$/);
  });
});
