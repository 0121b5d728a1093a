import { createHash } from 'node:crypto';

/** At most this many texts are prepared: the hot shapes of every repository fit many times over. */
const MAX_TEXTS = 1000;

const names = new Map<string, string>();

/**
 * SQL texts that PostgreSQL may keep parsed and planned per connection (named prepared statements): only the
 * texts of `QueryShapes`, which are derived from code, never from data, and are bounded. A text's name is a hash
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
