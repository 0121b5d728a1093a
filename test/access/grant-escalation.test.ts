import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, type RolePolicy } from '../../src/security/access/index.js';
import { testDialects } from '../support/dialects.js';
import { json, startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken } from '../support/identity.js';

/*
 * Escalation through role editing and reveal, from the attacker's side: each case is a way a role manager (or a
 * holder of two roles) could end up seeing more than they do, found by review.
 */
const plain = { public: 'write', internal: 'write', confidential: 'write' } as const;
const policy = (p: Partial<RolePolicy>): RolePolicy => ({
  objects: {},
  classifications: {},
  fields: {},
  reveal: [],
  capabilities: [],
  ipAllow: [],
  ...p,
});
const contactsAll = { contacts: { ops: ['read' as const], scope: 'all' as const } };

describe.each(await testDialects())('role grants and reveal across reach (%s)', (dialect) => {
  let h: Harness;
  let admin: { authorization: string };
  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, headers: Record<string, string>, payload?: unknown) =>
    h.app.inject({
      method,
      url: `/api/v1${url}`,
      headers,
      ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
    });
  // Roles only the system could create (they hold clearer data than any administrator).
  const systemRole = (id: string, p: RolePolicy) =>
    h.rt.access.roles.create(systemActor('test'), { id, name: id, policy: p });

  beforeAll(async () => {
    h = await startHarness(dialect);
    admin = (await createUserWithToken(h, { roles: ['admin'] })).headers;
  });
  afterAll(async () => h?.close());

  it('removing a per-field exception is judged: the field would fall back to a clearer class mode', async () => {
    await systemRole(
      'rx',
      policy({
        objects: contactsAll,
        classifications: { '*': { ...plain, restricted: 'read', pci: 'none' } },
        fields: { contacts: { nationalId: 'none' } },
      }),
    );
    const rx = json(await call('GET', '/roles/rx', admin)) as { version: number; policy: RolePolicy };
    const dropped = await call('PATCH', '/roles/rx', admin, {
      policy: { ...rx.policy, fields: {} },
      version: rx.version,
    });
    expect(dropped.statusCode, dropped.body).toBe(403);
    expect((json(dropped) as { detail: string }).detail).toContain("'nationalId'");
  });

  it('a granter is judged by their own per-field exceptions, not only by their class modes', async () => {
    await systemRole(
      'granter',
      policy({
        objects: contactsAll,
        classifications: { '*': { ...plain, restricted: 'write', pci: 'none' } },
        fields: { contacts: { nationalId: 'none' } },
        capabilities: ['manage-roles'],
      }),
    );
    const granter = (await createUserWithToken(h, { roles: ['granter'] })).headers;
    const wider = await call('POST', '/roles', granter, {
      id: 'wider',
      name: 'Wider',
      policy: policy({ objects: contactsAll, classifications: { '*': { ...plain, restricted: 'write' } } }),
    });
    expect(wider.statusCode, wider.body).toBe(403);
    expect((json(wider) as { detail: string }).detail).toContain("'nationalId'");
    const same = await call('POST', '/roles', granter, {
      id: 'same',
      name: 'Same',
      policy: policy({
        objects: contactsAll,
        classifications: { '*': { ...plain, restricted: 'write' } },
        fields: { contacts: { nationalId: 'none' } },
      }),
    });
    expect(same.statusCode, same.body).toBe(201);
  });

  it("a reveal right held for one's own records does not reveal other people's through a second role", async () => {
    await systemRole(
      'own-reveal',
      policy({
        objects: { contacts: { ops: ['read'], scope: 'own' } },
        classifications: { '*': { ...plain, restricted: 'masked', pci: 'masked' } },
        reveal: ['restricted'],
      }),
    );
    await systemRole(
      'all-masked',
      policy({ objects: contactsAll, classifications: { '*': { ...plain, restricted: 'masked', pci: 'masked' } } }),
    );
    const both = await createUserWithToken(h, { roles: ['own-reveal', 'all-masked'] });
    const others = json(
      await call('POST', '/contacts', admin, {
        firstName: 'Other',
        lastName: 'Person',
        email: 'other.person@example.ir',
        nationalId: '0084575948',
      }),
    ) as { id: string };
    const reason = { fields: ['nationalId', 'email'], reason: 'verifying the customer by phone' };
    const refused = await call('POST', `/contacts/${others.id}/reveal`, both.headers, reason);
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.body).not.toContain('0084575948');
    // On a contact of their own, the reveal right applies.
    const mine = json(
      await call('POST', '/contacts', admin, {
        firstName: 'Own',
        lastName: 'Person',
        email: 'own.person@example.ir',
        ownerId: both.userId,
      }),
    ) as { id: string };
    const ok = await call('POST', `/contacts/${mine.id}/reveal`, both.headers, {
      fields: ['email'],
      reason: 'verifying the customer by phone',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((json(ok) as { fields: Record<string, string> }).fields.email).toBe('own.person@example.ir');
    // Granting a reveal right that reaches every contact needs one that does: the admin holds it.
    expect(
      (
        await call('POST', '/roles', admin, {
          id: 'all-reveal',
          name: 'All reveal',
          policy: policy({
            objects: contactsAll,
            classifications: { '*': { ...plain, restricted: 'masked' } },
            reveal: ['restricted'],
          }),
        })
      ).statusCode,
    ).toBe(201);
  });

  it('no one adds roles to their own account; another administrator can, and giving a role up is allowed', async () => {
    const self = await createUserWithToken(h, { roles: ['admin'] });
    const me = json(await call('GET', `/users/${self.userId}`, self.headers)) as { version: number };
    const grab = await call('PATCH', `/users/${self.userId}`, self.headers, {
      roles: ['admin', 'security-officer'],
      version: me.version,
    });
    expect(grab.statusCode, grab.body).toBe(403);
    const still = json(await call('GET', `/users/${self.userId}`, self.headers)) as {
      roles: string[];
      version: number;
    };
    expect(still.roles).toEqual(['admin']);
    const byOther = await call('PATCH', `/users/${self.userId}`, admin, {
      roles: ['admin', 'sales-rep'],
      version: still.version,
    });
    expect(byOther.statusCode, byOther.body).toBe(200);
    // Giving a role up is one's own business.
    const two = await createUserWithToken(h, { roles: ['admin', 'sales-rep'] });
    const v = (json(await call('GET', `/users/${two.userId}`, two.headers)) as { version: number }).version;
    const drop = await call('PATCH', `/users/${two.userId}`, two.headers, { roles: ['admin'], version: v });
    expect(drop.statusCode, drop.body).toBe(200);
  });

  it("lifting a role's network allowlist is judged like granting the whole role", async () => {
    await systemRole(
      'office-keys',
      policy({ objects: contactsAll, capabilities: ['manage-keys'], ipAllow: ['10.20.0.0/16'] }),
    );
    const r = json(await call('GET', '/roles/office-keys', admin)) as { version: number; policy: RolePolicy };
    for (const ipAllow of [[], ['0.0.0.0/0'], ['10.20.0.0/16', '192.0.2.0/24']]) {
      const lifted = await call('PATCH', '/roles/office-keys', admin, {
        policy: { ...r.policy, ipAllow },
        version: r.version,
      });
      expect(lifted.statusCode, JSON.stringify(ipAllow)).toBe(403);
      expect((json(lifted) as { detail: string }).detail).toContain('manage-keys');
    }
    // Narrowing it, or leaving it as it is, is fine.
    const narrowed = await call('PATCH', '/roles/office-keys', admin, {
      policy: { ...r.policy, ipAllow: ['10.20.0.0/16'], objects: {} },
      version: r.version,
    });
    expect(narrowed.statusCode, narrowed.body).toBe(200);
  });

  it('managing teams does not let one join a team or become its manager', async () => {
    const self = await createUserWithToken(h, { roles: ['admin'] });
    const other = await createUserWithToken(h, { roles: ['sales-rep'] });
    const joined = await call('POST', '/teams', self.headers, {
      name: 'Self-made',
      members: [
        { userId: self.userId, role: 'manager' },
        { userId: other.userId, role: 'member' },
      ],
    });
    expect(joined.statusCode, joined.body).toBe(403);
    const made = await call('POST', '/teams', admin, {
      name: 'Made by another',
      members: [
        { userId: self.userId, role: 'member' },
        { userId: other.userId, role: 'member' },
      ],
    });
    expect(made.statusCode, made.body).toBe(201);
    const team = json(made) as { id: string; version: number };
    const promoted = await call('PATCH', `/teams/${team.id}`, self.headers, {
      members: [
        { userId: self.userId, role: 'manager' },
        { userId: other.userId, role: 'member' },
      ],
      version: team.version,
    });
    expect(promoted.statusCode, promoted.body).toBe(403);
    // Renaming the team, or leaving it, is fine.
    const renamed = await call('PATCH', `/teams/${team.id}`, self.headers, {
      name: 'Renamed',
      members: [
        { userId: self.userId, role: 'member' },
        { userId: other.userId, role: 'member' },
      ],
      version: team.version,
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const left = await call('PATCH', `/teams/${team.id}`, self.headers, {
      members: [{ userId: other.userId, role: 'member' }],
      version: (json(renamed) as { version: number }).version,
    });
    expect(left.statusCode, left.body).toBe(200);
  });

  it('an edit judged against an older version than the one it claims is refused, not applied', async () => {
    const r = json(
      await call('POST', '/roles', admin, {
        id: 'versioned',
        name: 'Versioned',
        policy: policy({ objects: contactsAll }),
      }),
    ) as { version: number; policy: RolePolicy };
    const ahead = await call('PATCH', '/roles/versioned', admin, { policy: r.policy, version: r.version + 1 });
    expect(ahead.statusCode).toBe(409);
    const ok = await call('PATCH', '/roles/versioned', admin, { description: 'fine', version: r.version });
    expect(ok.statusCode, ok.body).toBe(200);
  });
});
