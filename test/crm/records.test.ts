import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, json, type Harness } from '../support/harness.js';
import { testDialects } from '../support/dialects.js';
import { createUserWithToken } from '../support/identity.js';

interface Page {
  items: Record<string, unknown>[];
  nextCursor: string | null;
}

for (const dialect of await testDialects()) {
  describe(`CRM records (${dialect})`, () => {
    let h: Harness;
    let admin: { authorization: string };
    let rep: { authorization: string; userId: string };
    let rep2: { authorization: string };

    beforeAll(async () => {
      h = await startHarness(dialect);
      admin = (await createUserWithToken(h, { roles: ['admin'] })).headers;
      const r = await createUserWithToken(h, { roles: ['sales-rep'] });
      rep = { ...r.headers, userId: r.userId };
      rep2 = (await createUserWithToken(h, { roles: ['sales-rep'] })).headers;
    });
    afterAll(async () => h?.close());

    const call = (
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
      url: string,
      headers: Record<string, string>,
      payload?: unknown,
    ) =>
      h.app.inject({
        method,
        url,
        headers,
        ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
      });

    it('creates, reads, updates with If-Match, and refuses a stale write', async () => {
      const company = await call('POST', '/api/v1/companies', rep, {
        name: 'Pars Ertebat',
        domain: 'Pars.Example.IR',
        iban: 'IR82 0540 1026 8002 0817 9090 02',
      });
      expect(company.statusCode).toBe(201);
      const c = json(company) as Record<string, unknown>;
      expect(c.domain).toBe('pars.example.ir');
      expect(c.iban).toBe('IR820540102680020817909002');
      expect(company.headers.etag).toBe('"1"');

      const res = await call('POST', '/api/v1/contacts', rep, {
        firstName: 'علی',
        lastName: 'Rezaei',
        email: 'Ali.Rezaei@Example.IR',
        phone: '۰۹۱۲۱۲۳۴۵۶۷',
        nationalId: '0084575948',
        birthDate: '1990-03-21',
        paymentCard: '4111 1111 1111 1111',
        companyId: c.id,
        tags: ['vip', ' vip ', 'tehran'],
      });
      expect(res.statusCode).toBe(201);
      const contact = json(res) as Record<string, unknown>;
      expect(contact.phone).toBe('+989121234567');
      expect(contact.email).toBe('Ali.Rezaei@example.ir');
      expect(contact.paymentCard).toBe('411111******1111');
      expect(contact.tags).toEqual(['vip', 'tehran']);
      expect(contact.ownerId).toBe(rep.userId);
      expect(contact.version).toBe(1);

      const got = await call('GET', `/api/v1/contacts/${String(contact.id)}`, rep);
      expect(got.statusCode).toBe(200);
      expect(got.headers['cache-control']).toContain('no-store');

      const upd = await h.app.inject({
        method: 'PATCH',
        url: `/api/v1/contacts/${String(contact.id)}`,
        headers: { ...rep, 'if-match': '"1"' },
        payload: { title: 'CTO' },
      });
      expect(upd.statusCode).toBe(200);
      expect((json(upd) as { version: number }).version).toBe(2);

      const stale = await h.app.inject({
        method: 'PATCH',
        url: `/api/v1/contacts/${String(contact.id)}`,
        headers: { ...rep, 'if-match': '"1"' },
        payload: { title: 'CEO' },
      });
      expect(stale.statusCode).toBe(412);
      expect(stale.headers['content-type']).toContain('application/problem+json');
      expect((json(stale) as { code: string }).code).toBe('SEPAR_ERR_PRECONDITION_FAILED');

      const staleBody = await call('PATCH', `/api/v1/contacts/${String(contact.id)}`, rep, {
        title: 'CEO',
        version: 1,
      });
      expect(staleBody.statusCode).toBe(409);

      const noVersion = await call('PATCH', `/api/v1/contacts/${String(contact.id)}`, rep, { title: 'CEO' });
      expect(noVersion.statusCode).toBe(428);

      const after = json(await call('GET', `/api/v1/contacts/${String(contact.id)}`, rep)) as Record<string, unknown>;
      expect(after.title).toBe('CTO');
    });

    it('rejects unknown fields naming them, malformed JSON, and invalid formats', async () => {
      const unknown = await call('POST', '/api/v1/contacts', rep, { firstName: 'A', isAdmin: true });
      expect(unknown.statusCode).toBe(400);
      expect((json(unknown) as { detail: string }).detail).toContain('isAdmin');

      const massAssign = await call('POST', '/api/v1/contacts', rep, {
        firstName: 'A',
        id: '00000000-0000-0000-0000-000000000000',
      });
      expect(massAssign.statusCode).toBe(400);
      const ts = await call('POST', '/api/v1/contacts', rep, { firstName: 'A', createdAt: '2020-01-01T00:00:00Z' });
      expect(ts.statusCode).toBe(400);

      const malformed = await h.app.inject({
        method: 'POST',
        url: '/api/v1/contacts',
        headers: { ...rep, 'content-type': 'application/json' },
        payload: '{"firstName": ',
      });
      expect(malformed.statusCode).toBe(400);
      expect((json(malformed) as { code: string }).code).toBe('SEPAR_ERR_MALFORMED_JSON');

      for (const [field, value] of [
        ['email', 'a@@b.com'],
        ['phone', '12'],
        ['nationalId', '0084575949'],
        ['birthDate', '2023-02-30'],
        ['paymentCard', '4111111111111112'],
      ] as const) {
        const r = await call('POST', '/api/v1/contacts', rep, { firstName: 'X', [field]: value });
        expect(r.statusCode, field).toBe(400);
        const p = json(r) as { code: string; errors: { field: string }[] };
        expect(p.errors[0]?.field).toBe(field);
      }
      const badIban = await call('POST', '/api/v1/companies', rep, { name: 'X', iban: 'IR820540102680020817909003' });
      expect(badIban.statusCode).toBe(400);
      const badCurrency = await call('POST', '/api/v1/deals', rep, { title: 'X', currency: 'XYZ' });
      expect(badCurrency.statusCode).toBe(400);
      const nul = await call('POST', '/api/v1/contacts', rep, { firstName: 'a\u0000b' });
      expect(nul.statusCode).toBe(400);
      const proto = await h.app.inject({
        method: 'POST',
        url: '/api/v1/contacts',
        headers: { ...rep, 'content-type': 'application/json' },
        payload: '{"firstName":"x","__proto__":{"isAdmin":true}}',
      });
      expect(proto.statusCode).toBe(400);
    });

    it('refuses oversized bodies with 413', async () => {
      const big = await h.app.inject({
        method: 'POST',
        url: '/api/v1/contacts',
        headers: { ...rep, 'content-type': 'application/json' },
        payload: JSON.stringify({ firstName: 'x'.repeat(2 * 1024 * 1024) }),
      });
      expect(big.statusCode).toBe(413);
      expect((json(big) as { code: string }).code).toBe('SEPAR_ERR_PAYLOAD_TOO_LARGE');
    });

    it('paginates with opaque, signed cursors bound to the user and query', async () => {
      for (let i = 0; i < 7; i++) {
        const r = await call('POST', '/api/v1/companies', rep, {
          name: `Paging Co ${String(i).padStart(2, '0')}`,
          industry: 'paging',
        });
        expect(r.statusCode).toBe(201);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/v1/companies?industry=paging&sort=name&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = json(await call('GET', url, rep)) as Page;
        seen.push(...page.items.map((i) => String(i.name)));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...Array(7).keys()].map((i) => `Paging Co ${String(i).padStart(2, '0')}`));

      const first = json(await call('GET', '/api/v1/companies?industry=paging&sort=name&limit=3', rep)) as Page;
      const c = first.nextCursor ?? '';
      const tampered = c.slice(0, 5) + (c[5] === 'A' ? 'B' : 'A') + c.slice(6);
      expect(
        (
          await call(
            'GET',
            `/api/v1/companies?industry=paging&sort=name&limit=3&cursor=${encodeURIComponent(tampered)}`,
            rep,
          )
        ).statusCode,
      ).toBe(400);
      expect(
        (await call('GET', `/api/v1/companies?industry=paging&sort=name&limit=3&cursor=garbage`, rep)).statusCode,
      ).toBe(400);
      // another user's cursor, and the same cursor with a different query, are refused
      expect(
        (await call('GET', `/api/v1/companies?industry=paging&sort=name&limit=3&cursor=${encodeURIComponent(c)}`, rep2))
          .statusCode,
      ).toBe(400);
      expect(
        (await call('GET', `/api/v1/companies?sort=name&limit=3&cursor=${encodeURIComponent(c)}`, rep)).statusCode,
      ).toBe(400);
      expect((await call('GET', '/api/v1/companies?limit=201', rep)).statusCode).toBe(400);
    });

    it('sorts descending with nullable columns and keeps every row exactly once', async () => {
      const names: string[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await call('POST', '/api/v1/deals', rep, {
          title: `Null sort ${i}`,
          currency: 'EUR',
          amount: 100 * i,
          ...(i % 2 ? { closeDate: `2027-0${i}-01` } : {}),
          tags: ['nullsort'],
        });
        expect(r.statusCode).toBe(201);
        names.push(`Null sort ${i}`);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/v1/deals?tag=nullsort&sort=-closeDate&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = json(await call('GET', url, rep)) as Page;
        seen.push(...page.items.map((i) => String(i.title)));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.slice(0, 2)).toEqual(['Null sort 3', 'Null sort 1']);
      expect([...seen].sort()).toEqual([...names].sort());
    });

    it('searches with q over non-restricted text, Persian variants included, never over restricted fields', async () => {
      await call('POST', '/api/v1/contacts', rep, {
        firstName: 'كاوه',
        lastName: 'Searchable',
        email: 'hidden.person@example.com',
        title: 'مدیر فروش',
      });
      const persian = json(await call('GET', `/api/v1/contacts?q=${encodeURIComponent('کاوه')}`, rep)) as Page;
      expect(persian.items.map((i) => i.lastName)).toContain('Searchable');
      const prefix = json(await call('GET', '/api/v1/contacts?q=searcha', rep)) as Page;
      expect(prefix.items.length).toBeGreaterThan(0);
      const restricted = json(await call('GET', '/api/v1/contacts?q=hidden', rep)) as Page;
      expect(restricted.items).toHaveLength(0);
      for (const hostile of ["' OR '1'='1", '%', '_', '"', '*', 'NEAR(', '\\', ':*', '&|!']) {
        const r = await call('GET', `/api/v1/contacts?q=${encodeURIComponent(hostile)}`, rep);
        expect(r.statusCode, hostile).toBe(200);
      }
    });

    it('finds contacts by exact email, phone and national ID with normalisation', async () => {
      const r = await call('POST', '/api/v1/contacts', rep, {
        firstName: 'Lookup',
        email: 'Lookup.Me@Example.com',
        phone: '+98 912 765 4321',
        nationalId: '0013542419',
      });
      expect(r.statusCode).toBe(201);
      const id = (json(r) as { id: string }).id;
      for (const q of [
        'email=lookup.me%40example.com',
        'email=LOOKUP.ME%40EXAMPLE.COM',
        'phone=09127654321',
        `phone=${encodeURIComponent('۰۹۱۲۷۶۵۴۳۲۱')}`,
        'nationalId=0013542419',
      ]) {
        const page = json(await call('GET', `/api/v1/contacts?${q}`, rep)) as Page;
        expect(
          page.items.map((i) => i.id),
          q,
        ).toEqual([id]);
      }
      expect((await call('GET', '/api/v1/contacts?email=not-an-email', rep)).statusCode).toBe(400);
    });

    it('refuses filter and sort on restricted fields and unknown parameters', async () => {
      expect((await call('GET', '/api/v1/contacts?sort=email', rep)).statusCode).toBe(400);
      expect((await call('GET', '/api/v1/contacts?birthDate=1990-03-21', rep)).statusCode).toBe(400);
      expect((await call('GET', '/api/v1/contacts?nonsense=1', rep)).statusCode).toBe(400);
    });

    it("hides other owners' records exactly like missing ones", async () => {
      const mine = json(await call('POST', '/api/v1/contacts', rep, { firstName: 'Private' })) as { id: string };
      const other = await call('GET', `/api/v1/contacts/${mine.id}`, rep2);
      const missing = await call('GET', '/api/v1/contacts/0190f5a0-0000-7000-8000-000000000000', rep2);
      expect(other.statusCode).toBe(404);
      expect(missing.statusCode).toBe(404);
      const strip = (b: unknown) => ({ ...(b as Record<string, unknown>), requestId: undefined });
      expect(strip(json(other))).toEqual(strip(json(missing)));
      expect(
        (await call('PATCH', `/api/v1/contacts/${mine.id}`, rep2, { firstName: 'x', version: 1 })).statusCode,
      ).toBe(404);
      expect((await call('DELETE', `/api/v1/contacts/${mine.id}`, rep2)).statusCode).toBe(404);
      const list = json(await call('GET', '/api/v1/contacts?limit=200', rep2)) as Page;
      expect(list.items.map((i) => i.id)).not.toContain(mine.id);
      // a reference to a record the actor cannot see is refused
      const ref = await call('POST', '/api/v1/deals', rep2, { title: 'Steal', currency: 'EUR', contactIds: [mine.id] });
      expect(ref.statusCode).toBe(400);
      // a sales rep cannot give a record to someone else
      const give = await call('POST', '/api/v1/contacts', rep2, { firstName: 'x', ownerId: rep.userId });
      expect(give.statusCode).toBe(403);
      // admin sees everything
      expect((await call('GET', `/api/v1/contacts/${mine.id}`, admin)).statusCode).toBe(200);
    });

    it('soft-deletes into the trash and restores', async () => {
      const c = json(await call('POST', '/api/v1/contacts', rep, { firstName: 'Trash', lastName: 'Me' })) as {
        id: string;
      };
      expect((await call('DELETE', `/api/v1/contacts/${c.id}`, rep)).statusCode).toBe(204);
      expect((await call('GET', `/api/v1/contacts/${c.id}`, rep)).statusCode).toBe(404);
      const trash = json(await call('GET', '/api/v1/contacts?deleted=true&limit=200', rep)) as Page;
      expect(trash.items.map((i) => i.id)).toContain(c.id);
      const restored = await call('POST', `/api/v1/contacts/${c.id}/restore`, rep);
      expect(restored.statusCode).toBe(200);
      expect((json(restored) as { deletedAt: unknown }).deletedAt).toBeNull();
      expect((await call('POST', `/api/v1/contacts/${c.id}/restore`, rep)).statusCode).toBe(404);
    });

    it('keeps deals in their pipeline, links records and builds timelines', async () => {
      const pipelines = json(await call('GET', '/api/v1/pipelines', rep)) as {
        items: { id: string; isDefault: boolean; stages: { id: string; name: string }[] }[];
      };
      const sales = pipelines.items.find((p) => p.isDefault);
      expect(sales?.stages.map((s) => s.name)).toEqual(['Lead', 'Qualified', 'Proposal', 'Negotiation', 'Won', 'Lost']);
      const company = json(await call('POST', '/api/v1/companies', rep, { name: 'Timeline Co' })) as { id: string };
      const contact = json(
        await call('POST', '/api/v1/contacts', rep, { firstName: 'Tim', companyId: company.id }),
      ) as { id: string };
      const dealRes = await call('POST', '/api/v1/deals', rep, {
        title: 'Big deal',
        amount: 1250000,
        currency: 'IRR',
        companyId: company.id,
        contactIds: [contact.id],
      });
      expect(dealRes.statusCode).toBe(201);
      const deal = json(dealRes) as { id: string; stageId: string; pipelineId: string; version: number };
      expect(deal.pipelineId).toBe(sales?.id);
      expect(deal.stageId).toBe(sales?.stages[0]?.id);

      const moved = await call('PATCH', `/api/v1/deals/${deal.id}`, rep, {
        stageId: sales?.stages[2]?.id,
        version: deal.version,
      });
      expect(moved.statusCode).toBe(200);
      const other = json(
        await call('POST', '/api/v1/pipelines', admin, {
          name: 'Partners',
          stages: [{ name: 'Intro' }, { name: 'Signed', kind: 'won' }],
        }),
      ) as { stages: { id: string }[] };
      const wrongStage = await call('PATCH', `/api/v1/deals/${deal.id}`, rep, {
        stageId: other.stages[0]?.id,
        version: 2,
      });
      expect(wrongStage.statusCode).toBe(400);
      expect((await call('POST', '/api/v1/pipelines', rep, { name: 'Nope', stages: [{ name: 'x' }] })).statusCode).toBe(
        403,
      );

      const byContact = json(await call('GET', `/api/v1/deals?contactId=${contact.id}`, rep)) as Page;
      expect(byContact.items.map((d) => d.id)).toEqual([deal.id]);
      const ofCompany = json(await call('GET', `/api/v1/contacts?companyId=${company.id}`, rep)) as Page;
      expect(ofCompany.items.map((d) => d.id)).toEqual([contact.id]);

      const task = await call('POST', '/api/v1/activities', rep, {
        type: 'task',
        subject: 'Call back',
        dueAt: '2027-01-02T09:00:00+03:30',
        related: [{ type: 'contacts', id: contact.id }],
      });
      expect(task.statusCode).toBe(201);
      expect((json(task) as { dueAt: string }).dueAt).toBe('2027-01-02T05:30:00.000Z');
      await call('POST', '/api/v1/activities', rep, {
        type: 'note',
        subject: 'Deal note',
        related: [{ type: 'deals', id: deal.id }],
      });
      const tl = json(await call('GET', `/api/v1/companies/${company.id}/timeline`, rep)) as Page;
      expect(tl.items.map((i) => i.subject).sort()).toEqual(['Call back', 'Deal note']);
      const open = json(
        await call('GET', `/api/v1/activities?status=open&relatedType=contacts&relatedId=${contact.id}`, rep),
      ) as Page;
      expect(open.items).toHaveLength(1);
      expect((await call('GET', `/api/v1/contacts/${contact.id}/timeline`, rep2)).statusCode).toBe(404);
    });

    it('manages custom fields with classification and validates their values', async () => {
      const f = await call('POST', '/api/v1/fields', admin, {
        object: 'contacts',
        key: 'loyalty',
        label: 'Loyalty tier',
        type: 'select',
        classification: 'internal',
        options: ['gold', 'silver'],
      });
      expect(f.statusCode).toBe(201);
      const secret = await call('POST', '/api/v1/fields', admin, {
        object: 'contacts',
        key: 'passportNo',
        label: 'Passport',
        type: 'text',
        classification: 'restricted',
      });
      expect(secret.statusCode).toBe(201);
      expect(
        (
          await call('POST', '/api/v1/fields', rep, {
            object: 'contacts',
            key: 'x',
            label: 'x',
            type: 'text',
            classification: 'public',
          })
        ).statusCode,
      ).toBe(403);
      expect(
        (
          await call('POST', '/api/v1/fields', admin, {
            object: 'contacts',
            key: 'email',
            label: 'x',
            type: 'text',
            classification: 'public',
          })
        ).statusCode,
      ).toBe(409);

      const registry = json(await call('GET', '/api/v1/fields?object=contacts', rep)) as {
        items: { key: string; classification: string; builtin: boolean }[];
      };
      const cls = Object.fromEntries(registry.items.map((i) => [i.key, i.classification]));
      expect(cls).toMatchObject({
        email: 'restricted',
        phone: 'restricted',
        nationalId: 'restricted',
        birthDate: 'restricted',
        address: 'restricted',
        paymentCard: 'pci',
        loyalty: 'internal',
        passportNo: 'restricted',
      });
      const co = json(await call('GET', '/api/v1/fields?object=companies', rep)) as {
        items: { key: string; classification: string }[];
      };
      expect(Object.fromEntries(co.items.map((i) => [i.key, i.classification]))).toMatchObject({
        taxId: 'confidential',
        iban: 'confidential',
      });

      const ok = await call('POST', '/api/v1/contacts', rep, {
        firstName: 'Custom',
        custom: { loyalty: 'gold', passportNo: 'X1234567' },
      });
      expect(ok.statusCode).toBe(201);
      expect((json(ok) as { custom: unknown }).custom).toEqual({ loyalty: 'gold', passportNo: 'X1234567' });
      expect(
        (await call('POST', '/api/v1/contacts', rep, { firstName: 'C', custom: { loyalty: 'bronze' } })).statusCode,
      ).toBe(400);
      const unknownCustom = await call('POST', '/api/v1/contacts', rep, { firstName: 'C', custom: { nope: 1 } });
      expect(unknownCustom.statusCode).toBe(400);
      expect((json(unknownCustom) as { detail: string }).detail).toContain('custom.nope');

      const byTier = json(await call('GET', '/api/v1/contacts?custom.loyalty=gold', rep)) as Page;
      expect(byTier.items).toHaveLength(1);
      // a searchable restricted field has an exact-match lookup (blind index), never a plaintext filter
      expect((json(await call('GET', '/api/v1/contacts?custom.passportNo=x1234567', rep)) as Page).items).toHaveLength(
        1,
      );
      const hidden = await call('POST', '/api/v1/fields', admin, {
        object: 'contacts',
        key: 'religion',
        label: 'Religion',
        type: 'text',
        classification: 'restricted',
        searchable: false,
      });
      expect(hidden.statusCode).toBe(201);
      expect((await call('GET', '/api/v1/contacts?custom.religion=x', rep)).statusCode).toBe(400);
      expect((await call('GET', '/api/v1/contacts?sort=custom.passportNo', rep)).statusCode).toBe(400);
      expect((json(await call('GET', '/api/v1/contacts?q=X1234567', rep)) as Page).items).toHaveLength(0);

      // making a searchable field restricted takes its values out of the plaintext index
      const nick = json(
        await call('POST', '/api/v1/fields', admin, {
          object: 'contacts',
          key: 'nickname',
          label: 'Nickname',
          type: 'text',
          classification: 'internal',
        }),
      ) as { id: string; version: number };
      await call('POST', '/api/v1/contacts', rep, { firstName: 'Nick', custom: { nickname: 'Zanjabil' } });
      expect((json(await call('GET', '/api/v1/contacts?q=zanjabil', rep)) as Page).items).toHaveLength(1);
      const patched = await call('PATCH', `/api/v1/fields/${nick.id}`, admin, {
        classification: 'restricted',
        version: nick.version,
      });
      expect(patched.statusCode).toBe(200);
      await h.rt.crm.storage.idle();
      expect((json(await call('GET', '/api/v1/contacts?q=zanjabil', rep)) as Page).items).toHaveLength(0);
    });

    it('survives hostile text and stores it unchanged', async () => {
      const { readFileSync } = await import('node:fs');
      const data = JSON.parse(
        readFileSync(new URL('../../../shared/testdata/hostile-inputs.json', import.meta.url), 'utf8'),
      ) as Record<string, unknown>;
      const strings = ['markup_and_script', 'sql_and_query', 'spreadsheet_formula', 'log_forging', 'unicode'].flatMap(
        (k) => data[k] as string[],
      );
      for (const s of strings) {
        const r = await call('POST', '/api/v1/companies', rep, { name: s === '' ? 'x' : s, industry: 'hostile' });
        expect(r.statusCode, JSON.stringify(s)).toBeLessThan(500);
        if (r.statusCode === 201) {
          const body = json(r) as { id: string; name: string };
          expect(body.name).toBe(s);
          const back = json(await call('GET', `/api/v1/companies/${body.id}`, rep)) as { name: string };
          expect(back.name).toBe(s);
        }
      }
      for (const id of data.identifiers as string[]) {
        const r = await call('GET', `/api/v1/contacts/${encodeURIComponent(id)}`, rep);
        expect([400, 404]).toContain(r.statusCode);
      }
      for (const v of data.type_confusion as unknown[]) {
        const r = await call('POST', '/api/v1/contacts', rep, { firstName: v });
        expect(r.statusCode, JSON.stringify(v)).toBe(typeof v === 'string' || v === null ? 201 : 400);
      }
    });
  });
}
