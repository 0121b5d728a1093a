import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/db/index.js';

const dirs: string[] = [];
const open: Db[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('SQLite transactions beside another writing connection (the audit append thread)', () => {
  it('a transaction that reads before it writes is not undone by another connection committing in between', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'separ-tx-'));
    dirs.push(dir);
    const db = openDb({ dataDir: dir, databaseUrl: null });
    open.push(db);
    await sql`create table t (id integer primary key, v text not null)`.execute(db.kysely);
    await sql`insert into t (v) values ('seed')`.execute(db.kysely);
    const other = new SQLite(db.location);
    other.pragma('busy_timeout = 0');
    let otherWrote: boolean | null = null;
    try {
      await db.kysely.transaction().execute(async (trx) => {
        const before = await sql<{ n: number }>`select count(*) as n from t`.execute(trx);
        expect(before.rows[0]?.n).toBe(1);
        // Another connection tries to commit between this transaction's read and its write. With a deferred BEGIN
        // it would, and the write below would fail with SQLITE_BUSY_SNAPSHOT; with BEGIN IMMEDIATE it must wait.
        try {
          other.prepare(`insert into t (v) values ('other')`).run();
          otherWrote = true;
        } catch (err) {
          expect(String((err as { code?: unknown }).code)).toMatch(/^SQLITE_BUSY/);
          otherWrote = false;
        }
        await sql`insert into t (v) values (${`after ${String(before.rows[0]?.n)}`})`.execute(trx);
      });
    } finally {
      other.close();
    }
    expect(otherWrote).toBe(false);
    const rows = await sql<{ v: string }>`select v from t order by id`.execute(db.kysely);
    expect(rows.rows.map((r) => r.v)).toEqual(['seed', 'after 1']);
  });
});

describe('SQLite connection lease and journal mode', () => {
  it('lends the connection alone: the process waits until it is released', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'separ-lease-'));
    dirs.push(dir);
    const db = openDb({ dataDir: dir, databaseUrl: null });
    open.push(db);
    await sql`create table t (id integer primary key, v text not null)`.execute(db.kysely);
    const lease = db.leaseSqlite;
    if (!lease) throw new Error('an SQLite Db lends its connection');
    const l = await lease();
    const order: string[] = [];
    const waiting = sql`insert into t (v) values ('queued')`.execute(db.kysely).then(() => order.push('query'));
    await new Promise((r) => setTimeout(r, 50));
    l.conn.prepare(`insert into t (v) values ('lease')`).run();
    order.push('lease');
    l.release();
    await waiting;
    expect(order).toEqual(['lease', 'query']);
    const rows = await sql<{ v: string }>`select v from t order by id`.execute(db.kysely);
    expect(rows.rows.map((r) => r.v)).toEqual(['lease', 'queued']);
  });

  it('refuses to open, in one line, a file another process writes outside WAL mode (a seed)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'separ-busy-'));
    dirs.push(dir);
    const first = openDb({ dataDir: dir, databaseUrl: null });
    await sql`create table t (id integer primary key)`.execute(first.kysely);
    await first.close();
    const seeding = new SQLite(join(dir, 'separ.db'));
    try {
      expect(seeding.pragma('journal_mode = DELETE', { simple: true })).toBe('delete');
      seeding.exec('begin exclusive');
      expect(() => openDb({ dataDir: dir, databaseUrl: null })).toThrow(
        /separ\.db is busy: another process is writing it outside WAL mode \(a separ seed\?\)/,
      );
      seeding.exec('rollback');
    } finally {
      seeding.close();
    }
    const again = openDb({ dataDir: dir, databaseUrl: null });
    open.push(again);
    await again.ping();
  }, 15_000);
});
