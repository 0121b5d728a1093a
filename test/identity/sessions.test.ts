import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { testDialects } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken, loginSession, type TestSession, type TestUser } from '../support/identity.js';
import { API, body, HOUR, MINUTE, problem, sessionHeaders } from './helpers.js';

const dialects = await testDialects();

interface SessionItem {
  id: string;
  kind: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

describe.each(dialects)('session lifetime and control (%s)', (dialect) => {
  const clock = new ManualClock('2026-03-01T08:00:00.000Z');
  let h: Harness;
  let admin: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    h = await startHarness(dialect, { clock });
    admin = await createUserWithToken(h, { roles: ['admin'] });
    bob = await createUserWithToken(h, { roles: ['sales-rep'] });
  });
  afterAll(async () => {
    await h?.close();
  });

  const me = (s: TestSession) => h.app.inject({ method: 'GET', url: `${API}/me`, headers: { cookie: s.cookie } });
  const lastSeen = async (s: TestSession): Promise<string> => {
    const res = await h.app.inject({ method: 'GET', url: `${API}/me/sessions`, headers: { cookie: s.cookie } });
    const current = body<{ items: SessionItem[] }>(res).items.find((i) => i.current);
    return current?.lastSeenAt ?? '';
  };

  it('ends a session after 15 idle minutes, measured from the last request', async () => {
    const s = await loginSession(h, bob.email, bob.password);
    clock.advance(14 * MINUTE);
    expect((await me(s)).statusCode).toBe(200);
    clock.advance(14 * MINUTE);
    expect((await me(s)).statusCode).toBe(200);
    clock.advance(15 * MINUTE);
    const res = await me(s);
    expect(res.statusCode).toBe(401);
    expect(problem(res).code).toBe('SEPAR_ERR_UNAUTHENTICATED');
    // Activity after expiry does not revive it.
    clock.advance(1000);
    expect((await me(s)).statusCode).toBe(401);
  });

  it('ends an active session 12 hours after it started', async () => {
    const s = await loginSession(h, bob.email, bob.password);
    for (let elapsed = 10 * MINUTE; elapsed < 12 * HOUR; elapsed += 10 * MINUTE) {
      clock.advance(10 * MINUTE);
      expect((await me(s)).statusCode).toBe(200);
    }
    clock.advance(10 * MINUTE);
    expect((await me(s)).statusCode).toBe(401);
  });

  it('writes last-seen at most every 30 seconds', async () => {
    const s = await loginSession(h, bob.email, bob.password);
    const start = await lastSeen(s);
    clock.advance(10_000);
    expect(await lastSeen(s)).toBe(start);
    clock.advance(25_000);
    const later = await lastSeen(s);
    expect(Date.parse(later)).toBe(Date.parse(start) + 35_000);
  });

  it('lists your live sessions and lets you end one of them, or all others', async () => {
    await h.app.inject({ method: 'DELETE', url: `${API}/me/sessions?all=true`, headers: bob.headers });
    const a = await loginSession(h, bob.email, bob.password);
    const b = await loginSession(h, bob.email, bob.password);
    const c = await loginSession(h, bob.email, bob.password);
    const list = await h.app.inject({ method: 'GET', url: `${API}/me/sessions`, headers: { cookie: a.cookie } });
    expect(list.statusCode).toBe(200);
    const items = body<{ items: SessionItem[] }>(list).items;
    expect(items).toHaveLength(3);
    expect(items.filter((i) => i.current)).toHaveLength(1);
    for (const i of items) {
      expect(Object.keys(i).sort()).toEqual([
        'authenticatedAt',
        'createdAt',
        'current',
        'device',
        'id',
        'ip',
        'kind',
        'lastSeenAt',
        'userAgent',
      ]);
      expect(i.kind).toBe('full');
      expect(i.id).toMatch(/^[0-9a-f]{16}$/);
      expect(a.cookie).not.toContain(i.id);
    }
    const other = items.find((i) => !i.current);
    expect(other).toBeDefined();

    const del = await h.app.inject({
      method: 'DELETE',
      url: `${API}/me/sessions/${other?.id ?? ''}`,
      headers: sessionHeaders(a),
    });
    expect(del.statusCode).toBe(204);
    const alive = [await me(a), await me(b), await me(c)].map((r) => r.statusCode);
    expect(alive.filter((s) => s === 401)).toHaveLength(1);
    expect(alive[0]).toBe(200);

    const rest = await h.app.inject({ method: 'DELETE', url: `${API}/me/sessions`, headers: sessionHeaders(a) });
    expect(rest.statusCode).toBe(204);
    expect([(await me(a)).statusCode, (await me(b)).statusCode, (await me(c)).statusCode]).toEqual([200, 401, 401]);

    const all = await h.app.inject({
      method: 'DELETE',
      url: `${API}/me/sessions?all=true`,
      headers: sessionHeaders(a),
    });
    expect(all.statusCode).toBe(204);
    expect((await me(a)).statusCode).toBe(401);
  });

  it("answers 404 for another user's session id and for malformed ids", async () => {
    const adminSession = await loginSession(h, admin.email, admin.password);
    const adminList = await h.app.inject({
      method: 'GET',
      url: `${API}/me/sessions`,
      headers: { cookie: adminSession.cookie },
    });
    const adminSessionId = body<{ items: SessionItem[] }>(adminList).items[0]?.id ?? '';
    const res = await h.app.inject({
      method: 'DELETE',
      url: `${API}/me/sessions/${adminSessionId}`,
      headers: bob.headers,
    });
    expect(res.statusCode).toBe(404);
    expect((await me(adminSession)).statusCode).toBe(200);

    const bad = await h.app.inject({
      method: 'DELETE',
      url: `${API}/me/sessions/'%20or%201=1--`,
      headers: bob.headers,
    });
    expect(bad.statusCode).toBe(400);
  });

  it('lets an administrator see and end anyone’s sessions, but not a non-admin', async () => {
    const s = await loginSession(h, bob.email, bob.password);
    const list = await h.app.inject({
      method: 'GET',
      url: `${API}/users/${bob.userId}/sessions`,
      headers: admin.headers,
    });
    expect(list.statusCode).toBe(200);
    expect(body<{ items: SessionItem[] }>(list).items.length).toBeGreaterThan(0);

    const peek = await h.app.inject({
      method: 'GET',
      url: `${API}/users/${admin.userId}/sessions`,
      headers: bob.headers,
    });
    expect(peek.statusCode).toBe(403);
    const kill = await h.app.inject({
      method: 'DELETE',
      url: `${API}/users/${admin.userId}/sessions`,
      headers: bob.headers,
    });
    expect(kill.statusCode).toBe(403);

    const end = await h.app.inject({
      method: 'DELETE',
      url: `${API}/users/${bob.userId}/sessions`,
      headers: admin.headers,
    });
    expect(end.statusCode).toBe(204);
    expect((await me(s)).statusCode).toBe(401);
  });

  it("disabling a user ends their sessions and their tokens' effect; a role change ends sessions", async () => {
    const carol = await createUserWithToken(h, { roles: ['support'] });
    const s = await loginSession(h, carol.email, carol.password);
    const patch = (payload: Record<string, unknown>) =>
      h.app.inject({ method: 'PATCH', url: `${API}/users/${carol.userId}`, headers: admin.headers, payload });

    const roles = await patch({ roles: ['support', 'read-only'], version: 1 });
    expect(roles.statusCode).toBe(200);
    expect((await me(s)).statusCode).toBe(401);
    const byToken = await h.app.inject({ method: 'GET', url: `${API}/me`, headers: carol.headers });
    expect(body<{ roles: string[] }>(byToken).roles).toEqual(['read-only', 'support']);

    const s2 = await loginSession(h, carol.email, carol.password);
    const disabled = await patch({ status: 'disabled', version: 2 });
    expect(disabled.statusCode).toBe(200);
    expect((await me(s2)).statusCode).toBe(401);
    const tokenAfter = await h.app.inject({ method: 'GET', url: `${API}/me`, headers: carol.headers });
    expect(tokenAfter.statusCode).toBe(401);
    const loginAfter = await h.app.inject({
      method: 'POST',
      url: `${API}/auth/login`,
      payload: { email: carol.email, password: carol.password },
    });
    expect(loginAfter.statusCode).toBe(401);

    const rows = await h.rt.db.kysely
      .selectFrom('sessions')
      .select(['revoked_at', 'revoke_reason'])
      .where('user_id', '=', carol.userId)
      .execute();
    expect(rows.every((r) => r.revoked_at !== null)).toBe(true);
    // Sessions that completed a step were rotated (new id) on the way; the live ones ended for these reasons.
    expect(new Set(rows.map((r) => r.revoke_reason).filter((r) => r !== 'rotated'))).toEqual(
      new Set(['roles-changed', 'user-disabled']),
    );
  });
});
