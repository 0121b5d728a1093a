import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDb, QueryShapes, migrateToLatest, type Database, type Db } from '../../src/db/index.js';
import { freshPgDatabase, testDialects } from '../support/dialects.js';

const dialects = await testDialects();

describe.each(dialects)('compiled query shapes (%s)', (dialect) => {
  let db: Db;
  const cleanups: (() => Promise<void>)[] = [];

  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  const open = async (): Promise<Db> => {
    if (db) return db;
    if (dialect === 'postgres') {
      const pgDb = await freshPgDatabase();
      db = openDb({ dataDir: '', databaseUrl: pgDb.url });
      cleanups.push(pgDb.drop);
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'separ-shapes-'));
      db = openDb({ dataDir: dir, databaseUrl: null });
      cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    }
    cleanups.push(() => db.close());
    await migrateToLatest(db);
    await db.kysely
      .insertInto('settings')
      .values([
        { key: 'shape.a', value: 'A' },
        { key: 'shape.b', value: 'B' },
      ])
      .execute();
    return db;
  };

  const byKey = (d: Db, key: string) => () =>
    d.kysely.selectFrom('settings').select('value').where('key', '=', key).compile();

  it('binds each call its own parameters to the text compiled the first time', async () => {
    const d = await open();
    const shapes = new QueryShapes<Database>(d.kysely);
    let builds = 0;
    const value = async (key: string): Promise<string | undefined> =>
      (
        await shapes.rows('setting-by-key', [key], () => {
          builds++;
          return byKey(d, key)();
        })
      )[0]?.value;
    expect(await value('shape.a')).toBe('A');
    expect(await value('shape.b')).toBe('B');
    expect(await value('shape.missing')).toBeUndefined();
    expect(builds).toBe(1);
  });

  it('refuses a shape whose parameters are not the ones its builder bound, in order', async () => {
    const d = await open();
    const shapes = new QueryShapes<Database>(d.kysely);
    expect(() => shapes.query('wrong-value', ['shape.b'], byKey(d, 'shape.a'))).toThrow(/other parameters/);
    const two = () => sql<{ n: number }>`select ${1} as n where ${'x'} = ${'x'}`.compile(d.kysely);
    expect(() => shapes.query('wrong-order', ['x', 1, 'x'], two)).toThrow(/other parameters/);
    expect(() => shapes.query('too-few', [1], two)).toThrow(/other parameters/);
    // a refused shape is not remembered: the right parameters compile and run
    expect((await shapes.rows('wrong-value', ['shape.b'], byKey(d, 'shape.b')))[0]?.value).toBe('B');
  });

  it('keeps a bounded number of shapes, recompiling one it dropped', async () => {
    const d = await open();
    const shapes = new QueryShapes<Database>(d.kysely, 2);
    let builds = 0;
    const run = (shape: string, key: string) =>
      shapes.rows(shape, [key], () => {
        builds++;
        return byKey(d, key)();
      });
    await run('s1', 'shape.a');
    await run('s2', 'shape.a');
    await run('s3', 'shape.a');
    expect(builds).toBe(3);
    expect((await run('s1', 'shape.b'))[0]?.value).toBe('B');
    expect(builds).toBe(4);
  });
});
