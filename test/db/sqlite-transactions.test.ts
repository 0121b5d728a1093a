import { spawn } from 'node:child_process';
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
    // The seed's write lock (immediate: others may still read, then cannot switch the file to WAL) and the lock of
    // its commit (exclusive: others cannot even read).
    for (const lock of ['immediate', 'exclusive']) {
      const seeding = new SQLite(join(dir, 'separ.db'));
      try {
        expect(seeding.pragma('journal_mode = DELETE', { simple: true })).toBe('delete');
        seeding.exec(`begin ${lock}`);
        seeding.exec('insert into t default values');
        const started = Date.now();
        expect(() => openDb({ dataDir: dir, databaseUrl: null }), lock).toThrow(
          /separ\.db is busy: another process is writing it outside WAL mode \(a separ seed\?\)/,
        );
        // It waited its busy timeout first, instead of failing at the first refusal.
        expect(Date.now() - started, lock).toBeGreaterThanOrEqual(4_500);
        seeding.exec('rollback');
      } finally {
        seeding.close();
      }
    }
    const again = openDb({ dataDir: dir, databaseUrl: null });
    open.push(again);
    await again.ping();
  }, 30_000);

  it('opens a file once a seed writing it outside WAL mode finishes within the busy timeout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'separ-busy-wait-'));
    dirs.push(dir);
    const first = openDb({ dataDir: dir, databaseUrl: null });
    await sql`create table t (id integer primary key)`.execute(first.kysely);
    await first.close();
    // Another process: out of WAL mode, a write transaction held for a second, committed, then back to WAL.
    const script = `
      const SQLite = require('better-sqlite3');
      const db = new SQLite(process.argv[1]);
      db.pragma('busy_timeout = 5000');
      db.pragma('journal_mode = DELETE');
      db.exec('begin immediate');
      db.exec('insert into t default values');
      process.stdout.write('locked\\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
      db.exec('commit');
      db.pragma('journal_mode = WAL');
      db.close();`;
    const seed = spawn(process.execPath, ['-e', script, join(dir, 'separ.db')], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => seed.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      seed.stdout.once('data', () => resolve());
      seed.once('exit', (code) => reject(new Error(`the seed stand-in exited early (${String(code)})`)));
    });
    const db = openDb({ dataDir: dir, databaseUrl: null });
    open.push(db);
    expect(await exited).toBe(0);
    const rows = await sql<{ n: number }>`select count(*) as n from t`.execute(db.kysely);
    expect(rows.rows[0]?.n).toBe(1);
    expect((await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db.kysely)).rows[0]?.journal_mode).toBe(
      'wal',
    );
  }, 20_000);
});
