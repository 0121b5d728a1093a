import { stripInvisible, toAsciiDigits } from './normalize.js';
import { fail, ok, type Result } from './result.js';

/**
 * IBAN length by country: the SWIFT IBAN registry (release ~2024), plus Iran (شبا), whose IBANs follow
 * ISO 13616 but which is not in the registry. French overseas departments and territories use FR.
 * Entries are country code + length, e.g. `DE22`.
 */
const IBAN_LENGTHS: ReadonlyMap<string, number> = new Map(
  [
    'AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27',
    'DK18 DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28',
    'IE22 IL23 IQ23 IR26 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24',
    'ME22 MK19 MN20 MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33',
    'SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30',
  ]
    .join(' ')
    .split(' ')
    .map((entry): [string, number] => [entry.slice(0, 2), Number(entry.slice(2))]),
);

const MAX_INPUT_LENGTH = 64;
const WHITESPACE = /\s/g;
const ALPHANUMERIC = /^[A-Za-z0-9]+$/;
const IBAN_SHAPE = /^[A-Z]{2}[0-9]{2}[A-Z0-9]+$/;
const COUNTRY_CODE = /^[A-Z]{2}/;
const DIGITS = /^[0-9]+$/;

/**
 * Parses an IBAN: whitespace removed, upper-cased, Persian/Arabic-Indic digits accepted; the country must be known
 * and the length right for it, and the ISO 7064 mod-97 check must hold. Returns the compact form
 * (`DE89370400440532013000`).
 */
export function parseIban(input: string): Result<string> {
  if (typeof input !== 'string') return fail('must be a string');
  if (input.length > MAX_INPUT_LENGTH) return fail('is not a valid IBAN (too long)');
  const compact = toAsciiDigits(stripInvisible(input)).replace(WHITESPACE, '');
  if (compact === '') return fail('is empty');
  // Checked before upper-casing: toUpperCase() maps some non-ASCII letters (ı, ſ) to ASCII ones.
  if (!ALPHANUMERIC.test(compact)) return fail('is not a valid IBAN (letters and digits only)');
  const iban = compact.toUpperCase();
  const country = COUNTRY_CODE.exec(iban)?.[0];
  if (country === undefined) return fail('is not a valid IBAN (it must start with a two-letter country code)');
  const expectedLength = IBAN_LENGTHS.get(country);
  if (expectedLength === undefined) return fail('is not a valid IBAN (unknown country code)');
  if (!IBAN_SHAPE.test(iban)) {
    return fail('is not a valid IBAN (two check digits must follow the country code)');
  }
  if (iban.length !== expectedLength) {
    return fail(`is not a valid IBAN (${country} IBANs have ${expectedLength} characters)`);
  }
  if (country === 'IR' && !DIGITS.test(iban.slice(2))) return fail('is not a valid IBAN (Iranian IBANs are digits)');
  const checkDigits = iban.slice(2, 4);
  // 00, 01 and 99 are never issued; 01 ≡ 98 and 00 ≡ 97 (mod 97) would otherwise pass the checksum.
  if (checkDigits === '00' || checkDigits === '01' || checkDigits === '99') {
    return fail('is not a valid IBAN (impossible check digits)');
  }
  if (mod97(iban.slice(4) + iban.slice(0, 4)) !== 1) return fail('is not a valid IBAN (checksum mismatch)');
  return ok(iban);
}

/** The IBAN in groups of four for display: `DE89 3704 0044 0532 0130 00`. Does not validate. */
export function formatIban(iban: string): string {
  const compact = toAsciiDigits(stripInvisible(iban)).replace(WHITESPACE, '').toUpperCase();
  return compact.replace(/(.{4})(?=.)/gsu, '$1 ');
}

/** ISO 7064 MOD 97-10 over [0-9A-Z], letters as 10–35, folded digit by digit (no BigInt needed). */
function mod97(s: string): number {
  let r = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    r = c <= 57 ? (r * 10 + (c - 48)) % 97 : (r * 100 + (c - 55)) % 97;
  }
  return r;
}
