import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken, loginSession, strongPassword, type TestUser } from '../support/identity.js';
import { API, body, problem, sessionHeaders } from './helpers.js';

const dialects = await testDialects();
const VIEW_KEYS = ['createdAt', 'email', 'id', 'lastLoginAt', 'name', 'roles', 'status', 'updatedAt', 'version'];

interface UserView {
  id: string;
  email: string;
  name: string;
  roles: string[];
  status: string;
  version: number;
}

describe.each(dialects)('user management (%s)', (dialect) => {
  let h: Harness;
  let admin: TestUser;
  let rep: TestUser;

  beforeAll(async () => {
    h = await startHarness(dialect);
    admin = await createUserWithToken(h, { roles: ['admin'] });
    rep = await createUserWithToken(h, { roles: ['sales-rep'] });
  });
  afterAll(async () => {
    await h?.close();
  });

  const createUser = (payload: Record<string, unknown>, headers: Record<string, string> = admin.headers) =>
    h.app.inject({ method: 'POST', url: `${API}/users`, headers, payload });
  const patchUser = (id: string, payload: Record<string, unknown>, headers: Record<string, string>) =>
    h.app.inject({ method: 'PATCH', url: `${API}/users/${id}`, headers, payload });

  it('creates a user: email domain lower-cased, roles checked, no hash in the answer', async () => {
    const res = await createUser({ email: ' Erin.Doe@Example.TEST ', name: 'Erin Doe', roles: ['support'] });
    expect(res.statusCode).toBe(201);
    const u = body<UserView>(res);
    expect(Object.keys(u).sort()).toEqual(VIEW_KEYS);
    expect(u).toMatchObject({ email: 'Erin.Doe@example.test', name: 'Erin Doe', roles: ['support'], version: 1 });
    expect(res.headers.location).toBe(`${API}/users/${u.id}`);
    expect(res.headers.etag).toBe('"1"');

    const dup = await createUser({ email: 'erin.doe@EXAMPLE.test', name: 'Erin Again', roles: [] });
    expect(dup.statusCode).toBe(409);
    expect(problem(dup).code).toBe('SEPAR_ERR_DUPLICATE');
  });

  it('refuses bad emails, unknown roles and names with control characters, naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ email: 'not-an-email', name: 'X Y', roles: [] }, 'email'],
      [{ email: 'ok1@example.test', name: 'X Y', roles: ['superuser'] }, 'roles'],
      [{ email: 'ok2@example.test', name: 'Evil\nINFO forged log line', roles: [] }, 'name'],
      [{ email: 'ok3@example.test', name: 'Bidi \u202Egnp.exe', roles: [] }, 'name'],
      [{ email: 'ok4@example.test', name: '   ', roles: [] }, 'name'],
      [{ email: 'ok5@example.test', name: 'x'.repeat(201), roles: [] }, 'name'],
    ];
    for (const [payload, field] of cases) {
      const res = await createUser(payload);
      expect([field, res.statusCode]).toEqual([field, 400]);
      expect(problem(res).errors?.[0]?.field).toBe(field);
    }
  });

  it('refuses mass assignment of id, createdAt or version on create', async () => {
    for (const field of ['id', 'createdAt', 'passwordHash', 'status']) {
      const res = await createUser({ email: `ma-${field}@example.test`, name: 'Mass Assign', roles: [], [field]: 'x' });
      expect(res.statusCode).toBe(400);
      expect(problem(res).errors?.[0]?.field).toBe(field);
      expect(problem(res).detail).toContain(field);
    }
  });

  it('applies the password policy on create, saying why', async () => {
    const cases: [string, RegExp][] = [
      ['short-pw-1', /at least 12 characters/],
      ['my-separ-password-2026', /product name/],
      ['frankenstein!!-2026', /your name/],
      ['gwendolyn.smith-rocks', /email address/],
      ['x'.repeat(1025), /at most 1024/],
    ];
    for (const [password, why] of cases) {
      const res = await createUser({
        email: `gwendolyn.smith+${password.length}@example.test`,
        name: 'Frankenstein Smith',
        roles: [],
        password,
      });
      expect(res.statusCode).toBe(400);
      const p = problem(res);
      expect(p.code).toBe('SEPAR_ERR_VALIDATION');
      expect(p.errors?.some((e) => e.field === 'password' && why.test(e.message))).toBe(true);
    }
  });

  it('keeps management to administrators: a non-admin cannot create users, list them or change their own roles', async () => {
    const create = await createUser({ email: 'sneaky@example.test', name: 'Sneaky', roles: ['admin'] }, rep.headers);
    expect(create.statusCode).toBe(403);
    expect(problem(create).code).toBe('SEPAR_ERR_FORBIDDEN');
    expect((await h.app.inject({ method: 'GET', url: `${API}/users`, headers: rep.headers })).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'GET', url: `${API}/roles`, headers: rep.headers })).statusCode).toBe(403);
    const other = await h.app.inject({ method: 'GET', url: `${API}/users/${admin.userId}`, headers: rep.headers });
    expect(other.statusCode).toBe(403);
    const self = await h.app.inject({ method: 'GET', url: `${API}/users/${rep.userId}`, headers: rep.headers });
    expect(self.statusCode).toBe(200);

    const promote = await patchUser(rep.userId, { roles: ['admin'], version: 1 }, rep.headers);
    expect(promote.statusCode).toBe(403);
    const s = await loginSession(h, rep.email, rep.password);
    const viaSession = await patchUser(rep.userId, { roles: ['admin'], version: 1 }, sessionHeaders(s));
    expect(viaSession.statusCode).toBe(403);
    const me = await h.app.inject({ method: 'GET', url: `${API}/me`, headers: rep.headers });
    expect(body<UserView>(me).roles).toEqual(['sales-rep']);
  });

  it('updates with optimistic concurrency: 428 without a version, 412 stale If-Match, 409 stale body version', async () => {
    const u = body<UserView>(await createUser({ email: 'frank@example.test', name: 'Frank', roles: ['support'] }));
    const missing = await patchUser(u.id, { name: 'Franklin' }, admin.headers);
    expect(missing.statusCode).toBe(428);
    expect(problem(missing).code).toBe('SEPAR_ERR_PRECONDITION_REQUIRED');

    const ok = await patchUser(u.id, { name: 'Franklin' }, { ...admin.headers, 'if-match': '"1"' });
    expect(ok.statusCode).toBe(200);
    expect(body<UserView>(ok)).toMatchObject({ name: 'Franklin', version: 2 });
    expect(ok.headers.etag).toBe('"2"');

    const staleHeader = await patchUser(u.id, { name: 'Frankie' }, { ...admin.headers, 'if-match': '"1"' });
    expect(staleHeader.statusCode).toBe(412);
    expect(problem(staleHeader).code).toBe('SEPAR_ERR_PRECONDITION_FAILED');

    const staleBody = await patchUser(u.id, { name: 'Frankie', version: 1 }, admin.headers);
    expect(staleBody.statusCode).toBe(409);
    expect(problem(staleBody).code).toBe('SEPAR_ERR_VERSION_CONFLICT');

    const badHeader = await patchUser(u.id, { name: 'Frankie' }, { ...admin.headers, 'if-match': 'W/"2"' });
    expect(badHeader.statusCode).toBe(400);

    const massAssign = await patchUser(u.id, { version: 2, email: 'other@example.test' }, admin.headers);
    expect(massAssign.statusCode).toBe(400);
    expect(problem(massAssign).errors?.[0]?.field).toBe('email');

    const got = await h.app.inject({ method: 'GET', url: `${API}/users/${u.id}`, headers: admin.headers });
    expect(body<UserView>(got)).toMatchObject({ name: 'Franklin', version: 2, email: 'frank@example.test' });
  });

  it('answers 400 for a malformed id and 404 for an unknown one', async () => {
    for (const id of ['1', 'abc', "1'%20or%20'1'='1", '01a22935-55f4-7000-8ada-b49a697e364bZ']) {
      const res = await h.app.inject({ method: 'GET', url: `${API}/users/${id}`, headers: admin.headers });
      expect([id, res.statusCode]).toEqual([id, 400]);
    }
    const unknown = await h.app.inject({
      method: 'GET',
      url: `${API}/users/00000000-0000-7000-8000-000000000000`,
      headers: admin.headers,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('will not disable or demote the last active administrator', async () => {
    const res = await patchUser(admin.userId, { status: 'disabled', version: 1 }, admin.headers);
    expect(res.statusCode).toBe(409);
    const demote = await patchUser(admin.userId, { roles: ['read-only'], version: 1 }, admin.headers);
    expect(demote.statusCode).toBe(409);
    expect((await h.app.inject({ method: 'GET', url: `${API}/me`, headers: admin.headers })).statusCode).toBe(200);
  });

  it('pages through users with an opaque cursor, and refuses a forged cursor', async () => {
    const first = await h.app.inject({ method: 'GET', url: `${API}/users?limit=2`, headers: admin.headers });
    expect(first.statusCode).toBe(200);
    const p1 = body<{ items: UserView[]; nextCursor: string | null }>(first);
    expect(p1.items).toHaveLength(2);
    expect(p1.nextCursor).toEqual(expect.any(String));
    const second = await h.app.inject({
      method: 'GET',
      url: `${API}/users?limit=2&cursor=${encodeURIComponent(p1.nextCursor ?? '')}`,
      headers: admin.headers,
    });
    const p2 = body<{ items: UserView[] }>(second);
    expect(p2.items.length).toBeGreaterThan(0);
    expect(p2.items.some((u) => p1.items.some((v) => v.id === u.id))).toBe(false);
    for (const u of [...p1.items, ...p2.items]) expect(Object.keys(u).sort()).toEqual(VIEW_KEYS);

    const forged = await h.app.inject({
      method: 'GET',
      url: `${API}/users?cursor=JyBvcicxJz0nMQ`,
      headers: admin.headers,
    });
    expect(forged.statusCode).toBe(400);
    expect(problem(forged).code).toBe('SEPAR_ERR_BAD_CURSOR');
    const tooMany = await h.app.inject({ method: 'GET', url: `${API}/users?limit=201`, headers: admin.headers });
    expect(tooMany.statusCode).toBe(400);
    const unknownParam = await h.app.inject({ method: 'GET', url: `${API}/users?sort=email`, headers: admin.headers });
    expect(unknownParam.statusCode).toBe(400);
  });

  it('lists roles for administrators', async () => {
    const res = await h.app.inject({ method: 'GET', url: `${API}/roles`, headers: admin.headers });
    expect(res.statusCode).toBe(200);
    const roles = body<{ items: { id: string; builtin: boolean }[] }>(res).items;
    expect(roles.map((r) => r.id)).toEqual(expect.arrayContaining(['admin', 'sales-rep', 'auditor', 'read-only']));
    expect(roles.every((r) => r.builtin)).toBe(true);
  });

  it('a user created without a password cannot sign in until an administrator sets one', async () => {
    const u = body<UserView>(await createUser({ email: 'gina@example.test', name: 'Gina', roles: ['support'] }));
    const password = strongPassword();
    const before = await h.app.inject({
      method: 'POST',
      url: `${API}/auth/login`,
      payload: { email: u.email, password },
    });
    expect(before.statusCode).toBe(401);
    const set = await h.app.inject({
      method: 'POST',
      url: `${API}/users/${u.id}/password`,
      headers: admin.headers,
      payload: { password },
    });
    expect(set.statusCode).toBe(204);
    const after = await h.app.inject({
      method: 'POST',
      url: `${API}/auth/login`,
      payload: { email: u.email, password },
    });
    expect(after.statusCode).toBe(200);

    // Setting someone's password is an admin action; one's own goes through /me/password.
    const bySelf = await h.app.inject({
      method: 'POST',
      url: `${API}/users/${admin.userId}/password`,
      headers: admin.headers,
      payload: { password: strongPassword() },
    });
    expect(bySelf.statusCode).toBe(403);
  });

  it('changing your password needs the current one and ends your other sessions', async () => {
    const hal = await createUserWithToken(h, { roles: ['support'], name: 'Hal' });
    const here = await loginSession(h, hal.email, hal.password);
    const elsewhere = await loginSession(h, hal.email, hal.password);
    const change = (payload: Record<string, unknown>) =>
      h.app.inject({ method: 'POST', url: `${API}/me/password`, headers: sessionHeaders(here), payload });

    const next = strongPassword();
    const wrong = await change({ currentPassword: `${hal.password}!`, newPassword: next });
    expect(wrong.statusCode).toBe(400);
    expect(problem(wrong).errors?.[0]?.field).toBe('currentPassword');
    const missing = await change({ newPassword: next });
    expect(missing.statusCode).toBe(400);
    const weak = await change({ currentPassword: hal.password, newPassword: 'separ-separ-separ' });
    expect(weak.statusCode).toBe(400);
    expect(problem(weak).errors?.[0]?.field).toBe('newPassword');

    const ok = await change({ currentPassword: hal.password, newPassword: next });
    expect(ok.statusCode).toBe(204);
    const me = (cookie: string) => h.app.inject({ method: 'GET', url: `${API}/me`, headers: { cookie } });
    expect((await me(here.cookie)).statusCode).toBe(200);
    expect((await me(elsewhere.cookie)).statusCode).toBe(401);

    const oldLogin = await h.app.inject({
      method: 'POST',
      url: `${API}/auth/login`,
      payload: { email: hal.email, password: hal.password },
    });
    expect(oldLogin.statusCode).toBe(401);
    await loginSession(h, hal.email, next);
  });
});
