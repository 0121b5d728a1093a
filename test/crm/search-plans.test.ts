import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyDefinition } from '../../src/crm/companies/company.definition.js';
import { searchCondition } from '../../src/crm/records/record-search.repository.js';
import type { SortSpec } from '../../src/crm/records/record-query.js';
import { ManualClock } from '../../src/platform/clock.js';
import { testDialects } from '../support/dialects.js';
import { json, startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken } from '../support/identity.js';

interface Page {
  items: { id: string; name: string; ownerId: string }[];
  nextCursor: string | null;
}

const byCreated: SortSpec = {
  key: 'createdAt',
  direction: 'desc',
  target: { kind: 'column', column: 'created_at', notNull: true },
};

/**
 * `q` on SQLite picks one of two plans by how many records match (record-search.repository.ts). Whichever it picks,
 * the answer must be the same: every match, in sort order, page after page, within the caller's scope.
 */
for (const dialect of await testDialects()) {
  describe(`full-text search, common and rare words (${dialect})`, () => {
    const clock = new ManualClock('2026-03-01T08:00:00.000Z');
    let h: Harness;
    let admin: Record<string, string>;
    let rep: Record<string, string>;
    let repId: string;
    const created = new Map<string, { id: string; at: number; owner: string }[]>();

    const call = (method: 'GET' | 'POST' | 'DELETE', url: string, headers: Record<string, string>, payload?: unknown) =>
      h.app.inject({
        method,
        url,
        headers,
        ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
      });

    const make = async (word: string, n: number, who: Record<string, string>, owner: string) => {
      const list = created.get(word) ?? [];
      for (let i = 0; i < n; i++) {
        // Half the records share a timestamp with the one before: ties are broken by id, on both plans.
        if (i % 2 === 0) clock.advance(1_000);
        const res = await call('POST', '/api/v1/companies', who, { name: `${word} ${i} Holding` });
        expect(res.statusCode).toBe(201);
        list.push({ id: (json(res) as { id: string }).id, at: clock.now().getTime(), owner });
      }
      created.set(word, list);
    };

    /** Every page of a list, following nextCursor. */
    const all = async (query: string, who: Record<string, string>): Promise<string[]> => {
      const ids: string[] = [];
      let cursor: string | null = null;
      for (let guard = 0; guard < 100; guard++) {
        const url = `/api/v1/companies?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const res = await call('GET', url, who);
        expect(res.statusCode).toBe(200);
        const page = json(res) as Page;
        ids.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor;
        if (cursor === null) return ids;
      }
      throw new Error('too many pages');
    };

    const expected = (word: string, opts: { owner?: string; asc?: boolean; without?: string[] } = {}) =>
      (created.get(word) ?? [])
        .filter((c) => (opts.owner === undefined || c.owner === opts.owner) && !(opts.without ?? []).includes(c.id))
        .sort((a, b) => (a.at - b.at || (a.id < b.id ? -1 : 1)) * (opts.asc ? 1 : -1))
        .map((c) => c.id);

    beforeAll(async () => {
      h = await startHarness(dialect, { clock });
      admin = (await createUserWithToken(h, { roles: ['admin'] })).headers;
      const r = await createUserWithToken(h, { roles: ['sales-rep'] });
      rep = r.headers;
      repId = r.userId;
      const adminId = (json(await call('GET', '/api/v1/me', admin)) as { id: string }).id;
      await make('Zarrinfam', 40, admin, adminId);
      await make('Quillmore', 3, admin, adminId);
      await make('Zarrinfam', 14, rep, repId);
      await make('Other', 20, admin, adminId);
    });
    afterAll(async () => h?.close());

    it('a word most records have and a word few have: every match, in order, across pages', async () => {
      expect(await all('q=zarrin&limit=7', admin)).toEqual(expected('Zarrinfam'));
      expect(await all('q=zarrin&limit=7&sort=updatedAt', admin)).toEqual(expected('Zarrinfam', { asc: true }));
      expect(await all('q=zarrinfam%20holding&limit=50', admin)).toEqual(expected('Zarrinfam'));
      expect(await all('q=quill&limit=2', admin)).toEqual(expected('Quillmore'));
      expect(await all('q=nowordlikethis&limit=5', admin)).toEqual([]);
    });

    it('stays within the caller’s scope and leaves deleted records out', async () => {
      expect(await all('q=zarrin&limit=4', rep)).toEqual(expected('Zarrinfam', { owner: repId }));
      const gone = expected('Zarrinfam')[3] ?? '';
      expect((await call('DELETE', `/api/v1/companies/${gone}`, admin)).statusCode).toBe(204);
      expect(await all('q=zarrin&limit=9', admin)).toEqual(expected('Zarrinfam', { without: [gone] }));
      expect(await all('q=zarrin&limit=9&deleted=true', admin)).toEqual([gone]);
    });

    if (dialect === 'sqlite') {
      it('on SQLite, walks the sort index for a common word and not for a rare one', async () => {
        const condition = async (tokens: string[], sort: SortSpec = byCreated, alone = true) =>
          searchCondition(h.rt.db, companyDefinition, tokens, sort, alone);
        const plan = async (tokens: string[], sort: SortSpec = byCreated, alone = true) =>
          sql`select 1 where ${await condition(tokens, sort, alone)}`.compile(h.rt.db.kysely).sql;
        expect(await plan(['zarrin'])).toContain('+t.seq in');
        expect(await plan(['quill'])).toMatch(/[^+]t\.seq in/);
        // A sort without an index to walk keeps the plan that reads the matches.
        const byName: SortSpec = {
          key: 'name',
          direction: 'asc',
          target: { kind: 'column', column: 'name', notNull: true },
        };
        expect(await plan(['zarrin'], byName)).toMatch(/[^+]t\.seq in/);
        // So do searches another condition narrows, and words below the prefix index (not worth counting).
        expect(await plan(['zarrin'], byCreated, false)).toMatch(/[^+]t\.seq in/);
        expect(await plan(['z'])).toMatch(/[^+]t\.seq in/);
        expect(await plan(['zarrin', 'h'])).toMatch(/[^+]t\.seq in/);
        expect(await plan(['zarrin', 'holding', 'zarrin', 'holding', 'zarrin'])).toMatch(/[^+]t\.seq in/);
        expect(await plan(['zarrin', 'holding'])).toContain('+t.seq in');

        // And SQLite really walks the (created_at, id) index for the dense form, and not for the sparse one.
        const explain = async (tokens: string[]) => {
          const q = sql<{
            detail: string;
          }>`explain query plan select t.id from companies t where t.deleted_at is null and ${await condition(tokens)} order by t.created_at desc, t.id desc limit 51`;
          return (await q.execute(h.rt.db.kysely)).rows.map((r) => r.detail).join(' | ');
        };
        expect(await explain(['zarrin'])).toMatch(/SCAN t USING INDEX companies_created_idx/);
        expect(await explain(['quill'])).not.toMatch(/companies_created_idx/);
      });
    }
  });
}
