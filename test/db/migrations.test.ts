import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDb, migrateToLatest, migrateUpTo, type Db } from '../../src/db/index.js';
import { freshPgDatabase, testDialects } from '../support/dialects.js';

async function columns(db: Db): Promise<Record<string, string[]>> {
  const tables = [
    'settings',
    'users',
    'roles',
    'user_roles',
    'sessions',
    'api_tokens',
    'fields',
    'companies',
    'contacts',
    'deals',
    'activities',
    'pipelines',
    'pipeline_stages',
    'deal_contacts',
    'activity_links',
    'record_tags',
  ];
  const out: Record<string, string[]> = {};
  for (const t of tables) {
    const rows =
      db.dialect === 'postgres'
        ? (
            await sql<{
              name: string;
            }>`select column_name as name from information_schema.columns where table_name = ${t} and column_name <> 'search_vector'`.execute(
              db.kysely,
            )
          ).rows
        : (await sql<{ name: string }>`select name from pragma_table_info(${t})`.execute(db.kysely)).rows;
    out[t] = rows.map((r) => r.name).sort();
  }
  return out;
}

describe('migrations', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  it('apply on every dialect, are idempotent, and give the same tables and columns', async () => {
    const shapes: Record<string, Record<string, string[]>> = {};
    for (const dialect of await testDialects()) {
      const dir = mkdtempSync(join(tmpdir(), 'separ-mig-'));
      const pgDb = dialect === 'postgres' ? await freshPgDatabase() : null;
      const db = openDb({ dataDir: dir, databaseUrl: pgDb?.url ?? null });
      cleanups.push(async () => {
        await db.close();
        await pgDb?.drop();
        rmSync(dir, { recursive: true, force: true });
      });
      const first = await migrateToLatest(db);
      expect(first.applied).toContain('0001-initial');
      expect((await migrateToLatest(db)).applied).toEqual([]);
      shapes[dialect] = await columns(db);
      const roles = await db.kysely.selectFrom('roles').select('id').orderBy('id').execute();
      expect(roles.map((r) => r.id)).toEqual([
        'admin',
        'auditor',
        'read-only',
        'sales-manager',
        'sales-rep',
        'security-officer',
        'support',
      ]);
      const stages = await db.kysely.selectFrom('pipeline_stages').select('name').orderBy('position').execute();
      expect(stages.map((s) => s.name)).toEqual(['Lead', 'Qualified', 'Proposal', 'Negotiation', 'Won', 'Lost']);
      expect(await db.kysely.selectFrom('users').selectAll().execute()).toEqual([]);
      if (dialect === 'sqlite') {
        expect(statSync(db.location).mode & 0o077).toBe(0);
        expect(statSync(dir).mode & 0o777).not.toBe(0o777);
        const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db.kysely);
        expect(mode.rows[0]?.journal_mode).toBe('wal');
      }
    }
    if (shapes.postgres) expect(shapes.postgres).toEqual(shapes.sqlite);
  });
});

describe('0007: the "who accessed this" index keyed bucket first', () => {
  it('keeps every row written before it, re-keys the index and keeps it append-only', async () => {
    for (const dialect of await testDialects()) {
      const dir = mkdtempSync(join(tmpdir(), 'separ-mig7-'));
      const pgDb = dialect === 'postgres' ? await freshPgDatabase() : null;
      const db = openDb({ dataDir: dir, databaseUrl: pgDb?.url ?? null });
      try {
        await migrateUpTo(db, '0006-preferences');
        const rows = [
          { ref_id: 'b-record', bucket: 7 },
          { ref_id: 'a-record', bucket: 9 },
          { ref_id: 'a-record', bucket: 2 },
        ];
        await db.kysely.insertInto('audit_refs').values(rows).execute();
        expect((await migrateUpTo(db, '0007-audit-refs-by-bucket')).applied).toEqual(['0007-audit-refs-by-bucket']);

        const after = await db.kysely
          .selectFrom('audit_refs')
          .selectAll()
          .orderBy('bucket')
          .orderBy('ref_id')
          .execute();
        expect(after.map((r) => [r.ref_id, Number(r.bucket)])).toEqual([
          ['a-record', 2],
          ['b-record', 7],
          ['a-record', 9],
        ]);
        const keyColumns =
          dialect === 'postgres'
            ? (
                await sql<{ name: string }>`
                    select a.attname as name from pg_index i
                    join lateral unnest(i.indkey) with ordinality k(attnum, n) on true
                    join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
                    where i.indrelid = 'audit_refs'::regclass and i.indisprimary order by k.n`.execute(db.kysely)
              ).rows
            : (
                await sql<{ name: string }>`
                    select ii.name from pragma_index_list('audit_refs') il, pragma_index_info(il.name) ii
                    where il.origin = 'pk' order by ii.seqno`.execute(db.kysely)
              ).rows;
        expect(keyColumns.map((c) => c.name)).toEqual(['bucket', 'ref_id']);
        if (dialect === 'sqlite') {
          const objects = await sql<{ name: string; sql: string }>`
            select name, sql from sqlite_master where tbl_name in ('audit_refs', 'audit_refs_by_bucket')`.execute(
            db.kysely,
          );
          expect(objects.rows.map((o) => o.name).sort()).toEqual([
            'audit_refs',
            'audit_refs_no_delete',
            'audit_refs_no_update',
          ]);
          // Archived buckets may still be pruned, nothing else.
          expect(objects.rows.find((o) => o.name === 'audit_refs_no_delete')?.sql).toContain('audit_archives');
        }
        // Still append-only: the guards came back with the table.
        await expect(sql`update audit_refs set ref_id = 'x'`.execute(db.kysely)).rejects.toThrow(/APPEND_ONLY/);
        await expect(sql`delete from audit_refs`.execute(db.kysely)).rejects.toThrow(/APPEND_ONLY/);
        await expect(
          db.kysely.insertInto('audit_refs').values({ ref_id: 'a-record', bucket: 2 }).execute(),
        ).rejects.toThrow();
      } finally {
        await db.close();
        await pgDb?.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});

describe('0007 on SQLite fails whole', () => {
  it('leaves the old index, its rows and its guards when a statement fails part-way, and succeeds once fixed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'separ-mig7f-'));
    const db = openDb({ dataDir: dir, databaseUrl: null });
    try {
      await migrateUpTo(db, '0006-preferences');
      await db.kysely.insertInto('audit_refs').values({ ref_id: 'kept-record', bucket: 4 }).execute();
      // A view over the old table makes the final rename fail (SQLite checks the schema), after the copy and the drop.
      await sql`create view audit_refs_view as select ref_id from audit_refs`.execute(db.kysely);
      await expect(migrateUpTo(db, '0007-audit-refs-by-bucket')).rejects.toThrow(/0007-audit-refs-by-bucket/);

      const names = await sql<{ name: string }>`
        select name from sqlite_master where tbl_name in ('audit_refs', 'audit_refs_by_bucket') order by name`.execute(
        db.kysely,
      );
      expect(names.rows.map((r) => r.name)).toEqual(['audit_refs', 'audit_refs_no_delete', 'audit_refs_no_update']);
      expect(await db.kysely.selectFrom('audit_refs').selectAll().execute()).toEqual([
        { ref_id: 'kept-record', bucket: 4 },
      ]);
      await expect(sql`delete from audit_refs`.execute(db.kysely)).rejects.toThrow(/APPEND_ONLY/);

      await sql`drop view audit_refs_view`.execute(db.kysely);
      expect((await migrateUpTo(db, '0007-audit-refs-by-bucket')).applied).toEqual(['0007-audit-refs-by-bucket']);
      expect(await db.kysely.selectFrom('audit_refs').selectAll().execute()).toEqual([
        { ref_id: 'kept-record', bucket: 4 },
      ]);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('0008: owner indexes that end with the id', () => {
  it("keys each record table's owner index (owner_id, created_at, id), and an owner's page is read off it", async () => {
    for (const dialect of await testDialects()) {
      const dir = mkdtempSync(join(tmpdir(), 'separ-mig8-'));
      const pgDb = dialect === 'postgres' ? await freshPgDatabase() : null;
      const db = openDb({ dataDir: dir, databaseUrl: pgDb?.url ?? null });
      try {
        await migrateUpTo(db, '0007-audit-refs-by-bucket');
        expect((await migrateToLatest(db)).applied).toEqual(['0008-owner-pages']);
        for (const table of ['companies', 'contacts', 'deals', 'activities']) {
          const index = `${table}_owner_idx`;
          const cols =
            dialect === 'postgres'
              ? (
                  await sql<{ name: string }>`
                    select a.attname as name from pg_index i
                    join pg_class c on c.oid = i.indexrelid
                    join lateral unnest(i.indkey) with ordinality k(attnum, n) on true
                    join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
                    where c.relname = ${index} order by k.n`.execute(db.kysely)
                ).rows
              : (
                  await sql<{ name: string }>`select name from pragma_index_info(${index}) order by seqno`.execute(
                    db.kysely,
                  )
                ).rows;
          expect(cols.map((c) => c.name)).toEqual(['owner_id', 'created_at', 'id']);
        }
        if (dialect === 'sqlite') {
          // The page a sales rep lists first: no temporary B-tree to sort the rows of one timestamp by id.
          const plan = await sql<{ detail: string }>`explain query plan
            select t.id from contacts t where t.deleted_at is null and t.owner_id = ${'u1'}
            order by t.created_at desc, t.id desc limit 51`.execute(db.kysely);
          const details = plan.rows.map((r) => r.detail).join(' | ');
          expect(details).toContain('contacts_owner_idx');
          expect(details).not.toMatch(/TEMP B-TREE/);
        }
      } finally {
        await db.close();
        await pgDb?.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});
