import { stripInvisible, toAsciiDigits } from './normalize.js';
import { fail, ok, type Result } from './result.js';

/**
 * Default regions a national number may be written in, with their calling code. Every region here except the
 * North American Numbering Plan (CA, US) uses the trunk prefix 0, and none of them has national numbers that start
 * with 0 after the calling code — which is why "+44 (0)20…" can safely drop that 0.
 */
const REGION_CALLING_CODES: ReadonlyMap<string, string> = new Map([
  ['IR', '98'],
  ['DE', '49'],
  ['GB', '44'],
  ['FR', '33'],
  ['TR', '90'],
  ['AE', '971'],
  ['CA', '1'],
  ['US', '1'],
  ['NL', '31'],
  ['BE', '32'],
  ['AT', '43'],
  ['CH', '41'],
  ['SE', '46'],
  ['FI', '358'],
  ['IE', '353'],
]);

export const PHONE_REGIONS: readonly string[] = [...REGION_CALLING_CODES.keys()];

const NANP = '1';
const IRAN = '98';
const TRUNK_ZERO_CALLING_CODES: readonly string[] = [...new Set(REGION_CALLING_CODES.values())].filter(
  (cc) => cc !== NANP,
);

const MAX_INPUT_LENGTH = 64;
const LETTER = /\p{L}/u;
/** Spaces, dashes (ASCII and typographic), dots, parentheses and the slash of German "030/123456". */
const SEPARATORS = /[\s\-.()/\u2010-\u2015\u2212]/g;
const PLUS_AND_DIGITS = /^\+?[0-9]+$/;
const E164_DIGITS = /^[1-9][0-9]{7,14}$/;
const IRAN_MOBILE_WITHOUT_TRUNK = /^9[0-9]{9}$/;
const NANP_NATIONAL = /^[2-9][0-9]{2}[2-9][0-9]{6}$/;

/**
 * Parses a phone number to E.164 (`+989121234567`). Accepts Persian/Arabic-Indic/full-width digits, spaces, dashes,
 * dots, parentheses and invisible bidi marks; `+` or `00` (or `011` in North America) for international numbers; a
 * national number with trunk 0 takes the calling code of `defaultRegion` (NANP numbers: 10 digits, no trunk 0; in
 * Iran a mobile may also be written without its 0, "9121234567"). Iranian numbers must have 10 digits after +98
 * (mobiles: +989 and 9 digits), NANP numbers 10 digits after +1.
 */
export function parsePhone(input: string, defaultRegion: string = 'IR'): Result<string> {
  if (typeof input !== 'string') return fail('must be a string');
  const callingCode = REGION_CALLING_CODES.get(String(defaultRegion).toUpperCase());
  if (callingCode === undefined) return fail('cannot be read: the default region is not supported');
  if (input.length > MAX_INPUT_LENGTH) return fail('is too long to be a phone number');
  const text = toAsciiDigits(stripInvisible(input.normalize('NFKC'))).trim();
  if (text === '') return fail('is empty');
  if (LETTER.test(text)) return fail('is not a phone number (it contains letters)');
  const compact = text.replace(SEPARATORS, '');
  if (!PLUS_AND_DIGITS.test(compact)) {
    if (compact.indexOf('+') !== compact.lastIndexOf('+')) return fail('is not a phone number (more than one +)');
    if (compact.includes('+')) return fail('is not a phone number (+ may only come first)');
    return fail('is not a phone number (it has characters other than digits, spaces, dashes, dots or brackets)');
  }
  const international = toInternationalDigits(compact, callingCode);
  if (!international.ok) return international;
  return checkInternational(dropTrunkZero(international.value));
}

/** Digits after the `+`: the calling code and the national number. */
function toInternationalDigits(compact: string, callingCode: string): Result<string> {
  if (compact.startsWith('+')) return ok(compact.slice(1));
  if (compact.startsWith('00')) return ok(compact.slice(2));
  if (callingCode === NANP) {
    if (compact.startsWith('011')) return ok(compact.slice(3));
    if (compact.length === 10) return ok(NANP + compact);
    if (compact.length === 11 && compact.startsWith(NANP)) return ok(compact);
    return fail('is not a valid North American phone number (10 digits, or start with + for other countries)');
  }
  if (compact.startsWith('0')) return ok(callingCode + compact.slice(1));
  if (callingCode === IRAN && IRAN_MOBILE_WITHOUT_TRUNK.test(compact)) return ok(IRAN + compact);
  return fail('needs a country code (start with + or 00) or a leading 0 for a national number');
}

/** "+44 (0)20 …", "+98 0912 …": a trunk 0 kept after the calling code of a trunk-0 country is dropped. */
function dropTrunkZero(digits: string): string {
  for (const cc of TRUNK_ZERO_CALLING_CODES) {
    if (digits.startsWith(`${cc}0`)) return cc + digits.slice(cc.length + 1);
  }
  return digits;
}

function checkInternational(digits: string): Result<string> {
  if (!E164_DIGITS.test(digits)) {
    if (digits.startsWith('0')) return fail('is not a valid phone number (a country code cannot start with 0)');
    return fail(`is not a valid phone number (too ${digits.length < 8 ? 'short' : 'long'} for E.164)`);
  }
  if (digits.startsWith(IRAN)) {
    const national = digits.slice(IRAN.length);
    if (national.startsWith('9') && national.length !== 10) {
      return fail('is not a valid Iranian mobile number (+989 and 9 more digits)');
    }
    if (national.length !== 10) return fail('is not a valid Iranian phone number (10 digits after +98)');
  } else if (digits.startsWith(NANP) && !NANP_NATIONAL.test(digits.slice(NANP.length))) {
    return fail('is not a valid North American phone number (10 digits after +1)');
  }
  return ok(`+${digits}`);
}
