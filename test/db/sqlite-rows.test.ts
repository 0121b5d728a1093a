import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { openDb, type Db } from '../../src/db/index.js';

// SQLite rows are read as arrays and turned into objects by Separ (src/db/connect.ts): the objects must be
// exactly what better-sqlite3 would have built, for every kind of statement Kysely runs.
describe('SQLite row objects', () => {
  let dir: string;
  let db: Db;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'separ-rows-'));
    db = openDb({ dataDir: dir, databaseUrl: null });
    await sql`create table t (id integer primary key, name text, data blob, score real, note text)`.execute(db.kysely);
  });

  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives every column its value and type, nulls included, on the first and on a reused statement', async () => {
    await sql`insert into t (id, name, data, score, note) values (1, 'نیما', x'00ff', 1.5, null), (2, '=1+1', null, 2.25, 'b')`.execute(
      db.kysely,
    );
    for (let round = 0; round < 2; round++) {
      const r = await sql<Record<string, unknown>>`select * from t order by id`.execute(db.kysely);
      expect(r.rows).toEqual([
        { id: 1, name: 'نیما', data: Buffer.from([0, 255]), score: 1.5, note: null },
        { id: 2, name: '=1+1', data: null, score: 2.25, note: 'b' },
      ]);
      expect(Object.keys(r.rows[0] ?? {})).toEqual(['id', 'name', 'data', 'score', 'note']);
    }
  });

  it('matches what better-sqlite3 itself returns, query by query', async () => {
    const native = new SQLite(join(dir, 'separ.db'), { readonly: true });
    try {
      for (const q of [
        'select * from t order by id',
        'select id, name as x, note as x from t',
        'select count(*) as n from t',
      ]) {
        const ours = await sql.raw<Record<string, unknown>>(q).execute(db.kysely);
        expect(ours.rows).toEqual(native.prepare(q).all());
      }
    } finally {
      native.close();
    }
  });

  it('keeps rows apart: changing one object changes no other row and no later result', async () => {
    const first = await sql<Record<string, unknown>>`select id, name from t order by id`.execute(db.kysely);
    const [a, b] = first.rows;
    if (!a || !b) throw new Error('expected two rows');
    a.name = 'changed';
    expect(b.name).toBe('=1+1');
    const again = await sql<Record<string, unknown>>`select id, name from t order by id`.execute(db.kysely);
    expect(again.rows[0]).toEqual({ id: 1, name: 'نیما' });
  });

  it('keeps the last of two columns with the same name, as better-sqlite3 does', async () => {
    const r = await sql<Record<string, unknown>>`select id, name as x, note as x from t where id = 2`.execute(
      db.kysely,
    );
    expect(r.rows).toEqual([{ id: 2, x: 'b' }]);
  });

  it('answers an empty result, RETURNING clauses and a column named __proto__ as plain data', async () => {
    const none = await sql`select id from t where id = 99`.execute(db.kysely);
    expect(none.rows).toEqual([]);
    const ret = await sql<Record<string, unknown>>`update t set note = 'c' where id = 1 returning id, note`.execute(
      db.kysely,
    );
    expect(ret.rows).toEqual([{ id: 1, note: 'c' }]);
    const proto = await sql<Record<string, unknown>>`select 'x' as "__proto__", 1 as id`.execute(db.kysely);
    const row = proto.rows[0] ?? {};
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe('x');
  });

  it('streams rows as objects too', async () => {
    const seen: unknown[] = [];
    for await (const r of db.kysely
      .selectFrom('t' as never)
      .select(['id' as never])
      .orderBy('id' as never)
      .stream()) {
      seen.push(r);
    }
    expect(seen).toEqual([{ id: 1 }, { id: 2 }]);
  });
});
