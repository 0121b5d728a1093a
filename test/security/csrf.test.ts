import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken, loginSession, type TestSession, type TestUser } from '../support/identity.js';
import { API, call, problem } from './helpers.js';

/** Cross-site request forgery against cookie sessions (held; regression for the shapes a browser can send). */
describe('CSRF against cookie sessions', () => {
  let h: Harness;
  let user: TestUser;
  let s: TestSession;

  beforeAll(async () => {
    h = await startHarness('sqlite');
    user = await createUserWithToken(h, { roles: ['sales-rep'] });
    s = await loginSession(h, user.email, user.password);
  });
  afterAll(async () => h?.close());

  // Counted with the user's API token, so the count does not depend on what the session may do.
  const contactsNow = async () =>
    (JSON.parse((await call(h.app, 'GET', `${API}/contacts`, user.headers)).body) as { items: unknown[] }).items.length;

  it('refuses forged cookie-authenticated writes in every shape a browser can send', async () => {
    const before = await contactsNow();
    const json = JSON.stringify({ firstName: 'Forged', lastName: 'Write' });
    const shapes: Record<string, string>[] = [
      { cookie: s.cookie, 'content-type': 'application/json' },
      { cookie: s.cookie, 'content-type': 'text/plain' },
      { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      { cookie: s.cookie, 'content-type': 'application/json', 'x-csrf-token': '' },
      { cookie: s.cookie, 'content-type': 'application/json', 'x-csrf-token': s.csrfToken, origin: 'null' },
      {
        cookie: s.cookie,
        'content-type': 'application/json',
        'x-csrf-token': s.csrfToken,
        origin: 'https://localhost:8443.evil.example',
      },
      {
        cookie: s.cookie,
        'content-type': 'application/json',
        'x-csrf-token': s.csrfToken,
        origin: 'http://localhost:8443',
      },
      {
        cookie: s.cookie,
        'content-type': 'application/json',
        'x-csrf-token': s.csrfToken,
        'sec-fetch-site': 'cross-site',
      },
      { cookie: s.cookie, 'content-type': 'application/json', 'x-csrf-token': s.csrfToken.toUpperCase() },
    ];
    for (const headers of shapes) {
      const res = await h.app.inject({ method: 'POST', url: `${API}/contacts`, headers, payload: json });
      expect(res.statusCode, JSON.stringify({ ...headers, cookie: '…' })).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
    }
    const twoTokens = await h.app.inject({
      method: 'POST',
      url: `${API}/contacts`,
      headers: { cookie: s.cookie, 'content-type': 'application/json', 'x-csrf-token': [s.csrfToken, 'x'] },
      payload: json,
    });
    expect(twoTokens.statusCode).toBe(403);
    expect(await contactsNow()).toBe(before);
    // GET never changes state: there is no GET logout, and the session survives.
    expect((await call(h.app, 'GET', `${API}/auth/logout`, { cookie: s.cookie })).statusCode).toBe(404);
    expect((await call(h.app, 'GET', `${API}/me`, { cookie: s.cookie })).statusCode).not.toBe(401);
  });

  it('refuses a login posted from an opaque (null) origin or a cross-site context', async () => {
    const origins: Record<string, string>[] = [
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'https://evil.example' },
    ];
    for (const headers of origins) {
      const res = await call(h.app, 'POST', `${API}/auth/login`, headers, {
        email: user.email,
        password: user.password,
      });
      expect(res.statusCode).toBe(403);
      expect(problem(res).code).toBe('SEPAR_ERR_CSRF');
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });
});
