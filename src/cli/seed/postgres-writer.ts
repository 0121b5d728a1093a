import pg from 'pg';
import {
  NUMERIC_COLUMNS,
  SEED_COLUMNS,
  SEED_TABLES,
  TIMESTAMP_COLUMNS,
  type SeedBatch,
  type SeedTable,
  type SeedValue,
  type SeedWriter,
} from './seed-model.js';

/** PostgreSQL array type of a seeded column. */
function arrayType(column: string): string {
  if (column === 'amount') return 'bigint[]';
  if (NUMERIC_COLUMNS.has(column)) return 'integer[]';
  if (TIMESTAMP_COLUMNS.has(column)) return 'timestamptz[]';
  return 'text[]';
}

/** `insert … select * from unnest($1::text[], …)`: one statement and one parameter per column, any row count. */
function insertSql(table: SeedTable): string {
  const cols = SEED_COLUMNS[table];
  const params = cols.map((c, i) => `$${i + 1}::${arrayType(c)}`).join(', ');
  return `insert into "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) select * from unnest(${params})`;
}

/** Row-major flat values → one array per column. */
function columnsOf(values: readonly SeedValue[], width: number): SeedValue[][] {
  const rows = values.length / width;
  const out = Array.from({ length: width }, () => new Array<SeedValue>(rows));
  for (let r = 0, o = 0; r < rows; r++) {
    for (let c = 0; c < width; c++, o++) {
      const col = out[c];
      if (col) col[r] = values[o] ?? null;
    }
  }
  return out;
}

/**
 * Writes the seed over its own connection in ONE transaction (all or nothing), with `unnest` inserts: a
 * statement per table per batch whatever its size, well clear of the 65,535-parameter limit.
 *
 * Inside the transaction it drops the secondary (non-unique) indexes of the tables it fills and recreates them
 * from their definitions before the commit: one sorted build per index instead of a random insert per row (and
 * GIN pending-list merges). PostgreSQL's DDL is transactional, so a failure or crash puts them back as they were.
 * The price: other sessions' queries on those tables wait until the seed commits. Constraints, unique indexes and
 * the generated search vectors are maintained as for any insert. The tables are analyzed after the commit so that
 * the planner knows their new size at once.
 */
export class PostgresSeedWriter implements SeedWriter {
  private client: pg.Client | null = null;
  private indexes: { name: string; sql: string }[] = [];
  private readonly statements = new Map<SeedTable, string>(SEED_TABLES.map((t) => [t, insertSql(t)]));

  constructor(private readonly url: string) {}

  private conn(): pg.Client {
    if (!this.client) throw new Error('the PostgreSQL seed writer is not started');
    return this.client;
  }

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 10_000 });
    client.on('error', () => undefined);
    await client.connect();
    this.client = client;
    // The commit waits for its WAL flush (synchronous_commit as configured): when the seed reports success, it is
    // durable. The wait is short — the WAL of the load was written and flushed as it went.
    await client.query('begin');
    const r = await client.query<{ name: string; sql: string }>(
      `select i.indexname as name, i.indexdef as sql
         from pg_indexes i
         join pg_class c on c.relname = i.indexname and c.relnamespace = to_regnamespace(i.schemaname)
         join pg_index x on x.indexrelid = c.oid
        where i.schemaname = current_schema() and i.tablename = any($1) and not x.indisunique`,
      [SEED_TABLES],
    );
    this.indexes = r.rows;
    for (const i of this.indexes) await client.query(`drop index "${i.name}"`);
  }

  async write(batch: SeedBatch): Promise<void> {
    const client = this.conn();
    for (const table of SEED_TABLES) {
      const values = batch[table];
      if (values.length === 0) continue;
      const sql = this.statements.get(table);
      if (!sql) throw new Error(`no statement for ${table}`);
      await client.query(sql, columnsOf(values, SEED_COLUMNS[table].length));
    }
  }

  async finish(progress: (message: string) => void): Promise<void> {
    const client = this.conn();
    progress(`rebuilding ${this.indexes.length} indexes`);
    await client.query(`set local maintenance_work_mem = '512MB'`);
    for (const i of this.indexes) await client.query(i.sql);
    progress('committing');
    await client.query('commit');
    progress('analyzing the seeded tables');
    for (const table of SEED_TABLES) await client.query(`analyze "${table}"`);
    await client.end();
    this.client = null;
  }

  async abort(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    await client.query('rollback').catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
