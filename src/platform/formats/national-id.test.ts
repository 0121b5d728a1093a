import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIranNationalId } from './national-id.js';

describe('parseIranNationalId', () => {
  it.each([
    ['0084575948', '0084575948'],
    ['0013542419', '0013542419'],
    ['۰۰۸۴۵۷۵۹۴۸', '0084575948'],
    ['٠٠١٣٥٤٢٤١٩', '0013542419'],
    ['008-457594-8', '0084575948'],
    [' 001 354 2419 ', '0013542419'],
    ['\u200f۰۰۸۴۵۷۵۹۴۸\u200e', '0084575948'],
    ['1234567891', '1234567891'], // r = 1 < 2: check digit is r
    ['9999999980', '9999999980'], // r = 0
    ['1000000001', '1000000001'], // r = 10: check digit is 11 − r
  ])('accepts %j as %s', (input, expected) => {
    expect(parseIranNationalId(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['0084575949', 'is not a valid Iranian national ID (checksum mismatch)'],
    ['1111111111', 'is not a valid Iranian national ID (all digits are the same)'],
    ['0000000000', 'is not a valid Iranian national ID (all digits are the same)'],
    ['123', 'is not a valid Iranian national ID (it must have exactly 10 digits)'],
    ['84575948', 'is not a valid Iranian national ID (it must have exactly 10 digits)'], // never left-padded
    ['00845759480', 'is not a valid Iranian national ID (it must have exactly 10 digits)'],
    ['008457594a', 'is not a valid Iranian national ID (digits only)'],
    ['0084575948.', 'is not a valid Iranian national ID (digits only)'],
    ['-', 'is empty'],
    ['', 'is empty'],
    ['0'.repeat(1000), 'is not a valid Iranian national ID (too long)'],
  ])('refuses %j: %s', (input, reason) => {
    expect(parseIranNationalId(input)).toEqual({ ok: false, reason });
  });

  it('never throws, and accepts only 10 digits that pass the checksum', () => {
    const idish = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.constantFrom('0', '1', '5', '9', '۴', '٧', ' ', '-', 'x'), maxLength: 14 }),
    );
    fc.assert(
      fc.property(idish, (s) => {
        const result = parseIranNationalId(s);
        expect(typeof result.ok).toBe('boolean');
        if (result.ok) {
          expect(result.value).toMatch(/^[0-9]{10}$/);
          expect(parseIranNationalId(result.value)).toEqual(result);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts exactly one check digit for every 9-digit prefix', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{9}$/), (prefix) => {
        const valid = [...'0123456789'].filter((d) => parseIranNationalId(prefix + d).ok);
        // r = 0..10 gives a check digit of 0..9; only the same-digit rule can remove it (111111111 → 1111111111).
        expect(valid).toHaveLength(/^(.)\1*$/.test(prefix) ? valid.length && 1 : 1);
      }),
      { numRuns: 500 },
    );
  });
});
