import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import type { SeparEvent } from '../../src/platform/events.js';
import { totpCode, totpStep } from '../../src/security/identity/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken, strongPassword, type TestSession, type TestUser } from '../support/identity.js';
import { API, body, cookieOf, DEVICE_COOKIE_NAME, MINUTE, sessionHeaders, stepSession } from './helpers.js';

const UA = 'EventsTest/1.0 (X11; Linux x86_64)';

/**
 * Every authentication event reaches the bus with who, where (IP, user agent), what, outcome and when — and
 * never a secret: passwords, TOTP seeds or codes, recovery codes, session, CSRF or device tokens.
 */
describe('authentication events on the bus', () => {
  const clock = new ManualClock('2026-10-05T06:00:00.000Z');
  let h: Harness;
  let user: TestUser;
  const events: SeparEvent[] = [];
  const secrets: string[] = [];

  beforeAll(async () => {
    h = await startHarness('sqlite', { clock });
    h.rt.bus.subscribe((e) => {
      events.push(e);
    });
    user = await createUserWithToken(h, { roles: ['sales-rep'] });
    secrets.push(user.password, user.token);
  });
  afterAll(async () => h?.close());

  const post = (
    url: string,
    s: TestSession | null,
    payload?: Record<string, unknown>,
    extra: Record<string, string> = {},
  ) =>
    h.app.inject({
      method: 'POST',
      url: `${API}${url}`,
      headers: {
        'user-agent': UA,
        ...(s ? sessionHeaders(s) : {}),
        cookie: [s?.cookie, extra.cookie].filter((c) => c !== undefined).join('; '),
      },
      remoteAddress: '192.0.2.10',
      payload,
    });

  it('records the whole life of a sign-in', async () => {
    // Failure, lockout.
    for (let i = 0; i < 10; i++) await post('/auth/login', null, { email: user.email, password: strongPassword() });
    clock.advance(31 * MINUTE);
    // Success → restricted → TOTP enrolment → full.
    const first = await post('/auth/login', null, { email: user.email, password: user.password });
    const restricted = stepSession(first);
    const enrol = await post('/me/mfa/totp', restricted);
    const secret = body<{ secret: string }>(enrol).secret;
    const code = () => totpCode(secret, totpStep(clock.now().getTime()));
    const confirmed = await post('/me/mfa/totp/confirm', restricted, { code: code() });
    const codes = body<{ recoveryCodes: string[] }>(confirmed).recoveryCodes;
    const full = stepSession(confirmed, restricted);
    const device = cookieOf(confirmed, DEVICE_COOKIE_NAME) ?? '';
    secrets.push(secret, ...codes, full.cookie.split('=')[1] ?? '', full.csrfToken, device.split('=')[1] ?? '');
    // Wrong and right second factor, recovery code, step-up, session end, logout.
    clock.advance(MINUTE);
    const pending = stepSession(await post('/auth/login', null, { email: user.email, password: user.password }));
    await post('/auth/mfa/totp', pending, { code: String((Number(code()) + 1) % 1_000_000).padStart(6, '0') });
    await post('/auth/mfa/totp', pending, { code: code() });
    const viaRecovery = stepSession(await post('/auth/login', null, { email: user.email, password: user.password }));
    const recovered = stepSession(await post('/auth/mfa/recovery', viaRecovery, { code: codes[0] ?? '' }), viaRecovery);
    clock.advance(6 * MINUTE);
    await post('/auth/step-up/totp', recovered, { code: code() });
    await h.app.inject({
      method: 'DELETE',
      url: `${API}/me/sessions`,
      headers: { ...sessionHeaders(full), 'user-agent': UA },
      remoteAddress: '192.0.2.10',
    });
    clock.advance(20 * MINUTE);
    await h.app.inject({
      method: 'GET',
      url: `${API}/me`,
      headers: { cookie: full.cookie, 'user-agent': UA },
      remoteAddress: '192.0.2.10',
    });
    const last = stepSession(
      await post('/auth/login', null, { email: user.email, password: user.password }, { cookie: device }),
    );
    clock.advance(MINUTE);
    const done = stepSession(await post('/auth/mfa/totp', last, { code: code() }, { cookie: device }), last);
    await post('/auth/logout', done);

    const seen = (type: string, outcome: 'success' | 'failure') =>
      events.find((e) => e.type === type && e.outcome === outcome);
    const expected: [string, 'success' | 'failure'][] = [
      ['auth.login', 'failure'],
      ['auth.lockout', 'success'],
      ['auth.login', 'success'],
      ['mfa.enrol', 'success'],
      ['auth.session.start', 'success'],
      ['auth.mfa', 'failure'],
      ['auth.mfa', 'success'],
      ['mfa.recovery.use', 'success'],
      ['auth.step-up', 'success'],
      ['session.revoke', 'success'],
      ['session.end', 'success'],
      ['auth.logout', 'success'],
    ];
    for (const [type, outcome] of expected) {
      const e = seen(type, outcome);
      expect(e, `${type} ${outcome}`).toBeDefined();
      expect(e?.context.ip, type).toBe('192.0.2.10');
      expect(e?.context.userAgent, type).toBe(UA);
      expect(e?.at, type).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(e?.target?.id ?? e?.context.actorId, type).toBeTruthy();
    }
    expect(seen('auth.login', 'failure')?.detail).toMatchObject({ reason: 'wrong-password' });
    expect(seen('auth.mfa', 'failure')?.detail).toMatchObject({ method: 'totp', reason: 'wrong' });
    expect(seen('session.end', 'success')?.detail).toMatchObject({ reason: 'idle-timeout' });

    const all = JSON.stringify(events);
    for (const s of secrets) {
      expect(s.length).toBeGreaterThan(5);
      expect(all).not.toContain(s);
    }
    expect(all).not.toMatch(/"code"\s*:/);
  });
});
