import { sql, type Kysely, type Migration, type Transaction } from 'kysely';
import type { DialectName } from '../connect.js';

type AnyDb = Kysely<unknown>;

/**
 * The link tables whose every column is in the primary key, with that key's columns in order. On SQLite each was
 * a rowid table plus the automatic index of its key: every row stored twice, and every insert placed twice — once
 * appended to the table, once at a random place in the key's index (blind-index hashes, tags, ids). As WITHOUT ROWID
 * tables the key's B-tree is the table: half the pages, one placement per row (ADR 0017).
 */
export const LINK_TABLE_KEYS: Readonly<Record<string, readonly string[]>> = {
  blind_indexes: ['object', 'field', 'epoch', 'value', 'record_id'],
  record_tags: ['object', 'record_id', 'tag'],
  deal_contacts: ['deal_id', 'contact_id'],
  activity_links: ['activity_id', 'object', 'record_id'],
};

/**
 * SQLite only: the link tables become WITHOUT ROWID tables. PostgreSQL has no rowid tables to change, so there the
 * migration is recorded and does nothing. Same columns, constraints, foreign keys and secondary indexes: the new
 * table is created from the old one's own SQL, so nothing in its definition is restated here.
 */
export function linkTablesWithoutRowidMigration(dialect: DialectName): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      if (dialect === 'postgres') return;
      // The copy moves the rows as they are. A link whose record is gone (possible wherever foreign keys were not
      // enforced, e.g. a database written by other tools) stays as it was instead of failing the upgrade and with
      // it every start; SQLite ignores this pragma inside a transaction, so it is set around it and put back.
      const before = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
      const enforced = before.rows[0]?.foreign_keys !== 0;
      await sql`pragma foreign_keys = off`.execute(db);
      try {
        // Kysely runs SQLite migrations outside a transaction, so this one opens its own: a crash or a failed
        // statement leaves the old tables, and from the first statement on it holds the write lock, so no link
        // written by a running instance can fall between a copy and its drop.
        await db.transaction().execute(async (trx) => {
          for (const [table, key] of Object.entries(LINK_TABLE_KEYS)) await rebuildWithoutRowid(trx, table, key);
        });
      } finally {
        await sql.raw(`pragma foreign_keys = ${enforced ? 'on' : 'off'}`).execute(db);
      }
    },
  };
}

async function rebuildWithoutRowid(trx: Transaction<unknown>, table: string, key: readonly string[]): Promise<void> {
  const schema = await sql<{ type: string; name: string; sql: string | null }>`
    select type, name, sql from sqlite_master where tbl_name = ${table} and type in ('table', 'index')`.execute(trx);
  const created = schema.rows.find((r) => r.type === 'table')?.sql;
  if (!created) throw new Error(`table ${table} is missing`);
  // Table options (STRICT, WITHOUT ROWID) follow the closing parenthesis, separated by commas.
  const options = created.slice(created.lastIndexOf(')') + 1);
  if (/\bwithout\s+rowid\b/i.test(options)) return;
  const head = new RegExp(`^create table "?${table}"?`, 'i');
  if (!head.test(created)) throw new Error(`table ${table}: unexpected definition`);
  // Every column must be in the key: the copy below moves the key's columns, nothing else.
  const columns = await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(trx);
  const extra = columns.rows.map((c) => c.name).filter((c) => !key.includes(c));
  if (extra.length > 0 || columns.rows.length !== key.length) {
    throw new Error(`table ${table}: columns outside its key (${extra.join(', ')})`);
  }
  const copy = `${table}_without_rowid`;
  await sql`drop table if exists ${sql.table(copy)}`.execute(trx);
  const renamed = created.replace(head, `create table "${copy}"`);
  await sql.raw(options.trim() === '' ? `${renamed} without rowid` : `${renamed}, without rowid`).execute(trx);
  const keyColumns = sql.join(key.map((c) => sql.ref(c)));
  await sql`insert into ${sql.table(copy)} (${keyColumns}) select ${keyColumns} from ${sql.table(table)} order by ${keyColumns}`.execute(
    trx,
  );
  await sql`drop table ${sql.table(table)}`.execute(trx);
  await sql`alter table ${sql.table(copy)} rename to ${sql.table(table)}`.execute(trx);
  // Dropping the table dropped its indexes; each comes back from its own SQL (the key's automatic index has none).
  for (const index of schema.rows) if (index.type === 'index' && index.sql) await sql.raw(index.sql).execute(trx);
}
