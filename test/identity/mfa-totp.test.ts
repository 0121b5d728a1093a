import { spawnSync } from 'node:child_process';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import type { SeparEvent } from '../../src/platform/events.js';
import { totpCode, totpStep } from '../../src/security/identity/index.js';
import { testDialects } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken, type TestSession, type TestUser } from '../support/identity.js';
import { API, body, problem, sessionHeaders, stepSession } from './helpers.js';

const dialects = await testDialects();
const oathtool = spawnSync('oathtool', ['--version']).status === 0;
if (!oathtool && process.env.CI === 'true') throw new Error('oathtool is required in CI (apt install oathtool)');

interface Enrolment {
  secret: string;
  otpauthUrl: string;
  qrCode: string;
}

describe.each(dialects)('TOTP second factor (%s)', (dialect) => {
  const clock = new ManualClock('2026-05-04T09:00:05.000Z');
  let h: Harness;
  let carol: TestUser;
  let carolSecret = '';
  const events: SeparEvent[] = [];

  beforeAll(async () => {
    h = await startHarness(dialect, { clock });
    h.rt.bus.subscribe((e) => {
      events.push(e);
    });
    carol = await createUserWithToken(h, { roles: ['sales-rep'], name: 'Carol Totp' });
  });
  afterAll(async () => h?.close());

  const post = (url: string, s: TestSession | null, payload?: Record<string, unknown>) =>
    h.app.inject({ method: 'POST', url: `${API}${url}`, headers: s ? sessionHeaders(s) : {}, payload });
  const get = (url: string, s: TestSession) =>
    h.app.inject({ method: 'GET', url: `${API}${url}`, headers: { cookie: s.cookie } });
  const login = (u: TestUser) => post('/auth/login', null, { email: u.email, password: u.password });
  const code = (secret: string, offsetSteps = 0) => totpCode(secret, totpStep(clock.now().getTime()) + offsetSteps);

  /** Signs in with the password: a pending session (second factor due). */
  async function pending(u: TestUser): Promise<TestSession> {
    const res = await login(u);
    expect(res.statusCode).toBe(200);
    expect(body<{ mfaRequired?: boolean }>(res).mfaRequired).toBe(true);
    return stepSession(res);
  }

  it('enrols from a restricted first session: base32 secret, otpauth:// URL and QR code; confirm gives recovery codes once', async () => {
    const first = await login(carol);
    expect(first.statusCode).toBe(200);
    const setup = body<{ setupRequired: string[]; mfaMethods: string[] }>(first);
    expect(setup.setupRequired).toEqual(['mfa-enrolment']);
    expect(setup.mfaMethods).toEqual(['totp', 'webauthn']);
    const restricted = stepSession(first);

    const started = await post('/me/mfa/totp', restricted);
    expect(started.statusCode).toBe(200);
    const e = body<Enrolment>(started);
    carolSecret = e.secret;
    expect(e.secret).toMatch(/^[A-Z2-7]{32}$/); // 160 bits, RFC 4648 base32
    const url = new URL(e.otpauthUrl);
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      issuer: 'Separ',
      secret: e.secret,
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
    expect(decodeURIComponent(url.pathname)).toBe(`/Separ:${carol.email}`);
    expect(e.qrCode).toBe(await QRCode.toDataURL(e.otpauthUrl, { errorCorrectionLevel: 'M', margin: 2 }));

    const wrong = await post('/me/mfa/totp/confirm', restricted, { code: code(e.secret, 5) });
    expect(wrong.statusCode).toBe(400);
    const ok = await post('/me/mfa/totp/confirm', restricted, { code: code(e.secret) });
    expect(ok.statusCode).toBe(200);
    const confirmed = body<{ recoveryCodes: string[]; csrfToken: string; setupRequired: string[] }>(ok);
    expect(confirmed.recoveryCodes).toHaveLength(10);
    expect(confirmed.setupRequired).toEqual([]);
    for (const c of confirmed.recoveryCodes) expect(c).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    // The session became a full one with a new id; the restricted cookie is dead.
    const full = stepSession(ok, restricted);
    expect(full.cookie).not.toBe(restricted.cookie);
    expect((await get('/me', restricted)).statusCode).toBe(401);
    expect((await get('/contacts', full)).statusCode).toBe(200);
  });

  it('never lets the TOTP secret be read back: not by any API, not in clear in the database, not in events', async () => {
    const s = await pending(carol);
    clock.advance(30_000);
    const done = await post('/auth/mfa/totp', s, { code: code(carolSecret) });
    expect(done.statusCode).toBe(200);
    const full = stepSession(done, s);
    const status = await get('/me/mfa', full);
    expect(status.statusCode).toBe(200);
    expect(body<{ totp: { enrolled: boolean } }>(status).totp.enrolled).toBe(true);
    for (const path of ['/me/mfa', '/me', '/auth/session', '/me/sessions']) {
      const res = await get(path, full);
      expect(res.body, path).not.toContain(carolSecret);
    }
    const byToken = await h.app.inject({ method: 'GET', url: `${API}/me/mfa`, headers: carol.headers });
    expect(byToken.statusCode).toBe(403);
    const rows = await h.rt.db.kysely.selectFrom('mfa_totp').selectAll().where('user_id', '=', carol.userId).execute();
    expect(rows).toHaveLength(1);
    // sealed under the key hierarchy (keyring or HSM root), not under a key kept in the database
    expect(rows[0]?.secret_sealed).toMatch(/^sk1\.[A-Za-z0-9+/=]+$/);
    expect(JSON.stringify(rows)).not.toContain(carolSecret);
    expect(JSON.stringify(events)).not.toContain(carolSecret);
  });

  it('accepts each code once: a replayed code, or an older one after a newer, is refused', async () => {
    clock.advance(60_000);
    const current = code(carolSecret);
    const a = await pending(carol);
    expect((await post('/auth/mfa/totp', a, { code: current })).statusCode).toBe(200);

    const b = await pending(carol);
    const replay = await post('/auth/mfa/totp', b, { code: current });
    expect(replay.statusCode).toBe(401);
    expect(problem(replay).code).toBe('SEPAR_ERR_INVALID_CREDENTIALS');
    // The previous step's code is inside the ±1 window but older than the one used: refused too.
    const older = await post('/auth/mfa/totp', b, { code: code(carolSecret, -1) });
    expect(older.statusCode).toBe(401);
    // The next step's code (clock skew +30 s) is accepted, once.
    const next = await post('/auth/mfa/totp', b, { code: code(carolSecret, 1) });
    expect(next.statusCode).toBe(200);
    expect(
      events.some((e) => e.type === 'auth.mfa' && e.outcome === 'failure' && e.detail?.reason === 'replayed'),
    ).toBe(true);
  });

  it('accepts ±1 time step of drift and nothing beyond', async () => {
    clock.advance(5 * 60_000);
    const s = await pending(carol);
    expect((await post('/auth/mfa/totp', s, { code: code(carolSecret, -2) })).statusCode).toBe(401);
    expect((await post('/auth/mfa/totp', s, { code: code(carolSecret, 2) })).statusCode).toBe(401);
    expect((await post('/auth/mfa/totp', s, { code: code(carolSecret, -1) })).statusCode).toBe(200);
  });

  it('works with an independent RFC 6238 client (Debian oathtool)', async () => {
    // .ci/run installs oathtool; without it this proof is missing, so the test fails rather than skips
    if (!oathtool) throw new Error('oathtool is not installed (apt-get install oathtool)');
    clock.advance(10 * 60_000);
    const now = clock
      .now()
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' UTC');
    const r = spawnSync(
      'oathtool',
      ['--totp', '--base32', '--digits=6', '--time-step-size=30s', `--now=${now}`, carolSecret],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const fromOathtool = r.stdout.trim();
    expect(fromOathtool).toMatch(/^\d{6}$/);
    expect(fromOathtool).toBe(code(carolSecret));
    const s = await pending(carol);
    expect((await post('/auth/mfa/totp', s, { code: fromOathtool })).statusCode).toBe(200);
  });

  it('keeps a pending session away from everything but the second factor', async () => {
    clock.advance(60_000);
    const s = await pending(carol);
    const attempts: [string, string, Record<string, unknown>?][] = [
      ['GET', '/me'],
      ['GET', '/contacts'],
      ['GET', '/me/sessions'],
      ['GET', '/me/mfa'],
      ['GET', '/me/tokens'],
      ['POST', '/me/tokens', { name: 'escape hatch' }],
      ['POST', '/me/mfa/totp'],
      ['POST', '/me/password', { currentPassword: carol.password, newPassword: 'another long passphrase 7' }],
      ['POST', '/contacts', { firstName: 'Eve', lastName: 'Pending' }],
      ['GET', '/users'],
      ['DELETE', '/me/sessions?all=true'],
      ['POST', '/auth/step-up/totp', { code: code(carolSecret) }],
    ];
    for (const [method, url, payload] of attempts) {
      const res = await h.app.inject({
        method: method as 'GET',
        url: `${API}${url}`,
        headers: sessionHeaders(s),
        ...(payload ? { payload } : {}),
      });
      expect([method, url, res.statusCode]).toEqual([method, url, 401]);
      expect(problem(res).code).toBe('SEPAR_ERR_MFA_REQUIRED');
    }
    const state = await get('/auth/session', s);
    expect(body<{ kind: string; methods: string[] }>(state)).toMatchObject({
      kind: 'pending',
      methods: ['totp', 'recovery'],
    });
    // Still completes afterwards.
    expect((await post('/auth/mfa/totp', s, { code: code(carolSecret) })).statusCode).toBe(200);
  });

  it('ends a pending session after five wrong codes; the password must be given again', async () => {
    clock.advance(60_000);
    const s = await pending(carol);
    const wrong = (n: number) => String((Number(code(carolSecret)) + 1 + n) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 4; i++) expect((await post('/auth/mfa/totp', s, { code: wrong(i) })).statusCode).toBe(401);
    const fifth = await post('/auth/mfa/totp', s, { code: wrong(4) });
    expect(fifth.statusCode).toBe(401);
    expect(problem(fifth).code).toBe('SEPAR_ERR_UNAUTHENTICATED');
    const afterwards = await post('/auth/mfa/totp', s, { code: code(carolSecret) });
    expect(afterwards.statusCode).toBe(401);
    expect(events.some((e) => e.type === 'session.end' && e.detail?.reason === 'mfa-failures')).toBe(true);
  });

  it('locks the second factor after ten failures from unknown devices (429), without leaking the right code', async () => {
    clock.advance(60_000);
    const dave = await createUserWithToken(h, { roles: ['support'] });
    const first = stepSession(await login(dave));
    const secret = body<Enrolment>(await post('/me/mfa/totp', first)).secret;
    expect((await post('/me/mfa/totp/confirm', first, { code: code(secret) })).statusCode).toBe(200);
    const wrong = String((Number(code(secret, 3)) + 7) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 10; i++) {
      const s = await pending(dave);
      const res = await post('/auth/mfa/totp', s, { code: wrong });
      expect(res.statusCode).toBe(401);
    }
    clock.advance(30_000);
    const s = await pending(dave);
    const locked = await post('/auth/mfa/totp', s, { code: code(secret) });
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(60);
    expect(events.some((e) => e.type === 'auth.lockout' && e.target?.id === dave.userId)).toBe(true);
    clock.advance(31 * 60_000);
    const later = await pending(dave);
    expect((await post('/auth/mfa/totp', later, { code: code(secret) })).statusCode).toBe(200);
  });

  it('keeps authenticator apps away from roles whose policy requires passkeys', async () => {
    const officer = await createUserWithToken(h, { roles: ['security-officer'] });
    const res = await login(officer);
    expect(body<{ mfaMethods: string[]; setupRequired: string[] }>(res)).toMatchObject({
      mfaMethods: ['webauthn'],
      setupRequired: ['mfa-enrolment'],
    });
    const s = stepSession(res);
    const attempt = await post('/me/mfa/totp', s);
    expect(attempt.statusCode).toBe(403);
    // A restricted session can reach nothing else.
    const contacts = await get('/contacts', s);
    expect(contacts.statusCode).toBe(403);
    expect(problem(contacts).code).toBe('SEPAR_ERR_ACCOUNT_SETUP_REQUIRED');
  });
});
