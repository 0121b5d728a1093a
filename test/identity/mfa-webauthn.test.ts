import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeparEvent } from '../../src/platform/events.js';
import { testDialects } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { browserFor, createUserWithToken, loginSession, type TestSession, type TestUser } from '../support/identity.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { API, body, problem, sessionHeaders, stepSession } from './helpers.js';

const dialects = await testDialects();
const ORIGIN = 'https://localhost:8443';

describe.each(dialects)('WebAuthn / passkeys (%s)', (dialect) => {
  let h: Harness;
  let admin: TestUser;
  const events: SeparEvent[] = [];

  beforeAll(async () => {
    h = await startHarness(dialect);
    h.rt.bus.subscribe((e) => {
      events.push(e);
    });
    admin = await createUserWithToken(h, { roles: ['admin'], name: 'Ada Passkey' });
  });
  afterAll(async () => h?.close());

  const post = (url: string, s: TestSession | null, payload?: Record<string, unknown>) =>
    h.app.inject({ method: 'POST', url: `${API}${url}`, headers: s ? sessionHeaders(s) : {}, payload });
  const login = (u: TestUser) => post('/auth/login', null, { email: u.email, password: u.password });

  /** Signs in with the password and enrols `authenticator`'s new passkey from the restricted session. */
  async function enrol(u: TestUser, authenticator: SoftAuthenticator): Promise<TestSession> {
    const restricted = stepSession(await login(u));
    const options = await post('/me/mfa/webauthn/register/options', restricted);
    expect(options.statusCode).toBe(200);
    const credential = authenticator.create(body<PublicKeyCredentialCreationOptionsJSON>(options));
    const done = await post('/me/mfa/webauthn/register', restricted, { credential, name: 'Laptop' });
    expect(done.statusCode, done.body).toBe(200);
    return stepSession(done, restricted);
  }

  async function pendingWithOptions(u: TestUser) {
    const s = stepSession(await login(u));
    const options = await post('/auth/mfa/webauthn/options', s);
    expect(options.statusCode).toBe(200);
    return { s, options: body<PublicKeyCredentialRequestOptionsJSON>(options) };
  }

  it('requires a passkey for administrators: the first sign-in can only register one', async () => {
    const first = await login(admin);
    expect(body<{ setupRequired: string[]; mfaMethods: string[] }>(first)).toMatchObject({
      setupRequired: ['mfa-enrolment'],
      mfaMethods: ['webauthn'],
    });
    const s = stepSession(first);
    const users = await h.app.inject({ method: 'GET', url: `${API}/users`, headers: { cookie: s.cookie } });
    expect(users.statusCode).toBe(403);
    expect(problem(users).code).toBe('SEPAR_ERR_ACCOUNT_SETUP_REQUIRED');
  });

  it('registers a passkey (relying party = SEPAR_PUBLIC_URL) and signs in with it as the second factor', async () => {
    // The administrator's own browser (loginSession uses it later).
    const key = browserFor(h, admin.email).authenticator;
    const restricted = stepSession(await login(admin));
    const optionsRes = await post('/me/mfa/webauthn/register/options', restricted);
    const options = body<PublicKeyCredentialCreationOptionsJSON>(optionsRes);
    expect(options.rp).toEqual({ name: 'Separ', id: 'localhost' });
    expect(options.user.name).toBe(admin.email);
    expect(options.attestation).toBe('none');
    const credential = key.create(options);
    const done = await post('/me/mfa/webauthn/register', restricted, { credential, name: 'Laptop' });
    expect(done.statusCode, done.body).toBe(200);
    const enrolled = body<{ credential: { id: string; name: string }; recoveryCodes: string[] }>(done);
    expect(enrolled.credential).toMatchObject({ id: credential.id, name: 'Laptop' });
    expect(enrolled.recoveryCodes).toHaveLength(10);
    const full = stepSession(done, restricted);
    expect(
      (await h.app.inject({ method: 'GET', url: `${API}/users`, headers: { cookie: full.cookie } })).statusCode,
    ).toBe(200);

    const { s, options: request } = await pendingWithOptions(admin);
    expect(request.rpId).toBe('localhost');
    expect(request.allowCredentials?.map((c) => c.id)).toEqual([credential.id]);
    const signedIn = await post('/auth/mfa/webauthn', s, { credential: key.get(request) });
    expect(signedIn.statusCode).toBe(200);
    expect(
      events.some((e) => e.type === 'auth.mfa' && e.outcome === 'success' && e.detail?.method === 'webauthn'),
    ).toBe(true);
  });

  it('refuses assertions made for another origin or relying party (phishing), replayed, or with an old counter', async () => {
    const victim = await createUserWithToken(h, { roles: ['sales-manager'] });
    const key = new SoftAuthenticator({ origin: ORIGIN });
    await enrol(victim, key);

    const phish = await pendingWithOptions(victim);
    const fromPhishingPage = key.get(phish.options, { origin: 'https://1ocalhost.example' });
    expect((await post('/auth/mfa/webauthn', phish.s, { credential: fromPhishingPage })).statusCode).toBe(401);
    // The challenge was used up by the failed attempt: a second try needs new options.
    expect((await post('/auth/mfa/webauthn', phish.s, { credential: key.get(phish.options) })).statusCode).toBe(401);

    const wrongRp = await pendingWithOptions(victim);
    expect(
      (await post('/auth/mfa/webauthn', wrongRp.s, { credential: key.get(wrongRp.options, { rpId: 'example.com' }) }))
        .statusCode,
    ).toBe(401);

    const good = await pendingWithOptions(victim);
    const assertion = key.get(good.options);
    expect((await post('/auth/mfa/webauthn', good.s, { credential: assertion })).statusCode).toBe(200);
    // Replaying the same assertion on a new pending session: its challenge does not match.
    const replay = await pendingWithOptions(victim);
    expect((await post('/auth/mfa/webauthn', replay.s, { credential: assertion })).statusCode).toBe(401);

    // A cloned authenticator reporting an old signature counter is refused.
    const clone = await pendingWithOptions(victim);
    expect(
      (await post('/auth/mfa/webauthn', clone.s, { credential: key.get(clone.options, { counter: 1 }) })).statusCode,
    ).toBe(401);
    expect(events.filter((e) => e.type === 'auth.mfa' && e.outcome === 'failure').length).toBeGreaterThanOrEqual(4);
  });

  it("refuses a challenge issued to another session, and another user's credential", async () => {
    const eve = await createUserWithToken(h, { roles: ['sales-rep'] });
    const bob = await createUserWithToken(h, { roles: ['sales-rep'] });
    const eveKey = new SoftAuthenticator({ origin: ORIGIN });
    const bobKey = new SoftAuthenticator({ origin: ORIGIN });
    await enrol(eve, eveKey);
    await enrol(bob, bobKey);

    // Eve answers Bob's pending session with her own passkey (signed over Bob's challenge): refused.
    const bobPending = await pendingWithOptions(bob);
    const crafted = eveKey.get({ ...bobPending.options, allowCredentials: [] });
    expect((await post('/auth/mfa/webauthn', bobPending.s, { credential: crafted })).statusCode).toBe(401);
    // A challenge fetched in one pending session does not serve another.
    const one = await pendingWithOptions(bob);
    const other = stepSession(await login(bob));
    expect((await post('/auth/mfa/webauthn', other, { credential: bobKey.get(one.options) })).statusCode).toBe(401);
  });

  it('refuses a registration made for another origin or replayed with an old challenge', async () => {
    const frank = await createUserWithToken(h, { roles: ['support'] });
    const key = new SoftAuthenticator({ origin: ORIGIN });
    const restricted = stepSession(await login(frank));
    const options = body<PublicKeyCredentialCreationOptionsJSON>(
      await post('/me/mfa/webauthn/register/options', restricted),
    );
    const evil = key.create(options, { origin: 'https://evil.example' });
    const refused = await post('/me/mfa/webauthn/register', restricted, { credential: evil });
    expect(refused.statusCode).toBe(400);
    const again = await post('/me/mfa/webauthn/register', restricted, { credential: key.create(options) });
    expect(again.statusCode).toBe(400);
    const stillRestricted = await h.app.inject({
      method: 'GET',
      url: `${API}/contacts`,
      headers: { cookie: restricted.cookie },
    });
    expect(stillRestricted.statusCode).toBe(403);
  });

  it('signs in with a passkey alone when the authenticator verifies the user; not without verification', async () => {
    const grace = await createUserWithToken(h, { roles: ['sales-rep'] });
    const key = new SoftAuthenticator({ origin: ORIGIN });
    await enrol(grace, key);
    const options = await post('/auth/passkey/options', null);
    expect(options.statusCode).toBe(200);
    const o = body<PublicKeyCredentialRequestOptionsJSON>(options);
    expect(o.userVerification).toBe('required');
    expect(o.allowCredentials ?? []).toEqual([]);
    const res = await post('/auth/passkey', null, { credential: key.get(o) });
    expect(res.statusCode, res.body).toBe(200);
    const signed = body<{ user: { id: string } }>(res);
    expect(signed.user.id).toBe(grace.userId);
    // Replayed: the challenge is single-use.
    expect((await post('/auth/passkey', null, { credential: key.get(o) })).statusCode).toBe(401);

    const noUv = new SoftAuthenticator({ origin: ORIGIN, userVerification: false });
    const hank = await createUserWithToken(h, { roles: ['sales-rep'] });
    await enrol(hank, noUv);
    const o2 = body<PublicKeyCredentialRequestOptionsJSON>(await post('/auth/passkey/options', null));
    const refused = await post('/auth/passkey', null, { credential: noUv.get(o2) });
    expect(refused.statusCode).toBe(401);
    expect(problem(refused).code).toBe('SEPAR_ERR_INVALID_CREDENTIALS');
  });

  it('will not remove the last passkey while MFA is required; an administrator can reset a user who lost it', async () => {
    const ivan = await createUserWithToken(h, { roles: ['security-officer'] });
    const key = new SoftAuthenticator({ origin: ORIGIN });
    const full = await enrol(ivan, key);
    const id = key.credentials[0]?.id.toString('base64url') ?? '';
    const last = await h.app.inject({
      method: 'DELETE',
      url: `${API}/me/mfa/webauthn/${id}`,
      headers: sessionHeaders(full),
    });
    expect(last.statusCode).toBe(409);

    const adminSession = await loginSession(h, admin.email, admin.password);
    const reset = await h.app.inject({
      method: 'DELETE',
      url: `${API}/users/${ivan.userId}/mfa`,
      headers: sessionHeaders(adminSession),
    });
    expect(reset.statusCode).toBe(204);
    // Ivan's session ended and his next sign-in must enrol again.
    expect((await h.app.inject({ method: 'GET', url: `${API}/me`, headers: { cookie: full.cookie } })).statusCode).toBe(
      401,
    );
    const again = await login(ivan);
    expect(body<{ setupRequired: string[] }>(again).setupRequired).toEqual(['mfa-enrolment']);
    expect(events.some((e) => e.type === 'mfa.reset' && e.target?.id === ivan.userId)).toBe(true);
  });
});
