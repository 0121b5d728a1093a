import type { Prng } from './prng.js';

/**
 * Personal and company identifiers that pass Separ's validators: E.164 phones, Iranian national IDs with their
 * check digit, Luhn-valid card numbers and mod-97-valid IBANs. All synthetic.
 */

/** Iranian mobile (+989…), German mobile (+4915…/16…/17…) or Canadian (+1 area code, 2–9 exchange). */
export function iranianMobile(r: Prng): string {
  return `+989${r.pick(['0', '1', '2', '3', '9'])}${r.digits(8)}`;
}

const GERMAN_MOBILE_PREFIXES = '151 152 157 159 160 162 163 170 171 172 173 175 176 177 178 179'.split(' ');
export function germanMobile(r: Prng): string {
  return `+49${r.pick(GERMAN_MOBILE_PREFIXES)}${r.digits(8)}`;
}

const CANADIAN_AREA_CODES = '204 236 250 289 306 403 416 437 438 514 519 587 604 613 647 705 778 780 819 902 905'.split(
  ' ',
);
export function canadianPhone(r: Prng): string {
  return `+1${r.pick(CANADIAN_AREA_CODES)}${r.range(2, 9)}${r.digits(6)}`;
}

/** 3^18: coprime with 10^9, so `n ↦ n·M + salt mod 10^9` is a bijection and distinct counters give distinct IDs. */
const NATIONAL_ID_MULTIPLIER = 387_420_489n;
const NATIONAL_ID_SPACE = 1_000_000_000n;
const NATIONAL_ID_SKIP = 500_000_000;

/** A valid Iranian national ID (10 digits with its check digit), distinct for distinct counters below 10^9. */
export function iranNationalId(counter: number, salt: number): string {
  const body = ((BigInt(counter) * NATIONAL_ID_MULTIPLIER + BigInt(salt)) % NATIONAL_ID_SPACE)
    .toString()
    .padStart(9, '0');
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (body.charCodeAt(i) - 48) * (10 - i);
  const rem = sum % 11;
  const id = body + String(rem < 2 ? rem : 11 - rem);
  // One digit ten times ("1111111111") passes the checksum but is refused as a placeholder; skip those few bodies.
  return /^(\d)\1{9}$/.test(id) ? iranNationalId(counter + NATIONAL_ID_SKIP, salt) : id;
}
function luhnCheckDigit(partial: string): string {
  let sum = 0;
  let double = true;
  for (let i = partial.length - 1; i >= 0; i--) {
    let d = partial.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return String((10 - (sum % 10)) % 10);
}

/** Test-range prefixes: Visa, Mastercard and Iranian Shetab (Melli, Mellat, Saman) issuers; 16 digits with Luhn. */
const CARD_PREFIXES = ['411111', '400000', '510510', '555555', '603799', '610433', '621986'];
export function cardNumber(r: Prng): string {
  const prefix = r.pick(CARD_PREFIXES);
  const partial = prefix + r.digits(15 - prefix.length);
  return partial + luhnCheckDigit(partial);
}

function mod97(digits: string): number {
  let rem = 0;
  for (let i = 0; i < digits.length; i += 7) rem = Number(String(rem) + digits.slice(i, i + 7)) % 97;
  return rem;
}

function ibanWith(country: string, bban: string): string {
  const numeric = (bban + country + '00').replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  const check = String(98 - mod97(numeric)).padStart(2, '0');
  return country + check + bban;
}

/** A mod-97-valid IBAN: Iranian (شبا, IR + 24 digits) or German (DE + 18 digits). */
export function iban(r: Prng, country: 'IR' | 'DE'): string {
  return country === 'IR'
    ? ibanWith('IR', '0' + r.pick(['17', '12', '56', '62']) + r.digits(19))
    : ibanWith('DE', r.digits(18));
}

/** A calendar-valid date of birth (YYYY-MM-DD) for an adult born 1950–2006. */
export function birthDate(r: Prng): string {
  const ms = Date.UTC(1950, 0, 1) + r.int(57 * 365) * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}
