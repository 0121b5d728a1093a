import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { testDialects } from '../support/dialects.js';
import { json, startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken } from '../support/identity.js';

interface Page {
  items: { id: string; lastName: string }[];
  nextCursor: string | null;
}

/**
 * A filtered page is compiled once per shape and then run with new values (record.repository.ts). Whatever the
 * filter — a range, a custom number or boolean, several at once — the second and later runs of a shape, first page
 * or after a cursor, must bind the new values in the right places and give exactly the right records.
 */
for (const dialect of await testDialects()) {
  describe(`filtered pages through compiled shapes (${dialect})`, () => {
    const clock = new ManualClock('2026-05-01T08:00:00.000Z');
    let h: Harness;
    let admin: Record<string, string>;
    const made: { id: string; name: string; score: number; vip: boolean; at: string }[] = [];

    beforeAll(async () => {
      h = await startHarness(dialect, { clock });
      admin = (await createUserWithToken(h, { roles: ['admin'] })).headers;
      for (const [key, type] of [
        ['score', 'number'],
        ['vip', 'boolean'],
      ]) {
        const res = await h.app.inject({
          method: 'POST',
          url: '/api/v1/fields',
          headers: admin,
          payload: { object: 'contacts', key, label: key, type, classification: 'internal' },
        });
        expect(res.statusCode).toBe(201);
      }
      for (let i = 0; i < 12; i++) {
        clock.advance(60_000);
        const name = `Shape${String(i).padStart(2, '0')}`;
        const score = i % 3;
        const vip = i % 2 === 0;
        const res = await h.app.inject({
          method: 'POST',
          url: '/api/v1/contacts',
          headers: admin,
          payload: { firstName: 'Filter', lastName: name, custom: { score, vip } },
        });
        expect(res.statusCode).toBe(201);
        made.push({ id: (json(res) as { id: string }).id, name, score, vip, at: clock.now().toISOString() });
      }
    });
    afterAll(async () => {
      await h?.close();
    });

    /** Every page of a query (limit 2), following the cursor. */
    const all = async (query: string): Promise<string[]> => {
      const names: string[] = [];
      let cursor: string | null = null;
      for (let guard = 0; guard < 20; guard++) {
        const url = `/api/v1/contacts?limit=2&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const res = await h.app.inject({ method: 'GET', url, headers: admin });
        expect(res.statusCode).toBe(200);
        const page = json(res) as Page;
        names.push(...page.items.map((c) => c.lastName));
        cursor = page.nextCursor;
        if (!cursor) return names;
      }
      throw new Error('too many pages');
    };
    const expected = (keep: (m: (typeof made)[number]) => boolean, oldestFirst = false): string[] => {
      const names = made.filter(keep).map((m) => m.name);
      return oldestFirst ? names : names.reverse();
    };

    it('binds each run its own values: custom numbers, booleans, ranges and their combinations', async () => {
      // Each query twice (the second run reuses the compiled text) and with other values in between.
      for (let round = 0; round < 2; round++) {
        for (const score of [0, 1, 2])
          expect(await all(`custom.score=${score}`)).toEqual(expected((m) => m.score === score));
        expect(await all('custom.vip=true')).toEqual(expected((m) => m.vip));
        expect(await all('custom.vip=false')).toEqual(expected((m) => !m.vip));
        const since = made[4]?.at ?? '';
        const before = made[9]?.at ?? '';
        expect(await all(`createdAfter=${encodeURIComponent(since)}`)).toEqual(expected((m) => m.at > since));
        expect(await all(`createdBefore=${encodeURIComponent(before)}&custom.vip=true`)).toEqual(
          expected((m) => m.at < before && m.vip),
        );
        expect(await all(`custom.score=1&custom.vip=false&sort=createdAt`)).toEqual(
          expected((m) => m.score === 1 && !m.vip, true),
        );
        expect(await all(`sort=lastName&custom.score=2`)).toEqual(
          made
            .filter((m) => m.score === 2)
            .map((m) => m.name)
            .sort(),
        );
      }
    });

    it('refuses JavaScript object property names as sort or filter keys (400, never 500)', async () => {
      for (const name of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'isPrototypeOf']) {
        for (const url of [
          `/api/v1/contacts?sort=${name}`,
          `/api/v1/contacts?sort=-${name}`,
          `/api/v1/contacts?${name}=x`,
          `/api/v1/deals?sort=${name}`,
          `/api/v1/activities?${name}=1&sort=-${name}`,
        ]) {
          const res = await h.app.inject({ method: 'GET', url, headers: admin });
          expect(res.statusCode, url).toBe(400);
        }
      }
    });
  });
}
