import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BatchEncoder, decodeBatch, type EncodedBatch } from '../../src/cli/seed/batch-codec.js';
import {
  NUMERIC_COLUMNS,
  SEED_COLUMNS,
  SEED_TABLES,
  emptyBatch,
  type SeedBatch,
  type SeedValue,
} from '../../src/cli/seed/seed-model.js';
import { HOSTILE_TEXT, hostileStrings } from '../support/hostile-inputs.js';

const hostile = hostileStrings(
  ...HOSTILE_TEXT,
  'emails_valid',
  'phones_same_number',
  'card_numbers_luhn_valid',
  'ibans_valid',
);

/** Rows of every table, each cell picked from `cell(column, rowIndex)`. */
function batchOf(rows: number, cell: (column: string, row: number) => SeedValue): SeedBatch {
  const batch = emptyBatch();
  for (const table of SEED_TABLES) {
    for (let r = 0; r < rows; r++) for (const c of SEED_COLUMNS[table]) batch[table].push(cell(c, r));
  }
  return batch;
}

const roundTrip = (encoder: BatchEncoder, batch: SeedBatch): SeedBatch => decodeBatch(encoder.encode(batch));

/** A copy of the encoded batch whose buffer is cut to `size` bytes. */
const cut = (e: EncodedBatch, size: number): EncodedBatch => ({ ...e, buffer: e.buffer.slice(0, size), size });

describe('seed batch codec (generator thread → writer)', () => {
  it('carries text exactly — hostile, Persian, emoji, control characters, empty — with nulls and numbers', () => {
    const batch = batchOf(hostile.length, (c, r) =>
      NUMERIC_COLUMNS.has(c) ? (r % 3 === 0 ? null : r * 1.5 - 7) : r % 5 === 4 ? null : (hostile[r] ?? ''),
    );
    batch.contacts.push(...batchOf(1, (c) => (NUMERIC_COLUMNS.has(c) ? 0 : '')).contacts);
    expect(roundTrip(new BatchEncoder(), batch)).toEqual(batch);
  });

  it('keeps each column to its type: numbers in text columns arrive as text, text in numeric ones as numbers', () => {
    const batch = batchOf(2, (c, r) => (NUMERIC_COLUMNS.has(c) ? String(r + 40) : r + 40));
    const decoded = roundTrip(new BatchEncoder(), batch);
    for (const table of SEED_TABLES) {
      const cols = SEED_COLUMNS[table];
      decoded[table].forEach((v, i) => {
        const numeric = NUMERIC_COLUMNS.has(cols[i % cols.length] ?? '');
        expect(v).toBe(numeric ? Math.floor(i / cols.length) + 40 : String(Math.floor(i / cols.length) + 40));
      });
    }
  });

  it('round-trips any well-formed text, reusing the buffers it is handed back', () => {
    const encoder = new BatchEncoder();
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.string({ unit: 'grapheme', maxLength: 40 }), { nil: null }), { maxLength: 60 }),
        (cells) => {
          const batch = batchOf(cells.length, (c, r) => (NUMERIC_COLUMNS.has(c) ? r : (cells[r] ?? null)));
          const encoded = encoder.encode(batch);
          const decoded = decodeBatch(encoded);
          encoder.reuse(encoded.buffer);
          expect(decoded).toEqual(batch);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('grows past its first buffer for a large batch, and a reused small buffer grows too', () => {
    const encoder = new BatchEncoder();
    const small = encoder.encode(batchOf(1, (c) => (NUMERIC_COLUMNS.has(c) ? 1 : 'x')));
    const long = 'سپر '.repeat(600_000); // 2.4M UTF-16 units, ~4.2 MB of UTF-8: more than a new buffer holds
    const big = batchOf(1, (c) => (NUMERIC_COLUMNS.has(c) ? 2 : c === 'search_text' ? long : 'y'));
    expect(decodeBatch(encoder.encode(big))).toEqual(big);
    encoder.reuse(small.buffer);
    expect(decodeBatch(encoder.encode(big))).toEqual(big);
  });

  it('refuses text that UTF-8 cannot carry (a lone surrogate) instead of changing it', () => {
    const batch = emptyBatch();
    batch.record_tags.push('contacts', 'id-1', 'tag\uD800');
    expect(() => new BatchEncoder().encode(batch)).toThrow(/not well-formed Unicode/);
  });

  it('says a damaged batch is corrupt instead of decoding something else', () => {
    const batch = batchOf(3, (c, r) => (NUMERIC_COLUMNS.has(c) ? r : `value ${r}`));
    const encoded = new BatchEncoder().encode(batch);
    expect(() => decodeBatch(cut(encoded, encoded.size - 3))).toThrow(/corrupt/);
    expect(() => decodeBatch({ ...encoded, lengths: encoded.lengths.map((n) => n + 1) })).toThrow(/corrupt/);
    expect(() => decodeBatch({ ...encoded, lengths: encoded.lengths.map((n, i) => (i === 0 ? n - 1 : n)) })).toThrow(
      /corrupt/,
    );
    const badTag = cut(encoded, encoded.size);
    new Uint8Array(badTag.buffer)[0] = 9;
    expect(() => decodeBatch(badTag)).toThrow(/corrupt \(tag 9 in a text column of companies\)/);
    // A value moved from one table to the next (same total), an extra table, rows cut in half:
    const moved = encoded.lengths.map((n, i) => (i === 0 ? n - 1 : i === 1 ? n + 1 : n));
    expect(() => decodeBatch({ ...encoded, lengths: moved })).toThrow(/not whole rows/);
    expect(() => decodeBatch({ ...encoded, lengths: [...encoded.lengths, 0] })).toThrow(/table count/);
    // Text where a number belongs: `epoch` of blind_indexes, written by hand.
    const textInNumber = emptyBatch();
    textInNumber.blind_indexes.push('contacts', 'email', 1, 42, 'id-1');
    const ok = new BatchEncoder().encode(textInNumber);
    const bytes = new Uint8Array(ok.buffer, 0, ok.size);
    const epochAt = bytes.length - (9 + 5 + 4 + 9); // epoch, value (numbers), then record_id's tag, length, text
    expect(bytes[epochAt]).toBe(1);
    bytes[epochAt] = 2;
    expect(() => decodeBatch(ok)).toThrow(/tag 2 in a numeric column of blind_indexes/);
  });

  it('refuses numbers that are not finite, and takes back only buffers it made', () => {
    for (const bad of [NaN, Infinity, 'not a number']) {
      const batch = emptyBatch();
      batch.blind_indexes.push('contacts', 'email', 1, bad, 'id-1');
      expect(() => new BatchEncoder().encode(batch)).toThrow(/not a finite number/);
    }
    const encoder = new BatchEncoder();
    const batch = batchOf(2, (c, r) => (NUMERIC_COLUMNS.has(c) ? r : `v${r}`));
    const foreign = new ArrayBuffer(8 << 20);
    encoder.reuse(foreign);
    const first = encoder.encode(batch);
    expect(first.buffer).not.toBe(foreign);
    encoder.reuse(first.buffer);
    encoder.reuse(first.buffer); // twice: still one spare, not two batches in one buffer
    const second = encoder.encode(batch);
    const third = encoder.encode(batch);
    expect(second.buffer).toBe(first.buffer);
    expect(third.buffer).not.toBe(first.buffer);
    expect(decodeBatch(second)).toEqual(batch);
    expect(decodeBatch(third)).toEqual(batch);
  });
});
