import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { contactDefinition } from '../../src/crm/contacts/contact.definition.js';
import { isPlainListQuery } from '../../src/crm/records/record-list.js';
import { needsEnvelopes, shapeRecord } from '../../src/crm/records/record-view.js';
import { RecordRepository } from '../../src/crm/records/record.repository.js';
import { systemActor, type Actor } from '../../src/security/access/index.js';
import { testDialects } from '../support/dialects.js';
import { json, startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken } from '../support/identity.js';

interface Contact {
  id: string;
  email?: string | null;
  phone?: string | null;
  nationalId?: string | null;
}

const userActor = (userId: string, roles: string[]): Actor => ({ ...systemActor(), kind: 'user', userId, roles });

/**
 * A read whose sensitive values nobody will see in clear leaves the envelopes (sealed values, wrapped subject keys)
 * out of the query. The attacker's side: a viewer who may see clear values must never get a row without them, and
 * what a masked viewer sees must not change.
 */
for (const dialect of await testDialects()) {
  describe(`reads without envelopes (${dialect})`, () => {
    let h: Harness;
    let admin: Record<string, string>;
    let rep: Record<string, string>;
    let repId: string;
    let contact: Contact;

    beforeAll(async () => {
      h = await startHarness(dialect);
      admin = (await createUserWithToken(h, { roles: ['admin'] })).headers;
      const r = await createUserWithToken(h, { roles: ['sales-rep'] });
      rep = r.headers;
      repId = r.userId;
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/contacts',
        headers: rep,
        payload: {
          firstName: 'Roya',
          lastName: 'Envelope',
          email: 'roya.envelope@example.com',
          phone: '+989121234567',
          nationalId: '0499370899',
        },
      });
      expect(res.statusCode).toBe(201);
      contact = json(res) as Contact;
    });
    afterAll(async () => {
      await h?.close();
    });
    afterEach(() => {
      vi.restoreAllMocks();
    });

    const get = async (url: string, headers: Record<string, string>) => {
      const res = await h.app.inject({ method: 'GET', url, headers });
      expect(res.statusCode).toBe(200);
      return json(res);
    };

    it('reads envelopes only for a viewer who sees clear values, or to match an exact lookup', async () => {
      const byId = vi.spyOn(RecordRepository.prototype, 'findById');
      const list = vi.spyOn(RecordRepository.prototype, 'list');
      // The `envelopes` argument of each read by id, exactly as passed (undefined when the caller left it out).
      const envelopesOf = (spy: typeof byId): unknown[] => spy.mock.calls.map((c) => c[4]);

      // The admin's roles show personal data masked: write-time masks, no decryption, so no envelope.
      const masked = (await get(`/api/v1/contacts/${contact.id}`, admin)) as Contact;
      expect(masked.email).toMatch(/^r\*+@example\.com$/);
      expect(masked.nationalId).not.toContain('0499370899');
      const page = (await get('/api/v1/contacts?limit=50', admin)) as { items: Contact[] };
      expect(page.items.find((c) => c.id === contact.id)?.email).toBe(masked.email);
      expect(envelopesOf(byId)).toEqual([false]);
      expect(list.mock.calls.map((c) => c[3])).toEqual([false]);

      // An exact lookup opens its candidates to compare them: it reads envelopes whoever asks.
      const found = (await get(`/api/v1/contacts?email=${encodeURIComponent('Roya.Envelope@Example.com')}`, admin)) as {
        items: Contact[];
      };
      expect(found.items.map((c) => c.id)).toEqual([contact.id]);
      expect(found.items[0]?.email).toBe(masked.email);
      expect(list.mock.calls.map((c) => c[3])).toEqual([false, true]);

      // The owning rep sees them in clear, by id and in a page.
      byId.mockClear();
      list.mockClear();
      const clear = (await get(`/api/v1/contacts/${contact.id}`, rep)) as Contact;
      expect(clear).toMatchObject({
        email: 'roya.envelope@example.com',
        phone: '+989121234567',
        nationalId: '0499370899',
      });
      const own = (await get('/api/v1/contacts?limit=50', rep)) as { items: Contact[] };
      expect(own.items.find((c) => c.id === contact.id)?.email).toBe('roya.envelope@example.com');
      expect(envelopesOf(byId)).toEqual([true]);
      expect(list.mock.calls.map((c) => c[3])).toEqual([true]);
    });

    it('omits the envelope columns and the subject key only when asked to', async () => {
      const repo = new RecordRepository(h.rt.db);
      const full = await repo.findById(contactDefinition, contact.id, { kind: 'all' });
      expect(typeof full?.sealed).toBe('string');
      expect(typeof full?.dek_wrapped).toBe('string');
      const bare = await repo.findById(contactDefinition, contact.id, { kind: 'all' }, false, false);
      expect(bare?.id).toBe(contact.id);
      expect(bare?.masks).toBe(full?.masks);
      for (const column of ['sealed', 'sealed_kid', 'dek_wrapped']) expect(bare).not.toHaveProperty(column);
    });

    it('refuses to show a row read without its envelope to a viewer who would see clear values', async () => {
      const fields = (await h.rt.crm.registry.fresh()).fields('contacts');
      const owner = userActor(repId, ['sales-rep']);
      expect(needsEnvelopes(contactDefinition, fields, owner)).toBe(true);
      expect(needsEnvelopes(contactDefinition, fields, userActor('someone-else', ['admin']))).toBe(false);
      // A role without any clear view of personal data needs none; a user without roles sees nothing at all.
      expect(needsEnvelopes(contactDefinition, fields, userActor(repId, []))).toBe(false);
      const repo = new RecordRepository(h.rt.db);
      const bare = await repo.findById(contactDefinition, contact.id, { kind: 'all' }, false, false);
      if (!bare) throw new Error('contact not found');
      const open = vi.fn(() => null);
      expect(() => shapeRecord(contactDefinition, bare, fields, owner, open)).toThrow(/without its envelope/);
      expect(open).not.toHaveBeenCalled();
    });
  });
}

describe('which list queries name no field', () => {
  it('is a page in creation or update order, forwards or backwards, live or deleted', () => {
    for (const q of [
      {},
      { limit: 50 },
      { limit: 10, cursor: 'abc' },
      { deleted: true },
      { sort: '-createdAt' },
      { sort: 'updatedAt' },
      { sort: '+createdAt', q: undefined },
    ])
      expect(isPlainListQuery(q)).toBe(true);
  });

  it('is not a search, a filter (built-in, custom or exact) or a sort by a field', () => {
    for (const q of [
      { q: 'roya' },
      { q: '' },
      { sort: 'lastName' },
      { sort: '-custom.codeName' },
      { sort: 'createdAtX' },
      { email: 'a@example.com' },
      { 'custom.codeName': 'x' },
      { tag: 'vip' },
      { ownerId: 'u1' },
      { createdAfter: '2026-01-01T00:00:00Z' },
    ])
      expect(isPlainListQuery(q)).toBe(false);
  });
});
