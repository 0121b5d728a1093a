import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import type { SeparEvent } from '../../src/platform/events.js';
import { totpCode, totpStep } from '../../src/security/identity/index.js';
import { testDialects } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken, type TestSession, type TestUser } from '../support/identity.js';
import { API, body, problem, sessionHeaders, stepSession } from './helpers.js';

const dialects = await testDialects();

describe.each(dialects)('recovery codes (%s)', (dialect) => {
  const clock = new ManualClock('2026-06-01T10:00:00.000Z');
  let h: Harness;
  let user: TestUser;
  let secret = '';
  let codes: string[] = [];
  const events: SeparEvent[] = [];

  beforeAll(async () => {
    h = await startHarness(dialect, { clock });
    h.rt.bus.subscribe((e) => {
      events.push(e);
    });
    user = await createUserWithToken(h, { roles: ['sales-rep'] });
    const restricted = stepSession(await login());
    secret = body<{ secret: string }>(await post('/me/mfa/totp', restricted)).secret;
    const confirmed = await post('/me/mfa/totp/confirm', restricted, { code: code() });
    codes = body<{ recoveryCodes: string[] }>(confirmed).recoveryCodes;
  });
  afterAll(async () => h?.close());

  function post(url: string, s: TestSession | null, payload?: Record<string, unknown>) {
    return h.app.inject({ method: 'POST', url: `${API}${url}`, headers: s ? sessionHeaders(s) : {}, payload });
  }
  function login() {
    return post('/auth/login', null, { email: user.email, password: user.password });
  }
  function code() {
    return totpCode(secret, totpStep(clock.now().getTime()));
  }

  it('issues ten distinct codes once, and keeps only their hashes', async () => {
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const rows = await h.rt.db.kysely
      .selectFrom('recovery_codes')
      .selectAll()
      .where('user_id', '=', user.userId)
      .execute();
    expect(rows).toHaveLength(10);
    const stored = JSON.stringify(rows);
    for (const c of codes) {
      expect(stored).not.toContain(c);
      expect(stored).not.toContain(c.replace(/-/g, ''));
    }
    for (const r of rows) expect(r.code_hash).toMatch(/^[0-9a-f]{64}$/);
    // Never shown again.
    const s = stepSession(await login());
    const done = await post('/auth/mfa/recovery', s, { code: codes[9] ?? '' });
    const full = stepSession(done, s);
    const status = await h.app.inject({ method: 'GET', url: `${API}/me/mfa`, headers: { cookie: full.cookie } });
    expect(body<{ recoveryCodes: unknown }>(status).recoveryCodes).toMatchObject({ total: 10, remaining: 9 });
    for (const c of codes) expect(status.body).not.toContain(c);
  });

  it('accepts a code once, in any case and spacing; a reused code is refused', async () => {
    const first = stepSession(await login());
    const typed = ` ${(codes[0] ?? '').toLowerCase().replace(/-/g, ' ')} `;
    const ok = await post('/auth/mfa/recovery', first, { code: typed });
    expect(ok.statusCode).toBe(200);
    expect(events.some((e) => e.type === 'mfa.recovery.use' && e.detail?.remaining === 8)).toBe(true);

    const second = stepSession(await login());
    const reused = await post('/auth/mfa/recovery', second, { code: codes[0] ?? '' });
    expect(reused.statusCode).toBe(401);
    expect(problem(reused).code).toBe('SEPAR_ERR_INVALID_CREDENTIALS');
    const other = await post('/auth/mfa/recovery', second, { code: codes[1] ?? '' });
    expect(other.statusCode).toBe(200);
  });

  it("does not accept another user's code", async () => {
    const mallory = await createUserWithToken(h, { roles: ['sales-rep'] });
    const r = stepSession(await post('/auth/login', null, { email: mallory.email, password: mallory.password }));
    const mSecret = body<{ secret: string }>(await post('/me/mfa/totp', r)).secret;
    const confirmed = await post('/me/mfa/totp/confirm', r, {
      code: totpCode(mSecret, totpStep(clock.now().getTime())),
    });
    const malloryCodes = body<{ recoveryCodes: string[] }>(confirmed).recoveryCodes;
    const s = stepSession(await login());
    expect((await post('/auth/mfa/recovery', s, { code: malloryCodes[0] ?? '' })).statusCode).toBe(401);
  });

  it('regenerates on request (with a recent sign-in): the old codes stop working, other sessions end', async () => {
    clock.advance(60_000);
    const s = stepSession(await login());
    const full = stepSession(await post('/auth/mfa/totp', s, { code: code() }), s);
    const elsewhere = stepSession(await login());
    const regenerated = await post('/me/mfa/recovery-codes', full);
    expect(regenerated.statusCode).toBe(200);
    const fresh = body<{ recoveryCodes: string[] }>(regenerated).recoveryCodes;
    expect(fresh).toHaveLength(10);
    expect(fresh.some((c) => codes.includes(c))).toBe(false);
    // The pending session elsewhere ended with the MFA change.
    expect((await post('/auth/mfa/recovery', elsewhere, { code: fresh[0] ?? '' })).statusCode).toBe(401);
    const next = stepSession(await login());
    expect((await post('/auth/mfa/recovery', next, { code: codes[2] ?? '' })).statusCode).toBe(401);
    expect((await post('/auth/mfa/recovery', next, { code: fresh[0] ?? '' })).statusCode).toBe(200);

    // Six minutes later the same request needs a step-up first.
    clock.advance(6 * 60_000);
    const later = await post('/me/mfa/recovery-codes', full);
    expect(later.statusCode).toBe(401);
    expect(problem(later).code).toBe('SEPAR_ERR_STEP_UP_REQUIRED');
  });
});
