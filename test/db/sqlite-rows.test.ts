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

  it('follows a table another connection widened or narrowed under a cached `select *`', async () => {
    await sql`create table w (a text, b text, c text)`.execute(db.kysely);
    await sql`insert into w values ('1', '2', '3')`.execute(db.kysely);
    const read = async (): Promise<unknown[]> => (await sql`select * from w`.execute(db.kysely)).rows;
    expect(await read()).toEqual([{ a: '1', b: '2', c: '3' }]);
    const other = new SQLite(join(dir, 'separ.db'));
    try {
      other.exec(`alter table w add column d text default '4'`);
      expect(await read()).toEqual([{ a: '1', b: '2', c: '3', d: '4' }]);
      other.exec('alter table w drop column b');
      expect(await read()).toEqual([{ a: '1', c: '3', d: '4' }]);
    } finally {
      other.close();
    }
  });

  it('forgets its statements when the schema changes here, so a renamed column is read by its new name', async () => {
    await sql`create table r (a text, b text)`.execute(db.kysely);
    await sql`insert into r values ('1', '2')`.execute(db.kysely);
    expect((await sql`select * from r`.execute(db.kysely)).rows).toEqual([{ a: '1', b: '2' }]);
    await sql`alter table r rename column b to renamed`.execute(db.kysely);
    db.forgetStatements();
    expect((await sql`select * from r`.execute(db.kysely)).rows).toEqual([{ a: '1', renamed: '2' }]);
  });
});
