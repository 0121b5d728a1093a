import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDb, migrateToLatest, type Db } from '../../src/db/index.js';
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
