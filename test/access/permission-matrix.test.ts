import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, json, type Harness } from '../support/harness.js';
import { testDialects } from '../support/dialects.js';
import { createUserWithToken } from '../support/identity.js';

/*
 * The permission matrix of CONTRACT.md, walked over the real HTTP API: roles × objects × fields ×
 * operations × ownership (own / team / other). The expectations below are written from the contract,
 * not derived from the implementation's policy table, so a drifting default fails here.
 */
type Vis = 'clear' | 'masked' | 'absent';
interface RoleSpec {
  scope: 'own' | 'team' | 'all';
  write: boolean;
  restricted: Vis;
  pci: Exclude<Vis, 'clear'>;
  reveal: boolean;
  /** may export the records it lists (CONTRACT: admin and sales-manager) */
  export?: boolean;
  /** card data may be revealed (with a reason and a recent interactive sign-in) */
  revealPci?: boolean;
  /** support sees email/phone masked and the other restricted fields not at all */
  support?: boolean;
}

const CONTRACT: Record<string, RoleSpec> = {
  admin: {
    scope: 'all',
    write: true,
    restricted: 'masked',
    pci: 'masked',
    reveal: true,
    revealPci: true,
    export: true,
  },
  'security-officer': { scope: 'all', write: false, restricted: 'masked', pci: 'masked', reveal: true },
  'sales-manager': { scope: 'all', write: true, restricted: 'masked', pci: 'masked', reveal: true, export: true },
  'sales-rep': { scope: 'own', write: true, restricted: 'clear', pci: 'masked', reveal: false },
  support: { scope: 'all', write: false, restricted: 'absent', pci: 'absent', reveal: false, support: true },
  auditor: { scope: 'all', write: false, restricted: 'absent', pci: 'absent', reveal: false },
  'read-only': { scope: 'all', write: false, restricted: 'absent', pci: 'absent', reveal: false },
  'team-lead': { scope: 'team', write: true, restricted: 'masked', pci: 'masked', reveal: true, revealPci: true },
};

const RESTRICTED = ['email', 'phone', 'nationalId', 'birthDate', 'address', 'custom.passport'] as const;
const CONTACT = {
  firstName: 'Matrix',
  lastName: 'Person',
  email: 'matrix.person@example.com',
  phone: '+989121112233',
  nationalId: '0084575948',
  birthDate: '1980-05-06',
  address: 'Vali-e Asr 1, Tehran',
  paymentCard: '4111111111111111',
  title: 'Buyer',
};

function visibilityFor(role: RoleSpec, field: string): Vis {
  if (field === 'paymentCard') return role.pci;
  if (role.support) return field === 'email' || field === 'phone' ? 'masked' : 'absent';
  return role.restricted;
}

function valueOf(rec: Record<string, unknown>, field: string): unknown {
  return field.startsWith('custom.')
    ? (rec.custom as Record<string, unknown> | undefined)?.[field.slice(7)]
    : rec[field];
}

function isPresent(rec: Record<string, unknown>, field: string): boolean {
  return field.startsWith('custom.')
    ? Object.hasOwn((rec.custom as Record<string, unknown>) ?? {}, field.slice(7))
    : Object.hasOwn(rec, field);
}

for (const dialect of await testDialects()) {
  describe(`permission matrix (${dialect})`, () => {
    let h: Harness;
    const who: Record<string, { headers: { authorization: string }; userId: string }> = {};
    const ids: Record<'contacts' | 'companies' | 'deals' | 'activities', string> = {
      contacts: '',
      companies: '',
      deals: '',
      activities: '',
    };
    let otherContact = '';
    /** Per role: a contact owned by the role's user, one owned by a member of the team it manages, and two to delete. */
    const own: Record<string, string> = {};
    let teamContact = '';
    const deletable: Record<string, { own: string; other: string }> = {};

    const call = (
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
      url: string,
      headers: Record<string, string>,
      payload?: unknown,
    ) =>
      h.app.inject({
        method,
        url: `/api/v1${url}`,
        headers,
        ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
      });

    beforeAll(async () => {
      h = await startHarness(dialect);
      for (const role of Object.keys(CONTRACT).filter((r) => r !== 'team-lead')) {
        const u = await createUserWithToken(h, { roles: [role] });
        who[role] = { headers: u.headers, userId: u.userId };
      }
      const rep2 = await createUserWithToken(h, { roles: ['sales-rep'] });
      who.rep2 = { headers: rep2.headers, userId: rep2.userId };
      const admin = who.admin?.headers ?? { authorization: '' };
      // a custom role scoped to its team, and a team that makes the first rep its member
      const role = await call('POST', '/roles', admin, {
        id: 'team-lead',
        name: 'Team lead',
        policy: {
          objects: Object.fromEntries(
            ['companies', 'contacts', 'deals', 'activities'].map((o) => [
              o,
              { ops: ['read', 'create', 'update', 'delete'], scope: 'team' },
            ]),
          ),
          classifications: {
            '*': {
              public: 'write',
              internal: 'write',
              confidential: 'write',
              restricted: 'masked-write',
              pci: 'masked-write',
            },
          },
          fields: {},
          reveal: ['restricted', 'pci'],
          capabilities: [],
          ipAllow: [],
        },
      });
      expect(role.statusCode, role.body).toBe(201);
      const lead = await createUserWithToken(h, { roles: ['team-lead'] });
      who['team-lead'] = { headers: lead.headers, userId: lead.userId };
      const team = await call('POST', '/teams', admin, {
        name: 'Tehran',
        members: [
          { userId: lead.userId, role: 'manager' },
          { userId: who['sales-rep']?.userId, role: 'member' },
        ],
      });
      expect(team.statusCode, team.body).toBe(201);
      for (const [key, classification] of [
        ['passport', 'restricted'],
        ['nickname', 'internal'],
      ] as const) {
        const f = await call('POST', '/fields', admin, {
          object: 'contacts',
          key,
          label: key,
          type: 'text',
          classification,
          searchable: true,
        });
        expect(f.statusCode).toBe(201);
      }
      const rep = who['sales-rep']?.headers ?? { authorization: '' };
      const c = await call('POST', '/contacts', rep, {
        ...CONTACT,
        custom: { passport: 'P12345678', nickname: 'Matty' },
      });
      expect(c.statusCode, c.body).toBe(201);
      ids.contacts = (json(c) as { id: string }).id;
      ids.companies = (
        json(
          await call('POST', '/companies', rep, {
            name: 'Matrix Co',
            taxId: 'TX-1',
            iban: 'IR820540102680020817909002',
          }),
        ) as { id: string }
      ).id;
      ids.deals = (
        json(
          await call('POST', '/deals', rep, {
            title: 'Matrix deal',
            currency: 'EUR',
            amount: 100,
            contactIds: [ids.contacts],
          }),
        ) as { id: string }
      ).id;
      ids.activities = (
        json(
          await call('POST', '/activities', rep, {
            type: 'note',
            subject: 'Matrix note',
            related: [{ type: 'contacts', id: ids.contacts }],
          }),
        ) as { id: string }
      ).id;
      otherContact = (
        json(
          await call('POST', '/contacts', who.rep2?.headers ?? rep, {
            firstName: 'Stranger',
            email: 'stranger@example.com',
          }),
        ) as { id: string }
      ).id;
      // Ownership crossed with every role: each role's user manages a team whose member owns `teamContact`,
      // owns a contact of its own (given to it by the administrator), and `otherContact` belongs to neither.
      const mate = await createUserWithToken(h, { roles: ['sales-rep'] });
      // Nobody makes themselves a team's manager: another administrator builds the teams.
      const teamAdmin = (await createUserWithToken(h, { roles: ['admin'] })).headers;
      const made = async (ownerId: string, email: string, full: boolean): Promise<string> => {
        const r = await call('POST', '/contacts', admin, {
          ...(full ? CONTACT : { firstName: 'Throwaway' }),
          email,
          ownerId,
          ...(full ? { custom: { passport: 'P12345678', nickname: 'Matty' } } : {}),
        });
        expect(r.statusCode, r.body).toBe(201);
        return (json(r) as { id: string }).id;
      };
      teamContact = await made(mate.userId, 'team.mate@example.com', true);
      for (const role of Object.keys(CONTRACT)) {
        const userId = who[role]?.userId ?? '';
        const t = await call('POST', '/teams', teamAdmin, {
          name: `Team of ${role}`,
          members: [
            { userId, role: 'manager' },
            { userId: mate.userId, role: 'member' },
          ],
        });
        expect(t.statusCode, t.body).toBe(201);
        own[role] = await made(userId, `own.${role}@example.com`, true);
        deletable[role] = {
          own: await made(userId, `delete.own.${role}@example.com`, false),
          other: await made(who.rep2?.userId ?? '', `delete.other.${role}@example.com`, false),
        };
      }
    });
    afterAll(async () => h?.close());

    const relationOf = (role: string): 'own' | 'team' | 'other' =>
      role === 'sales-rep' ? 'own' : role === 'team-lead' ? 'team' : 'other';
    const inScope = (spec: RoleSpec, rel: 'own' | 'team' | 'other'): boolean =>
      spec.scope === 'all' || (spec.scope === 'team' && rel !== 'other') || (spec.scope === 'own' && rel === 'own');

    for (const [roleName, spec] of Object.entries(CONTRACT)) {
      describe(roleName, () => {
        const headers = (): { authorization: string } => who[roleName]?.headers ?? { authorization: '' };

        it('reads, lists and finds exactly the records in its scope, with each field shown as the contract says', async () => {
          const visible = inScope(spec, relationOf(roleName));
          for (const object of ['contacts', 'companies', 'deals', 'activities'] as const) {
            const got = await call('GET', `/${object}/${ids[object]}`, headers());
            expect(got.statusCode, `${roleName} GET ${object}`).toBe(visible ? 200 : 404);
            const list = json(await call('GET', `/${object}?limit=200`, headers())) as { items: { id: string }[] };
            expect(
              list.items.some((i) => i.id === ids[object]),
              `${roleName} list ${object}`,
            ).toBe(visible);
          }
          const other = await call('GET', `/contacts/${otherContact}`, headers());
          expect(other.statusCode).toBe(spec.scope === 'all' ? 200 : 404);
          if (!visible) {
            expect((await call('GET', `/contacts/${ids.contacts}/timeline`, headers())).statusCode).toBe(404);
            return;
          }
          const rec = json(await call('GET', `/contacts/${ids.contacts}`, headers())) as Record<string, unknown>;
          expect(rec.firstName).toBe('Matrix');
          expect(valueOf(rec, 'custom.nickname')).toBe('Matty');
          for (const field of [...RESTRICTED, 'paymentCard']) {
            const vis = visibilityFor(spec, field);
            const clear =
              field === 'custom.passport'
                ? 'P12345678'
                : field === 'paymentCard'
                  ? null
                  : (CONTACT as Record<string, string>)[field];
            if (vis === 'absent') {
              expect(isPresent(rec, field), `${roleName} ${field} absent`).toBe(false);
            } else if (vis === 'clear') {
              expect(valueOf(rec, field), `${roleName} ${field} clear`).toBe(clear);
            } else {
              const v = valueOf(rec, field);
              expect(typeof v, `${roleName} ${field} masked`).toBe('string');
              expect(v, `${roleName} ${field} masked`).not.toBe(clear);
              expect(String(v)).toContain('*');
            }
          }
          expect(JSON.stringify(rec)).not.toContain('4111111111111111');
          // the company's confidential fields are readable by every role that reads companies
          const co = json(await call('GET', `/companies/${ids.companies}`, headers())) as Record<string, unknown>;
          expect(co.taxId).toBe('TX-1');
          expect((await call('GET', `/contacts/${ids.contacts}/timeline`, headers())).statusCode).toBe(200);
        });

        it('can use exact lookups on fields it sees (even masked) and is refused on hidden ones; never sorts or filters by restricted data', async () => {
          const visible = inScope(spec, relationOf(roleName));
          const email = await call('GET', `/contacts?email=${encodeURIComponent(CONTACT.email)}`, headers());
          if (visibilityFor(spec, 'email') === 'absent') {
            expect(email.statusCode, `${roleName} email lookup`).toBe(403);
          } else {
            expect(email.statusCode).toBe(200);
            expect((json(email) as { items: { id: string }[] }).items.map((i) => i.id)).toEqual(
              visible ? [ids.contacts] : [],
            );
          }
          const nid = await call('GET', `/contacts?nationalId=${CONTACT.nationalId}`, headers());
          expect(nid.statusCode, `${roleName} nationalId lookup`).toBe(
            visibilityFor(spec, 'nationalId') === 'absent' ? 403 : 200,
          );
          const passport = await call('GET', `/contacts?custom.passport=P12345678`, headers());
          expect(passport.statusCode).toBe(visibilityFor(spec, 'custom.passport') === 'absent' ? 403 : 200);
          // Sorting by restricted data: 403 for a role that does not see it in clear (the order would be an oracle
          // for the hidden value), 400 for one that does (restricted data is no sort key for anyone). A birth date
          // is no filter at all: the same 400 for every role, so the answer tells nothing.
          for (const [q, field] of [
            ['sort=email', 'email'],
            ['sort=-nationalId', 'nationalId'],
            ['sort=custom.passport', 'custom.passport'],
            ['birthDate=1980-05-06', null],
          ] as const) {
            const r = await call('GET', `/contacts?${q}`, headers());
            const expected = field === null || visibilityFor(spec, field) === 'clear' ? 400 : 403;
            expect(r.statusCode, `${roleName} ${q} ${r.body}`).toBe(expected);
            expect(r.body).not.toContain('1980-05-06');
          }
          const q = json(await call('GET', '/contacts?q=matty', headers())) as { items: { id: string }[] };
          expect(q.items.some((i) => i.id === ids.contacts)).toBe(visible);
        });

        it('writes only what it may, and never outside its scope', async () => {
          const rel = relationOf(roleName);
          const visible = inScope(spec, rel);
          const get = await call('GET', `/contacts/${ids.contacts}`, headers());
          const version = visible ? (json(get) as { version: number }).version : 1;
          const plain = await call('PATCH', `/contacts/${ids.contacts}`, headers(), {
            title: `Set by ${roleName}`,
            version,
          });
          expect(plain.statusCode, `${roleName} PATCH title`).toBe(!visible ? 404 : spec.write ? 200 : 403);
          const v2 = plain.statusCode === 200 ? version + 1 : version;
          const sensitive = await call('PATCH', `/contacts/${ids.contacts}`, headers(), {
            phone: '+989121112233',
            version: v2,
          });
          expect(sensitive.statusCode, `${roleName} PATCH phone`).toBe(!visible ? 404 : spec.write ? 200 : 403);
          const create = await call('POST', '/contacts', headers(), { firstName: `Made by ${roleName}` });
          expect(create.statusCode, `${roleName} create`).toBe(spec.write ? 201 : 403);
          const note = await call('POST', '/activities', headers(), { type: 'note', subject: `Note by ${roleName}` });
          expect(note.statusCode, `${roleName} create activity`).toBe(spec.write || spec.support ? 201 : 403);
          if (spec.write) {
            const mine = (json(create) as { id: string }).id;
            // handing a record to someone outside one's scope is refused
            const give = await call('PATCH', `/contacts/${mine}`, headers(), { ownerId: who.rep2?.userId, version: 1 });
            expect(give.statusCode, `${roleName} give away`).toBe(spec.scope === 'all' ? 200 : 403);
          }
        });

        it("sees its own, its team's and others' contacts exactly as its scope says, fields alike in get, list and lookup", async () => {
          const cases = [
            { rel: 'own', id: own[roleName] ?? '', email: `own.${roleName}@example.com`, full: true },
            { rel: 'team', id: teamContact, email: 'team.mate@example.com', full: true },
            { rel: 'other', id: otherContact, email: 'stranger@example.com', full: false },
          ] as const;
          const list = json(await call('GET', '/contacts?limit=200', headers())) as {
            items: Record<string, unknown>[];
          };
          for (const { rel, id, email, full } of cases) {
            const visible = inScope(spec, rel);
            const got = await call('GET', `/contacts/${id}`, headers());
            expect(got.statusCode, `${roleName} GET ${rel}`).toBe(visible ? 200 : 404);
            const item = list.items.find((i) => i.id === id);
            expect(item !== undefined, `${roleName} list ${rel}`).toBe(visible);
            const lookup = await call('GET', `/contacts?email=${encodeURIComponent(email)}`, headers());
            if (visibilityFor(spec, 'email') === 'absent') {
              expect(lookup.statusCode, `${roleName} lookup ${rel}`).toBe(403);
            } else {
              expect((json(lookup) as { items: { id: string }[] }).items.map((i) => i.id)).toEqual(visible ? [id] : []);
            }
            if (!visible || !item) continue;
            for (const [where, rec] of [
              ['get', json(got) as Record<string, unknown>],
              ['list', item],
            ] as const) {
              for (const field of [...RESTRICTED, 'paymentCard']) {
                const vis = visibilityFor(spec, field);
                const label = `${roleName} ${rel} ${where} ${field}`;
                if (vis === 'absent') {
                  expect(isPresent(rec, field), label).toBe(false);
                  continue;
                }
                const v = valueOf(rec, field);
                const clear =
                  field === 'email'
                    ? email
                    : field === 'custom.passport'
                      ? 'P12345678'
                      : (CONTACT as Record<string, string>)[field];
                if (!full && field !== 'email') continue;
                if (vis === 'clear' && field !== 'paymentCard') expect(v, label).toBe(clear);
                else {
                  expect(typeof v, label).toBe('string');
                  expect(v, label).not.toBe(clear);
                  expect(String(v), label).toContain('*');
                }
              }
            }
          }
          // Whatever else the page holds: no field the role may not see, nothing it sees masked shown in clear.
          for (const rec of list.items) {
            for (const field of [...RESTRICTED, 'paymentCard']) {
              const vis = visibilityFor(spec, field);
              const v = valueOf(rec, field);
              if (vis === 'absent') expect(isPresent(rec, field), `${roleName} page ${field}`).toBe(false);
              else if (vis === 'masked' && v !== null && v !== undefined) {
                expect(typeof v, `${roleName} page ${field}`).toBe('string');
                expect(v as string, `${roleName} page ${field}`).toContain('*');
              }
            }
          }
          expect(JSON.stringify(list)).not.toContain('4111111111111111');
        });

        it('exports only with the export permission, and only what its list shows', async () => {
          const res = await call('GET', '/contacts/export?format=ndjson', headers());
          expect(res.statusCode, `${roleName} export ${res.body}`).toBe(spec.export === true ? 200 : 403);
          if (res.statusCode !== 200) return;
          const exported = res.body
            .trimEnd()
            .split('\n')
            .map((l) => JSON.parse(l) as Record<string, unknown>);
          const list = json(await call('GET', '/contacts?limit=200', headers())) as {
            items: Record<string, unknown>[];
          };
          expect(exported).toEqual(list.items);
          for (const rec of exported) {
            for (const field of [...RESTRICTED, 'paymentCard']) {
              const vis = visibilityFor(spec, field);
              if (vis === 'absent') expect(isPresent(rec, field), `${roleName} export ${field}`).toBe(false);
            }
          }
          for (const clear of [CONTACT.email, CONTACT.nationalId, CONTACT.paymentCard, 'P12345678']) {
            if (visibilityFor(spec, 'email') !== 'clear') expect(res.body, `${roleName} export`).not.toContain(clear);
          }
        });

        it('deletes only within its scope and only with the permission to', async () => {
          const mine = deletable[roleName]?.own ?? '';
          const theirs = deletable[roleName]?.other ?? '';
          const ownDel = await call('DELETE', `/contacts/${mine}`, headers());
          expect(ownDel.statusCode, `${roleName} delete own ${ownDel.body}`).toBe(spec.write ? 204 : 403);
          const otherDel = await call('DELETE', `/contacts/${theirs}`, headers());
          expect(otherDel.statusCode, `${roleName} delete other ${otherDel.body}`).toBe(
            !spec.write ? 403 : inScope(spec, 'other') ? 204 : 404,
          );
          const admin = who.admin?.headers ?? { authorization: '' };
          for (const [id, deleted] of [
            [mine, ownDel.statusCode === 204],
            [theirs, otherDel.statusCode === 204],
          ] as const) {
            const live = await call('GET', `/contacts/${id}`, admin);
            expect(live.statusCode, `${roleName} ${id} after the delete`).toBe(deleted ? 404 : 200);
          }
        });

        it('reveals masked values only with a reason, where the contract allows it', async () => {
          const visible = inScope(spec, relationOf(roleName));
          const noReason = await call('POST', `/contacts/${ids.contacts}/reveal`, headers(), {
            fields: ['email'],
            reason: '',
          });
          expect(noReason.statusCode).toBe(400);
          // A reason that passes the request schema but says nothing is refused by the service itself.
          const vague = await call('POST', `/contacts/${ids.contacts}/reveal`, headers(), {
            fields: ['email'],
            reason: 'why',
          });
          expect(vague.statusCode, `${roleName} vague reason ${vague.body}`).toBe(400);
          expect(json(vague)).toMatchObject({ code: 'SEPAR_ERR_VALIDATION', errors: [{ field: 'reason' }] });
          const r = await call('POST', `/contacts/${ids.contacts}/reveal`, headers(), {
            fields: ['email', 'custom.passport'],
            reason: 'Customer asked to verify',
          });
          const vis = visibilityFor(spec, 'email');
          const expected = !visible ? 404 : vis === 'absent' ? 403 : vis === 'clear' || spec.reveal ? 200 : 403;
          expect(r.statusCode, `${roleName} reveal ${r.body}`).toBe(expected);
          if (expected === 200)
            expect(json(r)).toMatchObject({ fields: { email: CONTACT.email, 'custom.passport': 'P12345678' } });
          // card data is never revealed through an API token: it needs a recent interactive sign-in
          const card = await call('POST', `/contacts/${ids.contacts}/reveal`, headers(), {
            fields: ['paymentCard'],
            reason: 'Refund to the card',
          });
          const pci = visibilityFor(spec, 'paymentCard');
          expect(card.statusCode, `${roleName} card reveal ${card.body}`).toBe(
            !visible ? 404 : pci === 'absent' || spec.revealPci !== true ? 403 : 401,
          );
          if (card.statusCode === 401) expect((json(card) as { code: string }).code).toBe('SEPAR_ERR_STEP_UP_REQUIRED');
          expect(card.body).not.toContain('4111111111111111');
        });
      });
    }

    it('a token scoped down never exceeds its scope, and never its user', async () => {
      const adminId = who.admin?.userId ?? '';
      const token = await h.rt.identity.tokens.createToken(
        { ...systemLike(adminId) },
        { userId: adminId, name: 'ro', scopes: ['contacts:read'] },
      );
      const t = { authorization: `Bearer ${token.token}` };
      expect((await call('GET', `/contacts/${ids.contacts}`, t)).statusCode).toBe(200);
      expect((await call('PATCH', `/contacts/${ids.contacts}`, t, { title: 'x', version: 1 })).statusCode).toBe(403);
      expect((await call('GET', '/deals', t)).statusCode).toBe(403);
      expect(
        (
          await call('POST', '/fields', t, {
            object: 'contacts',
            key: 'zz',
            label: 'z',
            type: 'text',
            classification: 'public',
          })
        ).statusCode,
      ).toBe(403);
      const repId = who['sales-rep']?.userId ?? '';
      const wide = await h.rt.identity.tokens.createToken(systemLike(repId), {
        userId: repId,
        name: 'all',
        scopes: ['*'],
      });
      expect(
        (await call('GET', `/contacts/${otherContact}`, { authorization: `Bearer ${wide.token}` })).statusCode,
      ).toBe(404);
    });

    it('refuses a role used from outside its allowed networks, and records it', async () => {
      const admin = who.admin?.headers ?? { authorization: '' };
      const role = json(await call('GET', '/roles/read-only', admin)) as {
        version: number;
        policy: Record<string, unknown>;
      };
      const upd = await call('PATCH', '/roles/read-only', admin, {
        policy: { ...role.policy, ipAllow: ['10.20.0.0/16', '2001:db8::/32'] },
        version: role.version,
      });
      expect(upd.statusCode, upd.body).toBe(200);
      const events: string[] = [];
      const off = h.rt.bus.subscribe((e) => {
        if (e.type === 'access.ip_refused') events.push(e.type);
      });
      const ro = who['read-only']?.headers ?? { authorization: '' };
      const outside = await h.app.inject({
        method: 'GET',
        url: '/api/v1/contacts',
        headers: ro,
        remoteAddress: '192.0.2.7',
      });
      expect(outside.statusCode).toBe(403);
      expect((json(outside) as { code: string }).code).toBe('SEPAR_ERR_IP_REFUSED');
      const inside = await h.app.inject({
        method: 'GET',
        url: '/api/v1/contacts',
        headers: ro,
        remoteAddress: '10.20.3.4',
      });
      expect(inside.statusCode).toBe(200);
      const v6 = await h.app.inject({
        method: 'GET',
        url: '/api/v1/contacts',
        headers: ro,
        remoteAddress: '2001:db8::5',
      });
      expect(v6.statusCode).toBe(200);
      off();
      expect(events.length).toBeGreaterThan(0);
      await call('PATCH', '/roles/read-only', admin, {
        policy: { ...role.policy, ipAllow: [] },
        version: role.version + 1,
      });
    });

    it('a role that writes contacts but may not see a field is refused writing it (403), built-in and custom', async () => {
      const admin = who.admin?.headers ?? { authorization: '' };
      const role = await call('POST', '/roles', admin, {
        id: 'blind-writer',
        name: 'Blind writer',
        policy: {
          objects: { contacts: { ops: ['read', 'create', 'update'], scope: 'all' } },
          classifications: {
            '*': { public: 'write', internal: 'write', confidential: 'write', restricted: 'none', pci: 'none' },
          },
          fields: {},
          reveal: [],
          capabilities: [],
          ipAllow: [],
        },
      });
      expect(role.statusCode, role.body).toBe(201);
      const blind = (await createUserWithToken(h, { roles: ['blind-writer'] })).headers;
      for (const [body, field] of [
        [{ firstName: 'Blind', email: 'blind.writer@example.com' }, 'email'],
        [{ firstName: 'Blind', paymentCard: CONTACT.paymentCard }, 'paymentCard'],
        [{ firstName: 'Blind', custom: { passport: 'P7654321' } }, 'custom.passport'],
      ] as const) {
        const r = await call('POST', '/contacts', blind, body);
        expect(r.statusCode, `create with ${field}: ${r.body}`).toBe(403);
        expect(json(r)).toMatchObject({ code: 'SEPAR_ERR_FORBIDDEN', errors: [{ field }] });
      }
      const made = await call('POST', '/contacts', blind, { firstName: 'Blind', custom: { nickname: 'B' } });
      expect(made.statusCode, made.body).toBe(201);
      const id = (json(made) as { id: string }).id;
      for (const [body, field] of [
        [{ nationalId: CONTACT.nationalId, version: 1 }, 'nationalId'],
        [{ custom: { passport: 'P7654321' }, version: 1 }, 'custom.passport'],
      ] as const) {
        const r = await call('PATCH', `/contacts/${id}`, blind, body);
        expect(r.statusCode, `update of ${field}: ${r.body}`).toBe(403);
        expect(json(r)).toMatchObject({ code: 'SEPAR_ERR_FORBIDDEN', errors: [{ field }] });
      }
      const ok = await call('PATCH', `/contacts/${id}`, blind, { title: 'Allowed', version: 1 });
      expect(ok.statusCode, ok.body).toBe(200);
      const seen = json(await call('GET', `/contacts/${ids.contacts}`, blind)) as Record<string, unknown>;
      for (const field of [...RESTRICTED, 'paymentCard']) expect(isPresent(seen, field), field).toBe(false);
    });

    it('a user with no role sees no customer data (privacy by default)', async () => {
      const none = await createUserWithToken(h, { roles: [] });
      for (const object of ['contacts', 'companies', 'deals', 'activities']) {
        expect((await call('GET', `/${object}`, none.headers)).statusCode).toBe(403);
      }
    });

    it('managing roles does not grant reading restricted data, and nobody grants what they do not hold', async () => {
      const admin = who.admin?.headers ?? { authorization: '' };
      const escalate = await call('POST', '/roles', admin, {
        id: 'auditor-plus',
        name: 'Auditor plus',
        policy: { objects: {}, classifications: {}, fields: {}, reveal: [], capabilities: ['read-audit'], ipAllow: [] },
      });
      expect(escalate.statusCode).toBe(403);
      const so = who['security-officer']?.headers ?? { authorization: '' };
      expect((await call('PATCH', '/roles/admin', so, { name: 'x', version: 1 })).statusCode).toBe(403);
      // Names are one line: a line break in a role or team name would forge lines where they are listed.
      const empty = { objects: {}, classifications: {}, fields: {}, reveal: [], capabilities: [], ipAllow: [] };
      const forged = await call('POST', '/roles', admin, {
        id: 'forged',
        name: 'Sales\nadmin: granted',
        policy: empty,
      });
      expect(forged.statusCode, forged.body).toBe(400);
      expect((json(forged) as { errors: { field: string }[] }).errors[0]?.field).toBe('name');
      const team = await call('POST', '/teams', admin, { name: 'North\r\nSouth', members: [] });
      expect(team.statusCode, team.body).toBe(400);
    });

    it('nobody grants clearer data than they see: field modes and object reach are checked, edits judge only what changes', async () => {
      const admin = who.admin?.headers ?? { authorization: '' };
      const base = { reveal: [], capabilities: [], ipAllow: [] };
      const contactsAll = { contacts: { ops: ['read'], scope: 'all' } };
      // The administrator sees restricted data masked: a role that shows it in clear would be a way around that.
      const clearByClass = await call('POST', '/roles', admin, {
        id: 'peek-class',
        name: 'Peek',
        policy: { ...base, objects: contactsAll, classifications: { '*': { restricted: 'read' } }, fields: {} },
      });
      expect(clearByClass.statusCode).toBe(403);
      const clearByField = await call('POST', '/roles', admin, {
        id: 'peek-field',
        name: 'Peek',
        policy: { ...base, objects: contactsAll, classifications: {}, fields: { contacts: { email: 'read' } } },
      });
      expect(clearByField.statusCode).toBe(403);
      expect((json(clearByField) as { detail: string }).detail).toContain("'email'");
      // A field key that is no field name at all is refused, not stored as a grant of nothing.
      const junkKey = await call('POST', '/roles', admin, {
        id: 'junk-key',
        name: 'Junk key',
        policy: {
          ...base,
          objects: contactsAll,
          classifications: {},
          fields: { contacts: { "email'; --": 'masked' } },
        },
      });
      expect(junkKey.statusCode, junkKey.body).toBe(400);
      // What the administrator holds (masked) can be handed out.
      const masked = await call('POST', '/roles', admin, {
        id: 'masked-viewer',
        name: 'Masked viewer',
        policy: { ...base, objects: contactsAll, classifications: {}, fields: { contacts: { email: 'masked' } } },
      });
      expect(masked.statusCode, masked.body).toBe(201);
      // Editing a role that holds more than the editor (the security officer's manage-keys) works when the
      // edit does not add to it; adding a capability the editor lacks does not.
      const so = await call('GET', '/roles/security-officer', admin);
      const soRole = json(so) as { version: number; policy: { capabilities: string[] } };
      const renamed = await call('PATCH', '/roles/security-officer', admin, {
        description: 'Security officers of the bank',
        policy: soRole.policy,
        version: soRole.version,
      });
      expect(renamed.statusCode, renamed.body).toBe(200);
      const viewer = json(masked) as { version: number; policy: Record<string, unknown> };
      const widened = await call('PATCH', '/roles/masked-viewer', admin, {
        policy: { ...viewer.policy, capabilities: ['manage-keys'] },
        version: viewer.version,
      });
      expect(widened.statusCode).toBe(403);
    });

    it('modes a role already had are judged anew when its reach widens or its object is granted later', async () => {
      const admin = who.admin?.headers ?? { authorization: '' };
      // The sales rep writes restricted data in clear on its own records; the administrator sees it masked.
      // Widening the rep's reach to every contact would hand that clear view of all contacts out.
      const rep = json(await call('GET', '/roles/sales-rep', admin)) as {
        version: number;
        policy: { objects: Record<string, { ops: string[]; scope: string }> };
      };
      const widen = await call('PATCH', '/roles/sales-rep', admin, {
        policy: { ...rep.policy, objects: { ...rep.policy.objects, contacts: { ops: ['read'], scope: 'all' } } },
        version: rep.version,
      });
      expect(widen.statusCode, widen.body).toBe(403);
      expect((json(widen) as { detail: string }).detail).toContain('restricted');
      // Two steps: set the clear mode while contacts are not granted (dormant, accepted), then grant contacts.
      const base = { reveal: [], capabilities: [], ipAllow: [] };
      const dormant = await call('POST', '/roles', admin, {
        id: 'dormant-peek',
        name: 'Dormant peek',
        policy: { ...base, objects: {}, classifications: {}, fields: { contacts: { email: 'read' } } },
      });
      expect(dormant.statusCode, dormant.body).toBe(201);
      const step = json(dormant) as { version: number; policy: Record<string, unknown> };
      const woken = await call('PATCH', '/roles/dormant-peek', admin, {
        policy: { ...step.policy, objects: { contacts: { ops: ['read'], scope: 'all' } } },
        version: step.version,
      });
      expect(woken.statusCode, woken.body).toBe(403);
      expect((json(woken) as { detail: string }).detail).toContain("'email'");
      // The rep's role is unchanged by the refused edit.
      const after = json(await call('GET', '/roles/sales-rep', admin)) as { version: number };
      expect(after.version).toBe(rep.version);
    });
  });
}

function systemLike(userId: string) {
  return {
    kind: 'system' as const,
    userId: 'system',
    roles: ['admin'],
    sessionId: null,
    tokenId: null,
    scopes: null,
    ip: null,
    userAgent: `test for ${userId}`,
    requestId: null,
  };
}
