import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { systemActor } from '../../src/security/access/actor.js';
import { testDialects } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken, loginSession, type TestUser } from '../support/identity.js';
import { API, body, HOUR, problem, sessionHeaders } from './helpers.js';

const dialects = await testDialects();

interface CreatedToken {
  token: string;
  id: string;
  prefix: string;
  name: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

describe.each(dialects)('API tokens (%s)', (dialect) => {
  const clock = new ManualClock('2026-04-01T09:00:00.000Z');
  let h: Harness;
  let admin: TestUser;
  let dana: TestUser;

  beforeAll(async () => {
    h = await startHarness(dialect, { clock });
    admin = await createUserWithToken(h, { roles: ['admin'] });
    dana = await createUserWithToken(h, { roles: ['sales-rep'] });
  });
  afterAll(async () => {
    await h?.close();
  });

  const create = (headers: Record<string, string>, payload: Record<string, unknown>) =>
    h.app.inject({ method: 'POST', url: `${API}/me/tokens`, headers, payload });
  const meWith = (token: string) =>
    h.app.inject({ method: 'GET', url: `${API}/me`, headers: { authorization: `Bearer ${token}` } });

  it('shows a new token once, with ≥ 256 random bits, and never again', async () => {
    const res = await create(dana.headers, { name: 'laptop script' });
    expect(res.statusCode).toBe(201);
    const t = body<CreatedToken>(res);
    expect(t.token).toMatch(/^separ_pat_[A-Za-z0-9_-]{43}$/);
    expect(t.prefix).toBe(t.token.slice(0, 12));
    expect(t.scopes).toEqual([]);
    expect(t.expiresAt).toBeNull();
    expect((await meWith(t.token)).statusCode).toBe(200);

    const list = await h.app.inject({ method: 'GET', url: `${API}/me/tokens`, headers: dana.headers });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(t.token);
    expect(list.body).not.toMatch(/hash/i);
    const items = body<{ items: Record<string, unknown>[] }>(list).items;
    const listed = items.find((i) => i.id === t.id);
    expect(listed && Object.keys(listed).sort()).toEqual(
      ['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'prefix', 'scopes'].sort(),
    );
    expect(listed?.lastUsedAt).toEqual(expect.any(String));
  });

  it('stores neither API tokens nor session tokens in clear', async () => {
    const t = body<CreatedToken>(await create(dana.headers, { name: 'scan me' }));
    const s = await loginSession(h, dana.email, dana.password);
    const sessionToken = s.cookie.split('=')[1] ?? '';
    const tokenRows = JSON.stringify(await h.rt.db.kysely.selectFrom('api_tokens').selectAll().execute());
    const sessionRows = JSON.stringify(await h.rt.db.kysely.selectFrom('sessions').selectAll().execute());
    for (const secret of [t.token, dana.token, admin.token, sessionToken]) {
      expect(tokenRows).not.toContain(secret);
      expect(sessionRows).not.toContain(secret);
      expect(tokenRows).not.toContain(secret.slice(10));
    }
    const row = await h.rt.db.kysely
      .selectFrom('api_tokens')
      .select(['token_hash', 'prefix'])
      .where('id', '=', t.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.prefix).toBe(t.prefix);
  });

  it('stops a revoked token at once', async () => {
    const t = body<CreatedToken>(await create(dana.headers, { name: 'to revoke' }));
    expect((await meWith(t.token)).statusCode).toBe(200);
    const del = await h.app.inject({ method: 'DELETE', url: `${API}/me/tokens/${t.id}`, headers: dana.headers });
    expect(del.statusCode).toBe(204);
    const after = await meWith(t.token);
    expect(after.statusCode).toBe(401);
    expect(after.headers['www-authenticate']).toContain('invalid_token');
    const again = await h.app.inject({ method: 'DELETE', url: `${API}/me/tokens/${t.id}`, headers: dana.headers });
    expect(again.statusCode).toBe(404);
  });

  it('stops an expired token, and refuses an expiry in the past', async () => {
    const expiresAt = new Date(clock.now().getTime() + HOUR).toISOString();
    const t = body<CreatedToken>(await create(dana.headers, { name: 'short-lived', expiresAt }));
    expect(t.expiresAt).toBe(expiresAt);
    expect((await meWith(t.token)).statusCode).toBe(200);
    clock.advance(HOUR);
    expect((await meWith(t.token)).statusCode).toBe(401);

    const past = await create(dana.headers, { name: 'past', expiresAt: '2020-01-01T00:00:00Z' });
    expect(past.statusCode).toBe(400);
    expect(problem(past).errors?.[0]?.field).toBe('expiresAt');
    const garbage = await create(dana.headers, { name: 'garbage', expiresAt: 'tomorrow' });
    expect(garbage.statusCode).toBe(400);
  });

  it("cannot revoke another user's token (404, as if it did not exist)", async () => {
    const t = body<CreatedToken>(await create(admin.headers, { name: 'admin token' }));
    const res = await h.app.inject({ method: 'DELETE', url: `${API}/me/tokens/${t.id}`, headers: dana.headers });
    expect(res.statusCode).toBe(404);
    expect((await meWith(t.token)).statusCode).toBe(200);
    const bad = await h.app.inject({ method: 'DELETE', url: `${API}/me/tokens/not-a-uuid`, headers: dana.headers });
    expect(bad.statusCode).toBe(400);
  });

  it('refuses unknown scopes and keeps a scoped token to its scopes', async () => {
    const unknown = await create(admin.headers, { name: 'bad', scopes: ['contacts:read', 'root'] });
    expect(unknown.statusCode).toBe(400);
    expect(problem(unknown).errors?.[0]?.field).toBe('scopes');
    expect(problem(unknown).detail).toContain("'root'");

    const scoped = body<CreatedToken>(
      await create(admin.headers, { name: 'read contacts', scopes: ['contacts:read'] }),
    );
    expect(scoped.scopes).toEqual(['contacts:read']);
    const bearer = { authorization: `Bearer ${scoped.token}` };
    expect((await h.app.inject({ method: 'GET', url: `${API}/me`, headers: bearer })).statusCode).toBe(200);
    // An admin's token scoped to contacts:read is not an admin token.
    const users = await h.app.inject({ method: 'GET', url: `${API}/users`, headers: bearer });
    expect(users.statusCode).toBe(403);
    // Nor can it mint itself a broader token, or end its owner's sessions.
    const mint = await create(bearer, { name: 'escalate' });
    expect(mint.statusCode).toBe(403);
    const kill = await h.app.inject({ method: 'DELETE', url: `${API}/me/sessions?all=true`, headers: bearer });
    expect(kill.statusCode).toBe(403);
  });

  it('honours the audit:read scope for an auditor and never widens a role with it', async () => {
    const auditor = await createUserWithToken(h, { roles: ['auditor'] });
    const events = (token: string) =>
      h.app.inject({
        method: 'GET',
        url: `${API}/audit/events?limit=1`,
        headers: { authorization: `Bearer ${token}` },
      });
    const auditScoped = body<CreatedToken>(
      await create(auditor.headers, { name: 'siem pull', scopes: ['audit:read'] }),
    );
    expect((await events(auditScoped.token)).statusCode).toBe(200);
    const contactsScoped = body<CreatedToken>(
      await create(auditor.headers, { name: 'contacts only', scopes: ['contacts:read'] }),
    );
    expect((await events(contactsScoped.token)).statusCode).toBe(403);
    // The scope narrows; it grants nothing the role lacks (a sales rep cannot read the audit log with it).
    const repScoped = body<CreatedToken>(await create(dana.headers, { name: 'wishful', scopes: ['audit:read'] }));
    expect((await events(repScoped.token)).statusCode).toBe(403);
  });

  it('needs the CSRF token when a browser session creates a token', async () => {
    const s = await loginSession(h, dana.email, dana.password);
    const refused = await create({ cookie: s.cookie }, { name: 'no csrf' });
    expect(refused.statusCode).toBe(403);
    const ok = await create(sessionHeaders(s), { name: 'with csrf' });
    expect(ok.statusCode).toBe(201);
  });

  it('refuses unknown fields (mass assignment) on token creation', async () => {
    const res = await create(dana.headers, { name: 'x', userId: admin.userId });
    expect(res.statusCode).toBe(400);
    expect(problem(res).errors?.[0]?.field).toBe('userId');
  });

  it('lets the system actor (CLI) create a token for a user', async () => {
    const created = await h.rt.identity.tokens.createToken(systemActor('cli'), {
      userId: dana.userId,
      name: 'cli',
      scopes: ['deals:read'],
    });
    const res = await meWith(created.token);
    expect(res.statusCode).toBe(200);
    expect(body<{ id: string }>(res).id).toBe(dana.userId);
  });

  it("acts with exactly its user's roles as they are now: several, changed, none", async () => {
    const erin = await createUserWithToken(h, { roles: ['sales-rep', 'auditor'] });
    const session = await loginSession(h, erin.email, erin.password);
    const get = (url: string, headers: Record<string, string>) =>
      h.app.inject({ method: 'GET', url: `${API}${url}`, headers });
    const status = async (headers: Record<string, string>) => [
      (await get('/contacts?limit=1', headers)).statusCode,
      (await get('/audit/events?limit=1', headers)).statusCode,
    ];
    // Both roles count, through the token and through a session (the credential's query reads one row per role).
    expect(await status(erin.headers)).toEqual([200, 200]);
    expect(await status(sessionHeaders(session))).toEqual([200, 200]);

    const patch = (payload: Record<string, unknown>) =>
      h.app.inject({ method: 'PATCH', url: `${API}/users/${erin.userId}`, headers: admin.headers, payload });
    expect((await patch({ roles: ['sales-rep'], version: 1 })).statusCode).toBe(200);
    expect(await status(erin.headers)).toEqual([200, 403]);
    expect((await patch({ roles: [], version: 2 })).statusCode).toBe(200);
    // No role, no customer data (privacy by default) — and still a valid token, not an unknown one.
    const [contacts, audit] = await status(erin.headers);
    expect(contacts).toBe(403);
    expect(audit).toBe(403);
    expect((await meWith(erin.token)).statusCode).toBe(200);
  });

  it('writes last-used at most every 30 seconds', async () => {
    const t = body<CreatedToken>(await create(dana.headers, { name: 'throttle' }));
    const lastUsed = async (): Promise<string | null> =>
      (
        await h.rt.db.kysely
          .selectFrom('api_tokens')
          .select('last_used_at')
          .where('id', '=', t.id)
          .executeTakeFirstOrThrow()
      ).last_used_at;
    await meWith(t.token);
    const first = await lastUsed();
    expect(first).not.toBeNull();
    clock.advance(5_000);
    await meWith(t.token);
    expect(await lastUsed()).toBe(first);
    clock.advance(30_000);
    await meWith(t.token);
    expect(Date.parse((await lastUsed()) ?? '')).toBe(Date.parse(first ?? '') + 35_000);
  });
});
