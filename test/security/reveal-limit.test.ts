import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logger.js';
import { buildHttpApp, createRuntime, type Runtime } from '../../src/runtime/index.js';
import { testDialects } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken, type TestUser } from '../support/identity.js';
import { API, body, call } from './helpers.js';

/**
 * Reveal is limited per user (20 in 10 minutes) whichever object it goes through and, with Redis, whichever
 * instance answers: an insider cannot multiply the budget by spreading reveals over objects or servers.
 */
const REASON = 'Customer called to confirm the details on file';

describe.each(await testDialects())('reveal limit (%s)', (dialect) => {
  const prefix = `separ-test:${randomBytes(4).toString('hex')}:`;
  let h: Harness;
  let other: Runtime | null = null;
  let otherApp: FastifyInstance | null = null;
  let admin: TestUser;
  let contactId: string;
  let companyId: string;

  beforeAll(async () => {
    h = await startHarness(dialect, { env: { REDIS_URL: 'redis://127.0.0.1:6379', SEPAR_REDIS_KEY_PREFIX: prefix } });
    admin = await createUserWithToken(h, { roles: ['admin'] });
    const field = await call(h.app, 'POST', `${API}/fields`, admin.headers, {
      object: 'companies',
      key: 'bankContact',
      label: 'Bank contact',
      type: 'text',
      classification: 'restricted',
    });
    expect(field.statusCode, field.body).toBe(201);
    const contact = await call(h.app, 'POST', `${API}/contacts`, admin.headers, {
      firstName: 'Leila',
      lastName: 'Karimi',
      email: 'leila.karimi@example.test',
    });
    expect(contact.statusCode, contact.body).toBe(201);
    contactId = body<{ id: string }>(contact).id;
    const company = await call(h.app, 'POST', `${API}/companies`, admin.headers, {
      name: 'Shield Bank',
      custom: { bankContact: 'Darius, ext. 4411' },
    });
    expect(company.statusCode, company.body).toBe(201);
    companyId = body<{ id: string }>(company).id;
    // A second instance on the same database and Redis, as in a multi-instance deployment.
    other = await createRuntime(h.config, { migrate: false, logger: createLogger('silent') });
    otherApp = await buildHttpApp(other);
    await otherApp.ready();
  });
  afterAll(async () => {
    await otherApp?.close();
    await other?.close();
    await h?.close();
    const r = new Redis('redis://127.0.0.1:6379');
    const keys = await r.keys(`${prefix}*`);
    if (keys.length > 0) await r.del(...keys);
    r.disconnect();
  });

  const revealContact = (app: FastifyInstance, who: TestUser) =>
    call(app, 'POST', `${API}/contacts/${contactId}/reveal`, who.headers, { fields: ['email'], reason: REASON });
  const revealCompany = (app: FastifyInstance, who: TestUser) =>
    call(app, 'POST', `${API}/companies/${companyId}/reveal`, who.headers, {
      fields: ['custom.bankContact'],
      reason: REASON,
    });

  it('counts reveals per user across objects and instances, then refuses with Retry-After', async () => {
    const second = otherApp;
    if (!second) throw new Error('second instance missing');
    const first = await revealCompany(h.app, admin);
    expect(first.statusCode, first.body).toBe(200);
    expect(JSON.stringify(body(first))).toContain('Darius, ext. 4411');
    for (let i = 1; i < 20; i++) {
      const res = await (i % 2 === 0 ? revealContact(h.app, admin) : revealContact(second, admin));
      expect(res.statusCode, `reveal ${i + 1}: ${res.body}`).toBe(200);
    }
    for (const res of [await revealContact(h.app, admin), await revealCompany(second, admin)]) {
      expect(res.statusCode).toBe(429);
      expect(body<{ code: string }>(res).code).toBe('SEPAR_ERR_RATE_LIMITED');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.body).not.toContain('leila.karimi');
      expect(res.body).not.toContain('Darius');
    }
    // Another user's budget is their own.
    const colleague = await createUserWithToken(h, { roles: ['admin'] });
    expect((await revealContact(second, colleague)).statusCode).toBe(200);
  });
});
