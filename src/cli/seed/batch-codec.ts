import {
  NUMERIC_COLUMNS,
  SEED_COLUMNS,
  SEED_TABLES,
  emptyBatch,
  type SeedBatch,
  type SeedTable,
} from './seed-model.js';

/**
 * Moves a batch between threads as ONE string: structured-cloning a million small strings costs seconds,
 * copying one large string and splitting it costs milliseconds. Generated values never contain the two
 * control characters used as separator and null marker (stored text may not contain control characters).
 */
const SEP = '\u0001';
const NULL = '\u0002';

export interface EncodedBatch {
  /** Number of values per table, in SEED_TABLES order. */
  lengths: number[];
  text: string;
}

export function encodeBatch(batch: SeedBatch): EncodedBatch {
  const lengths: number[] = [];
  const segments: string[] = [];
  for (const table of SEED_TABLES) {
    const values = batch[table];
    lengths.push(values.length);
    if (values.length === 0) continue;
    for (let i = 0; i < values.length; i++) if (values[i] === null) values[i] = NULL;
    segments.push(values.join(SEP));
  }
  return { lengths, text: segments.join(SEP) };
}

/** Which value positions of a row of `table` hold numbers. */
const numericPositions = (table: SeedTable): number[] =>
  SEED_COLUMNS[table].flatMap((c, i) => (NUMERIC_COLUMNS.has(c) ? [i] : []));

const NUMERIC_POSITIONS: Readonly<Record<SeedTable, number[]>> = Object.fromEntries(
  SEED_TABLES.map((t) => [t, numericPositions(t)]),
) as Record<SeedTable, number[]>;

export function decodeBatch(encoded: EncodedBatch): SeedBatch {
  const parts: (string | number | null)[] = encoded.text === '' ? [] : encoded.text.split(SEP);
  for (let i = 0; i < parts.length; i++) if (parts[i] === NULL) parts[i] = null;
  const batch = emptyBatch();
  let offset = 0;
  SEED_TABLES.forEach((table, t) => {
    const length = encoded.lengths[t] ?? 0;
    const values = parts.slice(offset, offset + length);
    offset += length;
    const width = SEED_COLUMNS[table].length;
    for (const p of NUMERIC_POSITIONS[table]) {
      for (let i = p; i < values.length; i += width) values[i] = values[i] === null ? null : Number(values[i]);
    }
    batch[table] = values;
  });
  if (offset !== parts.length) throw new Error('seed batch is corrupt (value count mismatch)');
  return batch;
}
