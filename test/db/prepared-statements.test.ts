import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDb, QueryShapes, type Db } from '../../src/db/index.js';
import { markPreparable, preparedName } from '../../src/db/prepared-texts.js';
import { freshPgDatabase, testDialects } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken } from '../support/identity.js';

interface Prepared {
  name: string;
  statement: string;
}

/**
 * On PostgreSQL the hot queries (QueryShapes) are named prepared statements, parsed and planned once per
 * connection. What must hold: only those texts are prepared, the answers are the same, and a column that another
 * instance adds while this one runs (a rolling migration) does not break a prepared lookup.
 */
for (const dialect of await testDialects()) {
  if (dialect !== 'postgres') continue;

  describe('prepared statements on PostgreSQL', () => {
    let db: Db;
    let other: pg.Client;
    let drop: () => Promise<void>;
    const dir = mkdtempSync(join(tmpdir(), 'separ-prep-'));

    beforeAll(async () => {
      const fresh = await freshPgDatabase();
      drop = fresh.drop;
      // One connection, so that the statements this test prepares are the ones it then looks for.
      db = openDb({ dataDir: dir, databaseUrl: fresh.url, poolSize: 1 });
      other = new pg.Client({ connectionString: fresh.url });
      await other.connect();
      await other.query('create table t (a text primary key, b text not null)');
      await other.query("insert into t values ('k1', 'one'), ('k2', 'two')");
    });
    afterAll(async () => {
      await other?.end();
      await db?.close();
      await drop?.();
      rmSync(dir, { recursive: true, force: true });
    });

    const prepared = async (): Promise<Prepared[]> =>
      (await sql<Prepared>`select name, statement from pg_prepared_statements`.execute(db.kysely)).rows;

    it('prepares the texts of query shapes, with the same answers, and nothing else', async () => {
      const shapes = new QueryShapes(db.kysely);
      const byKey = (a: string) =>
        shapes.rows('t-by-key', [a], () => sql<{ b: string }>`select t.b from t where t.a = ${a}`.compile(db.kysely));
      expect(await byKey('k1')).toEqual([{ b: 'one' }]);
      expect(await byKey('k2')).toEqual([{ b: 'two' }]);
      expect(await byKey('nothing')).toEqual([]);
      // An ordinary query with a value, not a shape: sent unnamed, as before.
      expect((await sql<{ b: string }>`select t.b from t where t.a <> ${'k1'}`.execute(db.kysely)).rows).toEqual([
        { b: 'two' },
      ]);
      const mine = (await prepared()).filter((p) => p.statement.includes(' from t '));
      expect(mine.map((p) => p.statement)).toEqual(['select t.b from t where t.a = $1']);
      expect(mine[0]?.name).toMatch(/^separ_[0-9a-f]{24}$/);
    });

    it('keeps a shape that names its columns working when another connection adds one; `*` would not', async () => {
      const shapes = new QueryShapes(db.kysely);
      const named = (a: string) =>
        shapes.rows('t-named', [a], () =>
          sql<{ a: string; b: string }>`select t.a, t.b from t where t.a = ${a} and 1 = 1`.compile(db.kysely),
        );
      const star = (a: string) =>
        shapes.rows('t-star', [a], () => sql`select * from t where t.a = ${a}`.compile(db.kysely));
      expect(await named('k1')).toEqual([{ a: 'k1', b: 'one' }]);
      expect(await star('k1')).toEqual([{ a: 'k1', b: 'one' }]);
      await other.query("alter table t add column c text not null default 'new'");
      expect(await named('k2')).toEqual([{ a: 'k2', b: 'two' }]);
      // Why the shaped queries of Separ name their columns: a prepared `*` cannot follow the new column.
      await expect(star('k2')).rejects.toThrow(/cached plan must not change result type/);
    });
  });

  describe('the token lookup while another instance adds a column (PostgreSQL)', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness('postgres');
    });
    afterAll(async () => {
      await h?.close();
    });

    it('keeps authenticating requests with a prepared lookup', async () => {
      const user = await createUserWithToken(h, { roles: ['sales-rep'] });
      const get = () => h.app.inject({ method: 'GET', url: '/api/v1/contacts?limit=1', headers: user.headers });
      // Enough requests for every pooled connection to have prepared the lookup.
      for (let i = 0; i < 20; i++) expect((await get()).statusCode).toBe(200);
      await sql`alter table api_tokens add column rolled_out_later text`.execute(h.rt.db.kysely);
      await sql`alter table users add column rolled_out_later text`.execute(h.rt.db.kysely);
      for (let i = 0; i < 20; i++) expect((await get()).statusCode).toBe(200);
      const revoked = await h.app.inject({
        method: 'GET',
        url: '/api/v1/contacts?limit=1',
        headers: { authorization: 'Bearer separ_not_a_token' },
      });
      expect(revoked.statusCode).toBe(401);
    });
  });

  describe('which list pages are prepared (PostgreSQL)', () => {
    let h: Harness;
    const sent: { text: string; named: boolean }[] = [];
    beforeAll(async () => {
      // Installed before the pool's first connection, so that every client's query goes through it.
      const original = Reflect.get(pg.Client.prototype, 'query') as (...a: unknown[]) => unknown;
      vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
        const [first] = args;
        if (typeof first === 'string') sent.push({ text: first, named: false });
        else if (first && typeof first === 'object' && 'text' in first)
          sent.push({ text: String(first.text), named: 'name' in first && first.name !== undefined });
        return original.apply(this, args) as never;
      });
      h = await startHarness('postgres');
    });
    afterAll(async () => {
      vi.restoreAllMocks();
      await h?.close();
    });

    const pageQueries = async (url: string, headers: Record<string, string>) => {
      sent.length = 0;
      const res = await h.app.inject({ method: 'GET', url, headers });
      expect(res.statusCode).toBe(200);
      return sent.filter((q) => q.text.includes(' from "contacts" t') && q.text.includes(' order by '));
    };

    it('prepares unfiltered pages and exact lookups; other filters are one text whatever their order, unprepared', async () => {
      const user = await createUserWithToken(h, { roles: ['sales-rep'] });
      const plain = await pageQueries('/api/v1/contacts?limit=5', user.headers);
      expect(plain.map((q) => q.named)).toEqual([true]);
      const exact = await pageQueries('/api/v1/contacts?email=someone%40example.com', user.headers);
      expect(exact.map((q) => q.named)).toEqual([true]);
      const one = await pageQueries('/api/v1/contacts?tag=vip&firstName=Roya', user.headers);
      const other = await pageQueries('/api/v1/contacts?firstName=Sara&tag=lead', user.headers);
      expect(one.map((q) => q.named)).toEqual([false]);
      expect(other.map((q) => q.text)).toEqual(one.map((q) => q.text));
      // A custom sort or a search is neither a shape nor prepared.
      expect((await pageQueries('/api/v1/contacts?q=roya', user.headers)).every((q) => !q.named)).toBe(true);
    });
  });
}

describe('how many texts a process prepares', () => {
  it('stops naming new texts at its bound; texts named before keep their names', () => {
    const first = 'select 1 as bound_probe_first where 1 = $1';
    markPreparable(first);
    const name = preparedName(first);
    expect(name).toMatch(/^separ_/);
    for (let i = 0; i < 300; i++) markPreparable(`select ${i} as bound_probe where 1 = $1`);
    const named = Array.from({ length: 300 }, (_, i) => preparedName(`select ${i} as bound_probe where 1 = $1`));
    expect(named.filter((n) => n !== undefined).length).toBeLessThan(200);
    expect(named.at(-1)).toBeUndefined();
    expect(preparedName(first)).toBe(name);
  });
});
