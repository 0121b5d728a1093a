import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken, type TestUser } from '../support/identity.js';
import { API, call, problem } from '../security/helpers.js';

/**
 * Pipeline and stage names, field labels and select options, role and team names are configuration: kept in clear and shown to every
 * user. A card number has no place there (PCI DSS 3.4), so one — spaced, dashed or in Persian digits — is refused,
 * naming the field, where free text would have it masked.
 */
describe.each(await testDialects())('card numbers in configuration (%s)', (dialect) => {
  let h: Harness;
  let admin: TestUser;
  const CARDS = ['4012888888881881', '6011-0009-9013-9424', '۴۵۳۹ ۱۴۸۸ ۰۳۴۳ ۶۴۶۷'];

  beforeAll(async () => {
    h = await startHarness(dialect);
    admin = await createUserWithToken(h, { roles: ['admin'] });
  });
  afterAll(async () => h?.close());

  it('refuses them in pipeline and stage names', async () => {
    for (const card of CARDS) {
      const named = await call(h.app, 'POST', `${API}/pipelines`, admin.headers, {
        name: `PL ${card}`,
        stages: [{ name: 'Lead' }],
      });
      expect(named.statusCode, named.body).toBe(400);
      expect(problem(named).errors?.[0]?.field).toBe('name');
      const stage = await call(h.app, 'POST', `${API}/pipelines`, admin.headers, {
        name: 'Enterprise',
        stages: [{ name: `st ${card}` }],
      });
      expect(stage.statusCode, stage.body).toBe(400);
      expect(problem(stage).errors?.[0]?.field).toBe('stages.0.name');
    }
    const fine = await call(h.app, 'POST', `${API}/pipelines`, admin.headers, {
      name: 'Renewals 2026',
      stages: [{ name: 'Quote 1234-5678' }],
    });
    expect(fine.statusCode, fine.body).toBe(201);
  });

  it('refuses them in role and team names', async () => {
    for (const card of CARDS) {
      const role = await call(h.app, 'POST', `${API}/roles`, admin.headers, {
        id: 'card-role',
        name: `Role ${card}`,
        policy: {
          objects: {},
          classifications: {},
          fields: {},
          reveal: [],
          capabilities: [],
          ipAllow: [],
        },
      });
      expect(role.statusCode, role.body).toBe(400);
      expect(problem(role).errors?.[0]?.field).toBe('name');
      const team = await call(h.app, 'POST', `${API}/teams`, admin.headers, { name: `Team ${card}`, members: [] });
      expect(team.statusCode, team.body).toBe(400);
      expect(problem(team).errors?.[0]?.field).toBe('name');
    }
  });

  it('refuses them in field labels and select options', async () => {
    for (const [i, card] of CARDS.entries()) {
      const label = await call(h.app, 'POST', `${API}/fields`, admin.headers, {
        object: 'contacts',
        key: `tier${i}`,
        label: `Tier ${card}`,
        type: 'text',
        classification: 'internal',
      });
      expect(label.statusCode, label.body).toBe(400);
      expect(problem(label).errors?.[0]?.field).toBe('label');
      const options = await call(h.app, 'POST', `${API}/fields`, admin.headers, {
        object: 'contacts',
        key: `plan${i}`,
        label: 'Plan',
        type: 'select',
        classification: 'internal',
        options: ['Gold', card],
      });
      expect(options.statusCode, options.body).toBe(400);
      expect(problem(options).errors?.[0]?.field).toBe('options');
    }
  });
});
