import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { openDb, WAL_FALLBACK_PAGES, type Db } from '../../src/db/index.js';
import { startWalCheckpointer } from '../../src/db/wal-checkpointer.js';

const dirs: string[] = [];
const open: Db[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'separ-wal-'));
  dirs.push(d);
  return d;
}

async function fill(db: Db, rows: number): Promise<void> {
  await sql`create table if not exists t (id integer primary key, v text not null)`.execute(db.kysely);
  for (let i = 0; i < rows; i++)
    await sql`insert into t (v) values (${`row ${i} ${'x'.repeat(3000)}`})`.execute(db.kysely);
}

describe('checkpointing the SQLite write-ahead log on a thread of its own', () => {
  it('copies committed pages into the database file while the connection that wrote them only commits', async () => {
    const errors: string[] = [];
    const db = openDb({
      dataDir: tempDir(),
      databaseUrl: null,
      backgroundCheckpoints: { onError: (m) => errors.push(m) },
    });
    open.push(db);
    const checkpointer = db.walCheckpointer;
    if (!checkpointer) throw new Error('no checkpointer on SQLite with backgroundCheckpoints');
    const [pragma] = (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db.kysely)).rows;
    // The writing connection leaves checkpoints to the thread, unless the WAL grows far beyond SQLite's default.
    expect(pragma?.wal_autocheckpoint).toBe(WAL_FALLBACK_PAGES);
    const next = checkpointer.next();
    await fill(db, 400);
    const r = await next;
    expect(r.log).toBeGreaterThan(0);
    expect(r.checkpointed).toBeGreaterThan(0);
    expect(checkpointer.last).not.toBeNull();
    // Within a few rounds the database file itself holds every row (nothing but the thread copies pages there).
    await expect.poll(() => statSync(db.location).size, { timeout: 5000 }).toBeGreaterThan(400 * 3000);
    expect(errors).toEqual([]);
  });

  it('loses nothing: every committed row is there after close and reopen, and no WAL is left behind', async () => {
    const dir = tempDir();
    const db = openDb({ dataDir: dir, databaseUrl: null, backgroundCheckpoints: { onError: () => undefined } });
    await fill(db, 250);
    await db.close();
    expect(existsSync(`${db.location}-wal`)).toBe(false);
    const again = new SQLite(db.location, { readonly: true });
    try {
      expect(again.prepare('select count(*) as n from t').get()).toEqual({ n: 250 });
    } finally {
      again.close();
    }
  });

  it('is not started for one-shot processes: SQLite checkpoints as usual', async () => {
    const db = openDb({ dataDir: tempDir(), databaseUrl: null });
    open.push(db);
    expect(db.walCheckpointer).toBeNull();
    const [pragma] = (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db.kysely)).rows;
    expect(pragma?.wal_autocheckpoint).toBe(1000);
  });

  it('reports a database it cannot open once, starts again until it can, and stopping settles every wait', async () => {
    const errors: string[] = [];
    const file = join(tempDir(), 'later.db');
    const checkpointer = startWalCheckpointer(file, (m) => errors.push(m), { intervalMs: 10, restartMs: 20 });
    await expect.poll(() => errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/cannot open .*later\.db/);
    // The file appears (a restore, a late mount): the thread is back within its backoff and checkpoints it.
    const db = new SQLite(file);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    const next = checkpointer.next();
    db.exec("create table t (v text); insert into t values ('x')");
    expect((await next).log).toBeGreaterThan(0);
    // The same failure, repeated at every restart, was reported once.
    expect(errors.length).toBe(1);
    await checkpointer.stop();
    await expect(checkpointer.next()).rejects.toThrow(/stopped/);
    db.close();
  });

  it('leaves no page image of a deleted row in the WAL once it has restarted (secure_delete covers the file)', async () => {
    const db = openDb({ dataDir: tempDir(), databaseUrl: null, backgroundCheckpoints: { onError: () => undefined } });
    open.push(db);
    await sql`create table t (id integer primary key, v text not null)`.execute(db.kysely);
    for (let i = 0; i < 600; i++)
      await sql`insert into t (v) values (${`GONEMARK${i} ${'x'.repeat(3000)}`})`.execute(db.kysely);
    await sql`delete from t`.execute(db.kysely);
    // Small commits afterwards, as the audit log makes them, until the thread has checkpointed every frame and a
    // commit has restarted the log. How long that takes depends on how busy the machine is (the thread must start,
    // then catch up), so the test waits for it, with a deadline, rather than for a fixed time.
    const walHolds = (): boolean => /GONEMARK\d+/.test(readFileSync(`${db.location}-wal`).toString('latin1'));
    const deadline = Date.now() + 20_000;
    let commits = 0;
    while (walHolds() && Date.now() < deadline) {
      await sql`insert into t (v) values (${`ok ${commits++}`})`.execute(db.kysely);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(walHolds()).toBe(false);
    // It was the restart that removed them: the rows committed since are all there.
    const [row] = (await sql<{ n: number }>`select count(*) as n from t`.execute(db.kysely)).rows;
    expect(row?.n).toBe(commits);
    expect(readFileSync(db.location).toString('latin1')).not.toMatch(/GONEMARK\d+/);
  });

  it('stops once, however often it is asked', async () => {
    const dir = tempDir();
    const db = openDb({ dataDir: dir, databaseUrl: null, backgroundCheckpoints: { onError: () => undefined } });
    const checkpointer = db.walCheckpointer;
    if (!checkpointer) throw new Error('no checkpointer');
    await Promise.all([checkpointer.stop(), checkpointer.stop(), db.close()]);
  });
});
