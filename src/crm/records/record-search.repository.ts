import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/index.js';
import type { ObjectDefinition } from './object-definition.js';
import type { SortSpec } from './record-query.js';

/** Sorts that every record table has an index for, ending in the id: (created_at, id) and (updated_at, id). */
const INDEXED_SORTS = new Set(['created_at', 'updated_at']);

/** Counting matches stops here: enough to decide for tables up to 2 × 4,096² ≈ 33 million rows. */
const COUNT_CAP = 4096;

/**
 * The count runs the full-text match a second time, so it is only spent where that is cheap: words of at least
 * two letters (the FTS tables index prefixes of 2 and 3; a one-letter prefix merges every word's list) and a few
 * of them. Otherwise the sparse plan, as before: `q=a b c …` must not cost twice what it did.
 */
const PREFIX_INDEXED = 2;
const MAX_COUNTED_TOKENS = 4;

/**
 * The `q` condition of a list query: records whose search text has every token as a word prefix.
 *
 * PostgreSQL plans it with its statistics (GIN index on `search_vector`). SQLite has none, and its two plans cost
 * very differently depending on how many records match:
 *
 * - *sparse* — read the matching rows from the full-text index, fetch each row, sort them all, keep a page. Cost
 *   grows with the matches: a common prefix among 200,000 contacts (6,500 matches) took 70 ms, mostly fetching
 *   rows that do not fit in the page cache. A rare one takes microseconds.
 * - *dense* — walk the sort's index in order and keep the rows whose seq is among the matches (SQLite builds a
 *   Bloom filter and a set of them), stopping at a page: ~51 × rows/matches index entries. The same common
 *   prefix: 1 ms. A rare one walks the whole index (10–35 ms at 200,000).
 *
 * So the matches are counted first (capped, from the full-text index only — ~0.1 ms) and the dense plan is taken
 * when matches² ≥ rows / 2: there one walks ~51 × rows/matches entries at ~0.05 µs instead of fetching matches rows
 * at ~2–10 µs. It only applies to sorts that have an index to walk and to searches no other condition narrows (a
 * selective filter would make the walk long); the answer is the same either way (only `+`, which keeps SQLite from
 * driving the query by the seq, differs).
 */
export async function searchCondition(
  db: Db,
  def: ObjectDefinition,
  tokens: readonly string[],
  sort: SortSpec,
  /** No other condition narrows the list (filters, deleted records): walking the sort index pays only then. */
  alone: boolean,
): Promise<RawBuilder<unknown>> {
  if (tokens.length === 0) return sql`1 = 0`;
  if (db.dialect === 'postgres') {
    const query = tokens.map((t) => `${t}:*`).join(' & ');
    return sql`t.search_vector @@ to_tsquery('simple', ${query})`;
  }
  const fts = sql.table(`${def.table}_fts`);
  const match = tokens.map((t) => `"${t.replace(/"/g, '""')}"*`).join(' AND ');
  const matches = sql`select rowid from ${fts} where ${fts} match ${match}`;
  const dense =
    alone &&
    sort.target.kind === 'column' &&
    INDEXED_SORTS.has(sort.target.column) &&
    tokens.length <= MAX_COUNTED_TOKENS &&
    tokens.every((t) => [...t].length >= PREFIX_INDEXED) &&
    (await isDense());
  return dense ? sql`+t.seq in (${matches})` : sql`t.seq in (${matches})`;

  async function isDense(): Promise<boolean> {
    const r = await sql<{ rows: number | null; matches: number }>`select (select max(seq) from ${sql.table(
      def.table,
    )}) as rows, (select count(*) from (select 1 from ${fts} where ${fts} match ${match} limit ${COUNT_CAP})) as matches`.execute(
      db.kysely,
    );
    const row = r.rows[0];
    if (!row || row.rows === null) return false;
    return row.matches * row.matches >= row.rows / 2;
  }
}
