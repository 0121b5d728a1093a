import type SQLite from 'better-sqlite3';
import { SEED_COLUMNS, type LinkTable, type SeedTable } from './seed-model.js';

/*
 * Staging tables of the SQLite seed (sqlite-writer.ts; ADR 0009): rows appended during the load, moved into their
 * table in key order at its end.
 */

/**
 * Tables whose key has nothing to do with the order the seed makes rows in: blind_indexes' primary key (object, field,
 * epoch, value, record_id) puts keyed-hash values before the record id, so every row lands at a random place in a
 * B-tree of millions (WITHOUT ROWID: the key cannot be dropped and rebuilt like an index). Measured here, 2.35M such
 * rows (a 1M seed's) took 24–25 s inserted as they came, 4.3–4.4 s appended to a plain table and then inserted sorted
 * by the key (1M rows: 9.4 against 2.0 s). The staging table lives in the seed's transaction only: created at the
 * start, emptied into the real table and dropped before the index builds — which reuse its freed pages — so it is
 * never committed, and a crash or an abort rolls it back with everything else.
 */
const STAGED_TABLES: ReadonlySet<LinkTable> = new Set(['blind_indexes']);
export const isStaged = (t: SeedTable): t is LinkTable => (STAGED_TABLES as ReadonlySet<string>).has(t);
const stageName = (table: LinkTable): string => `separ_seed_stage_${table}`;

/** A staging table: its name, the columns the load fills, and the real table's key to sort them by. */
export interface Stage {
  name: string;
  columns: string;
  key: string;
}

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}

/**
 * A plain rowid table with the seeded columns of `table` (a link table: no `seq`), their types and NOT NULL — a NULL
 * the real table refuses is refused at its batch — but no key: rows are appended. A duplicate key shows only when the
 * rows move into place at the end (the same error, and the same rollback, after the whole load). A staging table
 * left behind could only be an uncommitted seed's, which SQLite rolled back, so an existing one is an error.
 */
export function createStage(db: SQLite.Database, table: LinkTable): Stage {
  const info = db
    .prepare<[string], ColumnInfo>('select name, type, "notnull", pk from pragma_table_info(?)')
    .all(table);
  const byName = new Map(info.map((c) => [c.name, c]));
  const defs = SEED_COLUMNS[table].map((name) => {
    const c = byName.get(name);
    if (!c) throw new Error(`${table} has no column ${name}`);
    return `"${name}" ${c.type}${c.notnull ? ' not null' : ''}`;
  });
  const key = info
    .filter((c) => c.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((c) => `"${c.name}"`);
  if (key.length === 0) throw new Error(`${table} has no primary key to sort its staged rows by`);
  const name = stageName(table);
  db.exec(`create table "${name}" (${defs.join(', ')})`);
  return { name, columns: SEED_COLUMNS[table].map((c) => `"${c}"`).join(', '), key: key.join(', ') };
}

/** Moves a staging table's rows into their table in the order of its primary key, then drops it. */
export function mergeStage(db: SQLite.Database, table: SeedTable, stage: Stage): void {
  db.exec(
    `insert into "${table}" (${stage.columns}) select ${stage.columns} from "${stage.name}" order by ${stage.key}`,
  );
  db.exec(`drop table "${stage.name}"`);
}
