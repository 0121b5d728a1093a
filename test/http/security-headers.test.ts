import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { registerSecurityHeaders, securityHeaders } from '../../src/http/security-headers.js';

const CSP =
  "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;font-src 'self';connect-src 'self';" +
  "object-src 'none';base-uri 'none';frame-ancestors 'none';form-action 'self'";

describe('security headers', () => {
  it('are the policy helmet computes, with HSTS only over HTTPS', () => {
    const https = Object.fromEntries(securityHeaders({ https: true }));
    expect(https).toMatchObject({
      'content-security-policy': CSP,
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
    });
    const plain = Object.fromEntries(securityHeaders({ https: false }));
    expect(plain['strict-transport-security']).toBeUndefined();
    expect(plain['content-security-policy']).toBe(CSP);
  });

  it('are on every response, errors included; a route may tighten the CSP; X-Powered-By never leaves', async () => {
    const app = Fastify();
    await registerSecurityHeaders(app, { https: true });
    app.get('/plain', (_req, reply) => {
      return reply.header('x-powered-by', 'Express').send({ ok: true });
    });
    app.get('/page', (_req, reply) =>
      reply.header('content-security-policy', "default-src 'none'").type('text/html').send('<p>x</p>'),
    );
    app.get('/boom', () => {
      throw new Error('boom');
    });
    const expected = Object.fromEntries(securityHeaders({ https: true }));
    for (const url of ['/plain', '/boom', '/missing']) {
      const r = await app.inject({ method: 'GET', url });
      for (const [name, value] of Object.entries(expected)) expect(r.headers[name], `${url} ${name}`).toBe(value);
      expect(r.headers['x-powered-by']).toBeUndefined();
    }
    const page = await app.inject({ method: 'GET', url: '/page' });
    expect(page.headers['content-security-policy']).toBe("default-src 'none'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    await app.close();
  });
});
