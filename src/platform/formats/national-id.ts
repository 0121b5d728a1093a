import { stripInvisible, toAsciiDigits } from './normalize.js';
import { fail, ok, type Result } from './result.js';

const MAX_INPUT_LENGTH = 64;
/** Spaces and dashes (ASCII and typographic) people put between digit groups. */
const SEPARATORS = /[\s\-\u2010-\u2015\u2212]/g;
const DIGITS = /^[0-9]+$/;
const SAME_DIGIT = /^([0-9])\1*$/;

/**
 * Parses an Iranian national ID (کد ملی): Persian/Arabic-Indic digits are accepted, spaces and dashes ignored; it
 * must then be exactly 10 digits (shorter input is not left-padded), not one digit repeated, and pass the checksum.
 * Returns the 10 ASCII digits.
 */
export function parseIranNationalId(input: string): Result<string> {
  if (typeof input !== 'string') return fail('must be a string');
  if (input.length > MAX_INPUT_LENGTH) return fail('is not a valid Iranian national ID (too long)');
  const id = toAsciiDigits(stripInvisible(input)).replace(SEPARATORS, '');
  if (id === '') return fail('is empty');
  if (!DIGITS.test(id)) return fail('is not a valid Iranian national ID (digits only)');
  if (id.length !== 10) return fail('is not a valid Iranian national ID (it must have exactly 10 digits)');
  if (SAME_DIGIT.test(id)) return fail('is not a valid Iranian national ID (all digits are the same)');
  if (!iranNationalIdChecksumValid(id)) return fail('is not a valid Iranian national ID (checksum mismatch)');
  return ok(id);
}

/** s = Σ d[i]·(10−i) for i = 0..8, r = s mod 11; the check digit d[9] is r when r < 2, otherwise 11 − r. */
function iranNationalIdChecksumValid(id: string): boolean {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (id.charCodeAt(i) - 48) * (10 - i);
  const r = sum % 11;
  const check = id.charCodeAt(9) - 48;
  return r < 2 ? check === r : check === 11 - r;
}
