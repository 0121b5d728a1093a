import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDb, migrateToLatest, migrateUpTo, type Db } from '../../src/db/index.js';
import { freshPgDatabase, testDialects } from '../support/dialects.js';
import { LINK_TABLE_KEYS } from '../../src/db/migrations/0009-link-tables-without-rowid.migration.js';

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
        expect((await migrateUpTo(db, '0008-owner-pages')).applied).toEqual(['0008-owner-pages']);
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

describe('0009: link tables without rowid on SQLite', () => {
  const blindRows = [
    { object: 'contacts', field: 'email', epoch: 1, value: 987654321, record_id: 'c-2' },
    { object: 'contacts', field: 'email', epoch: 1, value: -5, record_id: 'c-1' },
    { object: 'companies', field: 'name', epoch: 2, value: 42, record_id: 'co-1' },
  ];
  const tagRows = [
    { object: 'contacts', record_id: 'c-1', tag: 'vip' },
    { object: 'contacts', record_id: 'c-1', tag: 'مشتری' },
    { object: 'deals', record_id: 'd-1', tag: 'vip' },
  ];

  it('keeps every link, key, foreign key and index, and stores each row once', async () => {
    for (const dialect of await testDialects()) {
      const dir = mkdtempSync(join(tmpdir(), 'separ-mig9-'));
      const pgDb = dialect === 'postgres' ? await freshPgDatabase() : null;
      const db = openDb({ dataDir: dir, databaseUrl: pgDb?.url ?? null });
      try {
        await migrateUpTo(db, '0008-owner-pages');
        await db.kysely.insertInto('blind_indexes').values(blindRows).execute();
        await db.kysely.insertInto('record_tags').values(tagRows).execute();
        const before = dialect === 'sqlite' ? await sqliteShape(db) : null;
        expect((await migrateToLatest(db)).applied[0]).toBe('0009-link-tables-without-rowid');

        const blind = await db.kysely.selectFrom('blind_indexes').selectAll().orderBy('record_id').execute();
        expect(blind.map((r) => ({ ...r, epoch: Number(r.epoch), value: Number(r.value) }))).toEqual(
          [...blindRows].sort((a, b) => a.record_id.localeCompare(b.record_id)),
        );
        const tags = await db.kysely
          .selectFrom('record_tags')
          .selectAll()
          .orderBy('record_id')
          .orderBy('tag')
          .execute();
        expect(tags).toEqual(tagRows);
        // Still keyed: the same link twice is refused, and links to records that do not exist are refused.
        await expect(
          db.kysely
            .insertInto('record_tags')
            .values(tagRows[0] ?? tagRows)
            .execute(),
        ).rejects.toThrow();
        await expect(
          db.kysely.insertInto('deal_contacts').values({ deal_id: 'no-deal', contact_id: 'no-contact' }).execute(),
        ).rejects.toThrow(/foreign key/i);
        await expect(
          db.kysely
            .insertInto('activity_links')
            .values({ activity_id: 'no-activity', object: 'contacts', record_id: 'c-1' })
            .execute(),
        ).rejects.toThrow(/foreign key/i);

        if (before) {
          const after = await sqliteShape(db);
          for (const table of Object.keys(LINK_TABLE_KEYS)) {
            expect(after[table]?.withoutRowid).toBe(true);
            expect(before[table]?.withoutRowid).toBe(false);
            expect(after[table]?.key).toEqual(LINK_TABLE_KEYS[table]);
            expect(after[table]?.columns).toEqual(before[table]?.columns);
            expect(after[table]?.foreignKeys).toEqual(before[table]?.foreignKeys);
            expect(after[table]?.indexes).toEqual(before[table]?.indexes);
          }
          const leftovers = await sql<{ name: string }>`
            select name from sqlite_master where name like '%without_rowid%'`.execute(db.kysely);
          expect(leftovers.rows).toEqual([]);
          // A lookup by hash is answered from the table's own key, with no second B-tree to visit.
          const plan = await sql<{ detail: string }>`explain query plan select record_id from blind_indexes
            where object = 'contacts' and field = 'email' and epoch = 1 and value = 42`.execute(db.kysely);
          expect(plan.rows.map((r) => r.detail).join(' | ')).toMatch(/USING PRIMARY KEY/);
        }
      } finally {
        await db.close();
        await pgDb?.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('moves links as they are, orphans included, and keeps table options such as STRICT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'separ-mig9o-'));
    const db = openDb({ dataDir: dir, databaseUrl: null });
    try {
      await migrateUpTo(db, '0008-owner-pages');
      const lease = db.leaseSqlite;
      if (!lease) throw new Error('an SQLite Db lends its connection');
      const l = await lease();
      try {
        // A link whose records are gone, as a tool writing without foreign keys can leave; and a STRICT table.
        l.conn.pragma('foreign_keys = OFF');
        l.conn.prepare(`insert into deal_contacts values ('gone-deal', 'gone-contact')`).run();
        l.conn.pragma('foreign_keys = ON');
        l.conn.exec(`create table record_tags_strict (object text not null, record_id text not null, tag text not null,
            constraint record_tags_pk primary key (object, record_id, tag)) strict;
          drop table record_tags;
          alter table record_tags_strict rename to record_tags;
          create index record_tags_tag_idx on record_tags (object, tag);`);
      } finally {
        l.release();
      }
      expect((await migrateToLatest(db)).applied[0]).toBe('0009-link-tables-without-rowid');
      expect(await db.kysely.selectFrom('deal_contacts').selectAll().execute()).toEqual([
        { deal_id: 'gone-deal', contact_id: 'gone-contact' },
      ]);
      // Enforced again for everything written after.
      expect((await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db.kysely)).rows).toEqual([
        { foreign_keys: 1 },
      ]);
      await expect(
        db.kysely.insertInto('deal_contacts').values({ deal_id: 'no-deal', contact_id: 'no-contact' }).execute(),
      ).rejects.toThrow(/foreign key/i);
      const tags = await sql<{ wr: number; strict: number }>`
        select wr, strict from pragma_table_list where name = 'record_tags'`.execute(db.kysely);
      expect(tags.rows).toEqual([{ wr: 1, strict: 1 }]);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves the old tables and their links when a statement fails part-way, and succeeds once fixed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'separ-mig9f-'));
    const db = openDb({ dataDir: dir, databaseUrl: null });
    try {
      await migrateUpTo(db, '0008-owner-pages');
      await db.kysely.insertInto('blind_indexes').values(blindRows).execute();
      await db.kysely.insertInto('record_tags').values(tagRows).execute();
      // A view over the last table makes its rename fail, after the first tables were already rebuilt.
      await sql`create view activity_links_view as select record_id from activity_links`.execute(db.kysely);
      await expect(migrateToLatest(db)).rejects.toThrow(/0009-link-tables-without-rowid/);
      const shape = await sqliteShape(db);
      for (const table of Object.keys(LINK_TABLE_KEYS)) expect(shape[table]?.withoutRowid).toBe(false);
      expect(await db.kysely.selectFrom('record_tags').selectAll().execute()).toHaveLength(tagRows.length);

      await sql`drop view activity_links_view`.execute(db.kysely);
      expect((await migrateToLatest(db)).applied[0]).toBe('0009-link-tables-without-rowid');
      expect(await db.kysely.selectFrom('blind_indexes').selectAll().execute()).toHaveLength(blindRows.length);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

interface TableShape {
  withoutRowid: boolean;
  key: string[];
  columns: string[];
  foreignKeys: string[];
  indexes: string[];
}

async function sqliteShape(db: Db): Promise<Record<string, TableShape>> {
  const out: Record<string, TableShape> = {};
  for (const table of Object.keys(LINK_TABLE_KEYS)) {
    const q = async (query: ReturnType<typeof sql<{ v: string | number }>>): Promise<(string | number)[]> =>
      (await query.execute(db.kysely)).rows.map((r) => r.v);
    const wr = await q(sql`select wr as v from pragma_table_list where name = ${table}`);
    out[table] = {
      withoutRowid: wr[0] === 1,
      key: (await q(sql`select name as v from pragma_table_info(${table}) where pk > 0 order by pk`)).map(String),
      columns: (await q(sql`select name || ' ' || type || ' ' || "notnull" as v from pragma_table_info(${table})`)).map(
        String,
      ),
      foreignKeys: (
        await q(sql`select "from" || '>' || "table" || '.' || "to" || ' ' || on_delete as v
          from pragma_foreign_key_list(${table}) order by "from"`)
      ).map(String),
      indexes: (
        await q(sql`select name || ': ' || sql as v from sqlite_master
          where type = 'index' and tbl_name = ${table} and sql is not null order by name`)
      ).map(String),
    };
  }
  return out;
}
