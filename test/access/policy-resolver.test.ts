import { describe, expect, it } from 'vitest';
import type { RolesTable } from '../../src/db/database.js';
import { systemClock } from '../../src/platform/clock.js';
import { EventBus } from '../../src/platform/events.js';
import type { AccessRepository } from '../../src/security/access/access.repository.js';
import {
  BUILTIN_POLICIES,
  EMPTY_POLICY,
  builtinPolicy,
  readPolicyInput,
  recordScope,
  systemActor,
  type Actor,
  type RolePolicy,
} from '../../src/security/access/index.js';
import { PolicyResolver } from '../../src/security/access/policy-resolver.js';
import { parsePolicy } from '../../src/security/access/policy-schema.js';

const readOnly = BUILTIN_POLICIES['read-only'];
if (!readOnly) throw new Error('the read-only role is built in');
const noDelete: RolePolicy = readOnly;
const withDelete: RolePolicy = {
  ...noDelete,
  objects: { ...noDelete.objects, contacts: { ops: ['read', 'delete'], scope: 'all' } },
};

/** A role store whose reads can be held open, to interleave a role change with a read under way. */
class SlowRoles {
  policy: RolePolicy = noDelete;
  team: string[] = [];
  private held: (() => void)[] = [];
  hold = false;

  private async gate(): Promise<void> {
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
  }
  release(): void {
    for (const r of this.held.splice(0)) r();
  }
  async roles(): Promise<RolesTable[]> {
    const policy = JSON.stringify(this.policy);
    await this.gate();
    const at = new Date(0).toISOString();
    return [
      { id: 'viewer', name: 'Viewer', description: '', builtin: 0, policy, version: 1, created_at: at, updated_at: at },
    ];
  }
  async managedUserIds(): Promise<string[]> {
    const team = [...this.team];
    await this.gate();
    return team;
  }
}

const actor: Actor = {
  kind: 'user',
  userId: 'u1',
  roles: ['viewer'],
  sessionId: null,
  tokenId: null,
  scopes: null,
  ip: '127.0.0.1',
  userAgent: null,
  requestId: null,
};

describe('policy resolver: a role change applies at once, even to a read under way', () => {
  const setup = () => {
    const store = new SlowRoles();
    const resolver = new PolicyResolver(
      store as unknown as AccessRepository,
      systemClock,
      new EventBus(() => undefined),
    );
    return { store, resolver };
  };
  const canDelete = async (resolver: PolicyResolver) =>
    (await resolver.resolve(actor)).access?.scope('contacts', 'delete') ?? null;

  it('a revocation during a role load is not undone by the stale load', async () => {
    const { store, resolver } = setup();
    store.policy = withDelete;
    store.hold = true;
    const stale = resolver.resolve(actor); // reads the role (with delete) and waits
    await Promise.resolve();
    // The role loses delete and the change invalidates the cache, while the first read is still open.
    store.policy = noDelete;
    resolver.invalidate();
    store.hold = false;
    store.release();
    await stale;
    expect(await canDelete(resolver)).toBeNull();
  });

  it('a load finishing after a newer one does not replace it', async () => {
    const { store, resolver } = setup();
    store.policy = withDelete;
    store.hold = true;
    const old = resolver.resolve(actor);
    await Promise.resolve();
    store.policy = noDelete;
    resolver.invalidate();
    store.hold = false;
    expect(await canDelete(resolver)).toBeNull(); // a fresh load completes first
    store.release(); // then the older read returns
    await old;
    expect(await canDelete(resolver)).toBeNull();
  });

  it('a team change during a team read is not cached stale', async () => {
    const { store, resolver } = setup();
    store.policy = noDelete;
    await resolver.resolve(actor); // roles loaded
    store.team = ['u2'];
    store.hold = true;
    const stale = resolver.resolve({ ...actor, userId: 'manager' });
    await Promise.resolve();
    store.team = [];
    resolver.invalidate();
    store.hold = false;
    store.release();
    await stale;
    const fresh = await resolver.resolve({ ...actor, userId: 'manager' });
    expect(fresh.access?.teamUserIds ?? []).toEqual([]);
  });
});

describe('built-in policies by role id', () => {
  it('are found for the built-in roles only, never for names of JavaScript object properties', () => {
    expect(builtinPolicy('admin')).toBe(BUILTIN_POLICIES.admin);
    for (const id of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])
      expect(builtinPolicy(id)).toBeUndefined();
    // An actor made in-process with such a role has no access at all, rather than a broken one.
    const actor = { ...systemActor(), kind: 'user' as const, userId: 'u-constructor', roles: ['constructor'] };
    expect(recordScope.bind(null, actor, 'contacts', 'read')).toThrow('Forbidden');
  });
});

describe('stored policies written before field keys were checked', () => {
  it('are read without the keys that name no field, keeping everything else (an administrator is not locked out)', () => {
    const admin = BUILTIN_POLICIES.admin;
    if (!admin) throw new Error('no built-in admin policy');
    const stored = {
      ...admin,
      fields: { contacts: { 'x-y': 'none', "email'; --": 'read', email: 'masked', 'custom.passport': 'none' } },
    };
    const read = parsePolicy(JSON.stringify(stored));
    expect(read).not.toBe(EMPTY_POLICY);
    expect(read.capabilities).toEqual(admin.capabilities);
    expect(read.fields).toEqual({ contacts: { email: 'masked', 'custom.passport': 'none' } });
    // Anything else malformed still grants nothing.
    expect(parsePolicy(JSON.stringify({ ...admin, capabilities: ['root'] }))).toBe(EMPTY_POLICY);
    expect(parsePolicy(JSON.stringify({ ...admin, fields: { planets: { x: 'read' } } }))).toBe(EMPTY_POLICY);
    // New input is held to the strict rule: the same keys are refused, naming the first.
    expect(() => readPolicyInput(stored)).toThrow(/Invalid value for 'policy\.fields\.contacts\./);
  });
});
