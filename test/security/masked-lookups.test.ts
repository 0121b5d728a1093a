import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEventView } from '../../src/security/audit/index.js';
import { PROBES_IN_FLIGHT, PROBES_PER_WINDOW } from '../../src/crm/records/masked-lookups.js';
import { testDialects } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken, type TestUser } from '../support/identity.js';
import { API, body, call, problem } from './helpers.js';

/**
 * A role that sees a phone number as `+98 *** 4321` may still find the customer by the number they give on the
 * phone — but it must not be able to try the thousand numbers the mask leaves open until one matches (a
 * confirmation oracle that would bypass reveal's reason, budget and evidence). Attacker's side: guess the digits.
 */
interface Page {
  items: { id: string; phone?: unknown }[];
}

describe.each(await testDialects())('lookups of masked values (%s)', (dialect) => {
  let h: Harness;
  let admin: TestUser;
  let auditor: TestUser;
  let contactId: string;
  const PHONE = '+989127774321';

  beforeAll(async () => {
    h = await startHarness(dialect);
    admin = await createUserWithToken(h, { roles: ['admin'] });
    auditor = await createUserWithToken(h, { roles: ['auditor'] });
    const created = await call(h.app, 'POST', `${API}/contacts`, admin.headers, {
      firstName: 'Darya',
      lastName: 'Nouri',
      email: 'darya.nouri@example.test',
      phone: PHONE,
    });
    expect(created.statusCode, created.body).toBe(201);
    contactId = body<{ id: string }>(created).id;
  });
  afterAll(async () => {
    await h?.close();
  });

  const lookup = (who: TestUser, phone: string) =>
    call(h.app, 'GET', `${API}/contacts?phone=${encodeURIComponent(phone)}`, who.headers);

  const entriesOf = async (who: TestUser, action: string): Promise<AuditEventView[]> => {
    await h.rt.audit.service.flush();
    const res = await call(h.app, 'GET', `${API}/audit/events?action=${action}&actorId=${who.userId}`, auditor.headers);
    expect(res.statusCode, res.body).toBe(200);
    return body<{ items: AuditEventView[] }>(res).items;
  };

  it('finds the customer by the number they give, and records the number as known in full, not as a mask', async () => {
    const support = await createUserWithToken(h, { roles: ['support'] });
    const found = await lookup(support, '0912 777 4321');
    expect(found.statusCode, found.body).toBe(200);
    const page = body<Page>(found);
    expect(page.items.map((i) => i.id)).toEqual([contactId]);
    // The response still shows the mask…
    expect(page.items[0]?.phone).toMatch(/\*/);
    // …but the caller typed the number and it matched: "who accessed this" says they know it.
    const reads = await entriesOf(support, 'record.sensitive_read');
    expect(reads.map((e) => e.detail)).toEqual([
      { object: 'contacts', reads: [{ fields: ['phone'], masked: ['email'], ids: [contactId] }] },
    ]);
  });

  it('refuses to go on guessing digits behind a mask: misses are counted, recorded and then refused (429)', async () => {
    const support = await createUserWithToken(h, { roles: ['support'] });
    const guesses = Array.from({ length: 1000 }, (_, n) => `+98912${String(n).padStart(3, '0')}4321`).filter(
      (g) => g !== PHONE,
    );
    const statuses: number[] = [];
    for (const g of guesses.slice(0, PROBES_PER_WINDOW + 5)) statuses.push((await lookup(support, g)).statusCode);
    expect(statuses.slice(0, PROBES_PER_WINDOW)).toEqual(Array(PROBES_PER_WINDOW).fill(200));
    expect(statuses.slice(PROBES_PER_WINDOW)).toEqual(Array(5).fill(429));
    // Once spent, even the right number is refused: a hit would otherwise still confirm it.
    const right = await lookup(support, PHONE);
    expect(right.statusCode).toBe(429);
    expect(problem(right).code).toBe('SEPAR_ERR_RATE_LIMITED');
    expect(right.headers['retry-after']).toBeDefined();
    expect(right.body).not.toContain('4321');
    // Every miss left evidence naming the object and field, never the value tried.
    const misses = await entriesOf(support, 'record.lookup_miss');
    expect(misses).toHaveLength(PROBES_PER_WINDOW);
    for (const m of misses) expect(m.detail).toEqual({ object: 'contacts', fields: ['phone'] });
    expect(JSON.stringify(misses)).not.toMatch(/98912\d{3}4321/);
    // Other users are not held back by one user's guessing.
    const other = await createUserWithToken(h, { roles: ['support'] });
    expect((await lookup(other, PHONE)).statusCode).toBe(200);
  });

  it('does not count or refuse lookups of values the caller reads in clear', async () => {
    const owner = await createUserWithToken(h, { roles: ['sales-rep'] });
    for (let i = 0; i < PROBES_PER_WINDOW + 3; i++) {
      const r = await lookup(owner, `+98912${String(i).padStart(3, '0')}0000`);
      expect(r.statusCode, r.body).toBe(200);
      expect(body<Page>(r).items).toEqual([]);
    }
    expect(await entriesOf(owner, 'record.lookup_miss')).toEqual([]);
  });

  it('lets one user’s lookups that find the customer run side by side (an integration over 20 connections)', async () => {
    const support = await createUserWithToken(h, { roles: ['support'] });
    const answers = await Promise.all(Array.from({ length: 20 }, () => lookup(support, PHONE)));
    expect(answers.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
  });

  it('does not let guesses sent all at once run before the count catches up', async () => {
    const support = await createUserWithToken(h, { roles: ['support'] });
    const guesses = Array.from({ length: 60 }, (_, n) => `+98913${String(n).padStart(3, '0')}4321`);
    const answers = await Promise.all(guesses.map((g) => lookup(support, g)));
    const answered = answers.filter((r) => r.statusCode === 200).length;
    expect(answers.every((r) => r.statusCode === 200 || r.statusCode === 429)).toBe(true);
    expect(answered).toBeGreaterThan(0);
    expect(answered).toBeLessThanOrEqual(PROBES_PER_WINDOW + PROBES_IN_FLIGHT);
    // Every guess that was answered was counted and recorded.
    expect(await entriesOf(support, 'record.lookup_miss')).toHaveLength(answered);
  });

  it('rations filters on any field the caller sees masked, not only encrypted ones', async () => {
    const plain = { public: 'read', internal: 'read', confidential: 'read', restricted: 'masked', pci: 'none' };
    const role = await call(h.app, 'POST', `${API}/roles`, admin.headers, {
      id: 'loyalty-masked',
      name: 'Loyalty codes masked',
      policy: {
        objects: { contacts: { ops: ['read'], scope: 'all' } },
        classifications: { '*': plain },
        fields: { contacts: { 'custom.loyalty': 'masked' } },
        reveal: [],
        capabilities: [],
        ipAllow: [],
      },
    });
    expect(role.statusCode, role.body).toBe(201);
    const field = await call(h.app, 'POST', `${API}/fields`, admin.headers, {
      object: 'contacts',
      key: 'loyalty',
      label: 'Loyalty code',
      type: 'text',
      classification: 'confidential',
      searchable: true,
    });
    expect(field.statusCode, field.body).toBe(201);
    const who = await createUserWithToken(h, { roles: ['loyalty-masked'] });
    const statuses: number[] = [];
    for (let i = 0; i < PROBES_PER_WINDOW + 2; i++) {
      statuses.push((await call(h.app, 'GET', `${API}/contacts?custom.loyalty=GOLD-77${i}`, who.headers)).statusCode);
    }
    expect(statuses.slice(PROBES_PER_WINDOW)).toEqual([429, 429]);
    const misses = await entriesOf(who, 'record.lookup_miss');
    expect(misses[0]?.detail).toEqual({ object: 'contacts', fields: ['custom.loyalty'] });
  });

  it('a duplicate-email refusal is a lookup too: rationed, recorded, and never before a stale version', async () => {
    const rep = await createUserWithToken(h, { roles: ['sales-rep'] });
    const own = await call(h.app, 'POST', `${API}/contacts`, rep.headers, { firstName: 'Own', lastName: 'Contact' });
    expect(own.statusCode, own.body).toBe(201);
    const ownId = body<{ id: string }>(own).id;
    // A stale version answers 412 whatever the email: it must not tell "already used" (409) from "free".
    for (const email of ['darya.nouri@example.test', 'nobody.at.all@example.test']) {
      const stale = await call(
        h.app,
        'PATCH',
        `${API}/contacts/${ownId}`,
        { ...rep.headers, 'if-match': '"999"' },
        { email },
      );
      expect(stale.statusCode, stale.body).toBe(412);
    }
    // Creating contacts with emails that already exist (someone else's, out of the rep's sight) is counted.
    const statuses: number[] = [];
    for (let i = 0; i < PROBES_PER_WINDOW + 1; i++) {
      const r = await call(h.app, 'POST', `${API}/contacts`, rep.headers, {
        firstName: 'Probe',
        lastName: `P${i}`,
        email: 'darya.nouri@example.test',
      });
      statuses.push(r.statusCode);
    }
    expect(statuses.slice(0, PROBES_PER_WINDOW)).toEqual(Array(PROBES_PER_WINDOW).fill(409));
    expect(statuses[PROBES_PER_WINDOW]).toBe(429);
    const refused = await entriesOf(rep, 'record.duplicate_refused');
    expect(refused).toHaveLength(PROBES_PER_WINDOW);
    expect(refused[0]?.detail).toEqual({ object: 'contacts', fields: ['email'] });
    expect(JSON.stringify(refused)).not.toContain('darya');
  });

  it('counts a user’s misses across objects and fields alike (one budget, not one per field)', async () => {
    const admin2 = await createUserWithToken(h, { roles: ['admin'] });
    const half = Math.floor(PROBES_PER_WINDOW / 2);
    for (let i = 0; i < half; i++)
      expect((await lookup(admin2, `+98912${String(i).padStart(3, '0')}9999`)).statusCode).toBe(200);
    for (let i = 0; i < PROBES_PER_WINDOW - half; i++) {
      const r = await call(h.app, 'GET', `${API}/contacts?email=nobody${i}@example.test`, admin2.headers);
      expect(r.statusCode, r.body).toBe(200);
    }
    const refused = await call(h.app, 'GET', `${API}/contacts?email=darya.nouri@example.test`, admin2.headers);
    expect(refused.statusCode).toBe(429);
    // A plain page is no lookup: still served.
    expect((await call(h.app, 'GET', `${API}/contacts?limit=5`, admin2.headers)).statusCode).toBe(200);
  });
});
