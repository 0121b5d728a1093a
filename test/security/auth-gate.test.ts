import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken, loginSession, type TestUser } from '../support/identity.js';
import { API, call, problem, rawHttp, rawStatus } from './helpers.js';

/**
 * The global authentication gate (src/http/auth.ts registerAuth) seen from outside: every /api route needs
 * credentials however the path is spelled, and nothing else falls back or leaks.
 */
describe('authentication gate', () => {
  let h: Harness;
  let admin: TestUser;
  let port: number;

  beforeAll(async () => {
    h = await startHarness('sqlite');
    admin = await createUserWithToken(h, { roles: ['admin'] });
    const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
    port = Number(new URL(address).port);
  });
  afterAll(async () => h?.close());

  // FINDING: the onRequest hook skips any request whose raw URL does not start with '/api/', but the router
  // percent-decodes the path before matching, so '/%61pi/v1/…' reaches the /api/v1 routes without the gate.
  // Routes that call actorOf() still fail closed; GET /api/v1/openapi.json does not and is served to anyone.
  it('answers 401 to percent-encoded spellings of /api paths (no public API document)', async () => {
    for (const url of ['/%61pi/v1/openapi.json', '/a%70i/v1/openapi.json', '/%61%70%69/v1/openapi.json']) {
      const res = await call(h.app, 'GET', url);
      expect(res.statusCode, url).toBe(401);
      expect(res.body, url).not.toContain('"openapi"');
    }
  });

  it('sends Cache-Control: no-store on every /api answer, however the path is spelled', async () => {
    const res = await call(h.app, 'GET', '/%61pi/v1/openapi.json', admin.headers);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  // FINDING: an absolute-form request target ("GET http://host/api/v1/… HTTP/1.1") gives req.url = 'http://…',
  // which also slips past the '/api/' prefix test while the router still matches the route.
  it('answers 401 to absolute-form request targets on a real socket', async () => {
    const raw = await rawHttp(
      port,
      'GET http://localhost/api/v1/openapi.json HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
    );
    expect(rawStatus(raw)).toBe(401);
    expect(raw).not.toContain('"openapi"');
  });

  it('does not let an unauthenticated caller tell existing API routes from missing ones', async () => {
    const existing = await call(h.app, 'GET', '/%61pi/v1/contacts');
    const missing = await call(h.app, 'GET', '/%61pi/v1/no-such-route');
    expect(existing.statusCode).toBe(401);
    expect(missing.statusCode).toBe(401);
  });

  // Held: these spellings and methods all stay behind the gate (regression).
  it('keeps odd spellings and methods behind the gate', async () => {
    for (const [method, url] of [
      ['GET', `${API}/contacts/`],
      ['GET', `${API}//contacts`],
      ['GET', '/API/v1/contacts'],
      ['HEAD', `${API}/contacts`],
      ['OPTIONS', `${API}/contacts`],
      ['GET', `${API}/openapi.json`],
      ['GET', `${API}/users`],
      ['GET', `${API}/me/tokens`],
    ] as const) {
      const res = await call(h.app, method, url);
      const label = `${method} ${url}`;
      expect(res.body, label).not.toContain('"items"');
      expect(res.statusCode, label).toBeLessThan(500);
      if (url.startsWith('/api/')) {
        expect(res.statusCode, label).toBeGreaterThanOrEqual(400);
      } else if (res.statusCode < 400) {
        // Outside /api the web app's client-side router may answer with its HTML shell; never with data.
        expect(String(res.headers['content-type']), label).toMatch(/^text\/html/);
      }
    }
    const trace = await call(h.app, 'GET', `${API}/contacts`, { 'x-http-method-override': 'TRACE' });
    expect(trace.statusCode).toBe(401);
  });

  it('never falls back to the session cookie when an Authorization header is present but malformed', async () => {
    const s = await loginSession(h, admin.email, admin.password);
    for (const authorization of [
      'Basic Zm9vOmJhcg==',
      `bearer ${admin.token}`,
      `Bearer  ${admin.token}`,
      `Bearer ${admin.token} x`,
      'Bearer',
      `Token ${admin.token}`,
    ]) {
      const res = await call(h.app, 'GET', `${API}/me`, { cookie: s.cookie, authorization });
      expect(res.statusCode, authorization).toBe(401);
      expect(problem(res).code).toBe('SEPAR_ERR_UNAUTHENTICATED');
    }
  });

  it('refuses a pending (second-factor-due) session and malformed or unknown cookies', async () => {
    const pending = await h.rt.identity.sessions.create(
      admin.userId,
      { ip: '127.0.0.1', userAgent: null, requestId: 'test' },
      'pending',
    );
    for (const cookie of [
      `__Host-separ_session=${pending.token}`,
      `__host-separ_session=${admin.token}`,
      '__Host-separ_session=',
      `__Host-separ_session=${'A'.repeat(43)}`,
      `__Host-separ_session=${'A'.repeat(5000)}`,
      '__Host-separ_session=%00%0d%0a',
    ]) {
      const res = await call(h.app, 'GET', `${API}/me`, { cookie });
      // 401 (not signed in) or 403 (second factor due); never the account.
      expect([401, 403], cookie.slice(0, 60)).toContain(res.statusCode);
      expect(res.body).not.toContain(admin.email);
    }
  });

  it('does not trust X-Forwarded-For by default (the session records the socket address)', async () => {
    const res = await call(
      h.app,
      'POST',
      `${API}/auth/login`,
      { 'x-forwarded-for': '203.0.113.66' },
      {
        email: admin.email,
        password: admin.password,
      },
    );
    expect(res.statusCode).toBe(200);
    const sessions = await call(h.app, 'GET', `${API}/me/sessions`, admin.headers);
    expect(sessions.body).not.toContain('203.0.113.66');
  });

  it('marks authenticated answers no-store and never sends X-Powered-By', async () => {
    const res = await call(h.app, 'GET', `${API}/contacts`, admin.headers);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

/**
 * Behind one reverse proxy that appends to X-Forwarded-For (nginx's $proxy_add_x_forwarded_for), the client's
 * address is the entry the proxy added, the last one: whatever the client wrote itself comes before it. Trusting
 * every hop took the first entry, so a client chose the address its IP allowlist, login limits and audit trail
 * saw (a review's finding).
 */
for (const trust of ['1', '127.0.0.1/32, 10.0.0.0/8'])
  describe(`behind a reverse proxy (SEPAR_TRUST_PROXY=${trust})`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness('sqlite', { env: { SEPAR_TRUST_PROXY: trust } });
    });
    afterAll(async () => {
      await h.close();
    });

    const signInFrom = async (forwardedFor: string): Promise<string> => {
      const admin = await createUserWithToken(h, { roles: ['admin'] });
      const res = await call(
        h.app,
        'POST',
        `${API}/auth/login`,
        { 'x-forwarded-for': forwardedFor },
        {
          email: admin.email,
          password: admin.password,
        },
      );
      expect(res.statusCode, res.body).toBe(200);
      const sessions = await call(h.app, 'GET', `${API}/me/sessions`, admin.headers);
      return sessions.body;
    };

    it('records the address the proxy appended, not one the client sent', async () => {
      const body = await signInFrom('203.0.113.50, 198.51.100.1');
      expect(body).toContain('198.51.100.1');
      expect(body).not.toContain('203.0.113.50');
    });

    it('does not believe a forwarded value that is not an address, nor takes the client for the proxy', async () => {
      const body = await signInFrom('10.9.8.7"] [x@1 a="b');
      expect(body).not.toContain('10.9.8.7');
      expect(body).not.toContain('x@1');
      // Not the proxy's own address (127.0.0.1 here), which an allowlist of the proxy's network would admit.
      expect(body).not.toContain('127.0.0.1');
      expect(body).toContain('0.0.0.0');
    });

    it('reads an address some proxies forward with its port', async () => {
      expect(await signInFrom('203.0.113.9:4444')).toContain('"203.0.113.9"');
      expect(await signInFrom('[2001:db8::7]:443')).toContain('"2001:db8::7"');
    });
  });
