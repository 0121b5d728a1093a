import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import type { SeparEvent } from '../../src/platform/events.js';
import { buildHttpApp, createRuntime } from '../../src/runtime/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { testDialects } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { browserFor, createUserWithToken, loginSession, strongPassword, type TestUser } from '../support/identity.js';
import { API, body, DEVICE_COOKIE_NAME, problem, setCookies } from './helpers.js';

const dialects = await testDialects();
const MINUTE = 60_000;

async function redisReachable(): Promise<boolean> {
  const probe = new Redis('redis://127.0.0.1:6379', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 500,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}
const redis = await redisReachable();
if (!redis && process.env.CI === 'true') throw new Error('Redis is required in CI at 127.0.0.1:6379');

/** What an attacker can observe of a failed sign-in: everything but the request id. */
function shape(res: LightMyRequestResponse) {
  const { requestId: _ignored, ...rest } = problem(res) as unknown as Record<string, unknown>;
  const headers = { ...res.headers };
  delete headers.date;
  delete headers['content-length'];
  return { status: res.statusCode, headers, body: rest };
}

const stores = ['memory', ...(redis ? (['redis'] as const) : [])] as const;

describe.each(dialects.flatMap((d) => stores.map((s) => [d, s] as const)))(
  'lockout that spares the owner (%s, %s store)',
  (dialect, store) => {
    const clock = new ManualClock('2026-07-01T08:00:00.000Z');
    const prefix = `separ-test:${randomBytes(4).toString('hex')}:`;
    const env: Record<string, string> =
      store === 'redis' ? { REDIS_URL: 'redis://127.0.0.1:6379', SEPAR_REDIS_KEY_PREFIX: prefix } : {};
    let h: Harness;
    let victim: TestUser;
    const events: SeparEvent[] = [];

    beforeAll(async () => {
      h = await startHarness(dialect, { clock, env });
      h.rt.bus.subscribe((e) => {
        events.push(e);
      });
      victim = await createUserWithToken(h, { roles: ['sales-rep'] });
      // The owner has signed in from their own browser before: it holds a signed device cookie.
      await loginSession(h, victim.email, victim.password);
    });
    afterAll(async () => {
      await h?.close();
      if (store === 'redis') {
        const r = new Redis('redis://127.0.0.1:6379');
        const keys = await r.keys(`${prefix}*`);
        if (keys.length > 0) await r.del(...keys);
        r.disconnect();
      }
    });

    const login = (email: string, password: string, cookie?: string) =>
      h.app.inject({
        method: 'POST',
        url: `${API}/auth/login`,
        payload: { email, password },
        headers: cookie ? { cookie } : {},
      });
    const ownerDevice = (): string => browserFor(h, victim.email).deviceCookie ?? '';

    it('locks unknown devices out after 10 consecutive failures while the owner’s known device still signs in', async () => {
      expect(ownerDevice()).toMatch(/^__Host-separ_device=d1\./);
      for (let i = 0; i < 10; i++) {
        expect((await login(victim.email, `guess-${i}-${strongPassword()}`)).statusCode).toBe(401);
      }
      // Even the right password is refused from a new device now (an attacker who phished it later, say).
      const attacker = await login(victim.email, victim.password);
      expect(attacker.statusCode).toBe(401);
      expect(setCookies(attacker)).toEqual([]);
      // The owner, from the browser that signed in before, is not locked out.
      const owner = await login(victim.email, victim.password, ownerDevice());
      expect(owner.statusCode).toBe(200);
      expect(body<{ mfaRequired: boolean }>(owner).mfaRequired).toBe(true);
      const lockout = events.find((e) => e.type === 'auth.lockout' && e.target?.id === victim.userId);
      expect(lockout?.detail).toMatchObject({ scope: 'unknown-devices', minutes: 30 });
      expect(lockout?.context.ip).toBe('127.0.0.1');
    });

    it('gives unknown user, wrong password and locked account the same status, headers, body and work', async () => {
      const verifications = () => h.rt.identity.passwords.stats.verifications;
      const answers: LightMyRequestResponse[] = [];
      const work: number[] = [];
      for (const [email, password] of [
        ['nobody-here@example.test', strongPassword()],
        [victim.email, strongPassword()],
        [victim.email, victim.password], // locked (right password, unknown device)
      ] as const) {
        const before = verifications();
        answers.push(await login(email, password));
        work.push(verifications() - before);
      }
      expect(work).toEqual([1, 1, 1]);
      const shapes = answers.map(shape);
      expect(shapes[0]?.status).toBe(401);
      expect(shapes[1]).toEqual(shapes[0]);
      expect(shapes[2]).toEqual(shapes[0]);
      expect(shapes[0]?.body).toMatchObject({
        code: 'SEPAR_ERR_INVALID_CREDENTIALS',
        detail: 'Email or password is incorrect.',
      });
      const reasons = events
        .filter((e) => e.type === 'auth.login' && e.outcome === 'failure')
        .map((e) => e.detail?.reason);
      expect(reasons).toEqual(expect.arrayContaining(['unknown-user', 'wrong-password', 'locked']));
    });

    it('does not let a forged, edited or borrowed device cookie stand in for the owner’s', async () => {
      const forged = `${DEVICE_COOKIE_NAME}=d1.${randomBytes(16).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
      const [, value = ''] = ownerDevice().split('=');
      const edited = `${DEVICE_COOKIE_NAME}=${value.slice(0, -2)}${value.endsWith('AA') ? 'BB' : 'AA'}`;
      // The attacker's own account gives them a valid device cookie — valid, but not known for the victim.
      const mallory = await createUserWithToken(h, { roles: ['sales-rep'] });
      await loginSession(h, mallory.email, mallory.password);
      const borrowed = browserFor(h, mallory.email).deviceCookie ?? '';
      for (const cookie of [forged, edited, borrowed]) {
        expect((await login(victim.email, victim.password, cookie)).statusCode).toBe(401);
      }
    });

    it('gives the known device its own, stricter counter: after 5 failures it is treated as unknown', async () => {
      for (let i = 0; i < 5; i++) {
        expect((await login(victim.email, `typo-${i}-${strongPassword()}`, ownerDevice())).statusCode).toBe(401);
      }
      expect((await login(victim.email, victim.password, ownerDevice())).statusCode).toBe(401);
      expect(events.some((e) => e.type === 'auth.lockout' && e.detail?.scope === 'known-device')).toBe(true);
    });

    it('lifts the lock after 30 minutes', async () => {
      clock.advance(29 * MINUTE);
      expect((await login(victim.email, victim.password)).statusCode).toBe(401);
      clock.advance(2 * MINUTE);
      expect((await login(victim.email, victim.password)).statusCode).toBe(200);
      expect((await login(victim.email, victim.password, ownerDevice())).statusCode).toBe(200);
    });

    if (store === 'redis') {
      it('shares the lock across instances through Redis', async () => {
        const other = await createUserWithToken(h, { roles: ['support'] });
        for (let i = 0; i < 10; i++) await login(other.email, strongPassword());
        const rt2 = await createRuntime(h.config, { clock, logger: createLogger('silent') });
        const app2 = await buildHttpApp(rt2);
        try {
          const res = await app2.inject({
            method: 'POST',
            url: `${API}/auth/login`,
            payload: { email: other.email, password: other.password },
          });
          expect(res.statusCode).toBe(401);
        } finally {
          await app2.close();
          await rt2.close();
        }
      });
    }
  },
);

describe('login rate limits per IP and for the whole server', () => {
  let h: Harness;
  let user: TestUser;

  beforeAll(async () => {
    h = await startHarness('sqlite', { env: { SEPAR_LOGIN_RATE_PER_IP: '5', SEPAR_LOGIN_RATE_GLOBAL: '12' } });
    user = await createUserWithToken(h, { roles: ['support'] });
  });
  afterAll(async () => h?.close());

  const login = (remoteAddress: string, password: string) =>
    h.app.inject({ method: 'POST', url: `${API}/auth/login`, payload: { email: user.email, password }, remoteAddress });

  it('answers 429 with Retry-After once an address spends its budget, before any password is hashed', async () => {
    for (let i = 0; i < 5; i++) expect((await login('198.51.100.7', strongPassword())).statusCode).toBe(401);
    const before = h.rt.identity.passwords.stats.verifications;
    const limited = await login('198.51.100.7', user.password);
    expect(limited.statusCode).toBe(429);
    expect(problem(limited).code).toBe('SEPAR_ERR_RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(h.rt.identity.passwords.stats.verifications).toBe(before);
    // Another address is unaffected.
    expect((await login('198.51.100.8', user.password)).statusCode).toBe(200);
  });

  it('caps sign-in attempts for the whole server, whatever the address', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 12; i++) answers.push((await login(`203.0.113.${i + 1}`, strongPassword())).statusCode);
    expect(answers).toContain(429);
    expect(answers.filter((s) => s === 401).length).toBeLessThanOrEqual(12 - 6);
  });
});
