import { createHash } from 'node:crypto';

/**
 * At most this many texts are prepared, ever, by this process: every connection keeps each text it prepared (in
 * PostgreSQL, ~70–140 KB with its plan), so this bounds what the statements can cost each connection. The shapes
 * that are prepared (identity lookups, records by id, the registry stamp, unfiltered pages and exact lookups in
 * creation or update order) number a few dozen in practice.
 */
const MAX_TEXTS = 200;

const names = new Map<string, string>();

/**
 * SQL texts that PostgreSQL may keep parsed and planned per connection (named prepared statements): only texts of
 * `QueryShapes` that their caller marks as few (derived from code, never from data, in a small number of forms). A text's name is a hash
 * of it, so one name never stands for two texts. Past MAX_TEXTS, further texts simply run unprepared.
 *
 * A prepared statement fails with "cached plan must not change result type" if its result columns change under
 * it (another instance migrates while this one runs), so the shaped queries name their columns instead of `*`:
 * adding a column never changes them.
 */
export function markPreparable(text: string): void {
  if (names.has(text) || names.size >= MAX_TEXTS) return;
  names.set(text, `separ_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`);
}

/** The statement name of a preparable text; undefined for every other text. */
export function preparedName(text: string): string | undefined {
  return names.get(text);
}
