import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startHarness, json, type Harness } from '../support/harness.js';
import { createUserWithToken } from '../support/identity.js';
import { openApiDocument } from '../../src/http/index.js';

const ID = '0190f5a0-0000-7000-8000-000000000000';

describe('HTTP basics', () => {
  let h: Harness;
  let admin: { authorization: string };
  beforeAll(async () => {
    h = await startHarness('sqlite');
    admin = (await createUserWithToken(h, { roles: ['admin'] })).headers;
  });
  afterAll(async () => h?.close());

  const operations = (): { method: string; url: string }[] => {
    const doc = openApiDocument(h.app) as { paths: Record<string, Record<string, unknown>> };
    return Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => ({
        method: m.toUpperCase(),
        url: `/api/v1${path.replace(/^\/api\/v1/, '')}`.replace(/\{[^}]+\}/g, ID),
      })),
    );
  };

  it('answers 401 on every /api/v1 route but login without credentials', async () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(30);
    for (const op of ops) {
      const res = await h.app.inject({
        method: op.method as 'GET',
        url: op.url,
        payload: op.method === 'GET' || op.method === 'DELETE' ? undefined : {},
      });
      // Sign-in flows (password, MFA step, passkey, reset, invitation, SSO) answer before a session exists.
      if (/^\/api\/v1\/auth\/(?!logout$)/.test(op.url)) {
        expect(res.statusCode, `${op.method} ${op.url}`).toBeLessThan(500);
        continue;
      }
      expect(res.statusCode, `${op.method} ${op.url}`).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).statusCode).toBe(401);
  });

  it('serves health without auth and readiness from the database', async () => {
    expect(json(await h.app.inject({ method: 'GET', url: '/healthz' }))).toEqual({ status: 'ok' });
    expect(json(await h.app.inject({ method: 'GET', url: '/readyz' }))).toEqual({ status: 'ready' });
  });

  it('refuses TRACE with 405 and sets security headers', async () => {
    const t = await h.app.inject({ method: 'TRACE' as 'GET', url: '/api/v1/contacts' });
    expect(t.statusCode).toBe(405);
    const r = await h.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: admin });
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toContain('no-store');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(String(r.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect(String(r.headers['content-security-policy'])).not.toContain('unsafe-inline');
    expect(r.headers['x-powered-by']).toBeUndefined();
  });

  it('answers unknown routes and bad ids with problem+json, never a stack trace', async () => {
    const nf = await h.app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: admin });
    expect(nf.statusCode).toBe(404);
    expect(nf.headers['content-type']).toContain('application/problem+json');
    const bad = await h.app.inject({ method: 'GET', url: '/api/v1/contacts/..%2f..%2fetc%2fpasswd', headers: admin });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('serves the OpenAPI 3.1 document to authenticated callers, matching the committed openapi.json', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/openapi.json', headers: admin });
    expect(res.statusCode).toBe(200);
    const served = json(res) as { openapi: string };
    expect(served.openapi).toBe('3.1.0');
    const committed = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8')) as unknown;
    // If this fails, regenerate with `npm run openapi` and commit the result.
    expect(served).toEqual(committed);
  });
});
