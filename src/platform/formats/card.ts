import { INVISIBLE_FORMAT_CHARS, stripInvisible, toAsciiDigits } from './normalize.js';
import { fail, ok, type Result } from './result.js';

const MAX_INPUT_LENGTH = 64;
const SEPARATORS = /[\s\-\u2010-\u2015\u2212]/g;
const DIGITS = /^[0-9]+$/;
const CARD_DIGITS = /^[0-9]{12,19}$/;

/** Luhn (mod 10) check over a string of ASCII digits; false for an empty string or any non-digit. */
export function luhnValid(digits: string): boolean {
  if (typeof digits !== 'string' || !DIGITS.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Parses a payment card number (PAN): Persian/Arabic-Indic digits accepted, spaces and dashes ignored; 12–19 digits
 * passing the Luhn check. Returns the ASCII digits.
 */
export function parseCardNumber(input: string): Result<string> {
  if (typeof input !== 'string') return fail('must be a string');
  if (input.length > MAX_INPUT_LENGTH) return fail('is not a valid card number (too long)');
  const digits = toAsciiDigits(stripInvisible(input)).replace(SEPARATORS, '');
  if (digits === '') return fail('is empty');
  if (!DIGITS.test(digits)) return fail('is not a valid card number (digits only)');
  if (!CARD_DIGITS.test(digits)) return fail('is not a valid card number (it must have 12 to 19 digits)');
  if (!luhnValid(digits)) return fail('is not a valid card number (checksum mismatch)');
  return ok(digits);
}

/**
 * Masks a card number for display: first 6 and last 4 digits kept, `*` in between (`411111******1111`).
 * Separators are dropped; a number too short to keep 10 digits and still hide 2 is masked entirely.
 */
export function maskCard(pan: string): string {
  const digits = toAsciiDigits(pan).replace(/[^0-9]/g, '');
  if (digits.length < 12) return '*'.repeat(digits.length);
  return `${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}`;
}

export interface CardNumberMatch {
  /** UTF-16 index of the first digit in the searched text. */
  start: number;
  /** UTF-16 index just past the last digit (`text.slice(start, end)` is the number as written). */
  end: number;
  /** The number's ASCII digits, separators removed. */
  digits: string;
}

/**
 * What may stand between two digit groups of a card number: one space, dash or other punctuation people group
 * digits with — any Unicode space but a line break (tab included), a Unicode hyphen or dash, the minus sign, a dot,
 * slash, underscore, comma, colon or plus (and their full-width forms, the Arabic comma and Persian/Arabic decimal
 * and thousands separators) — and any invisible characters around it (zero-width space, joiners, bidi marks, soft
 * hyphen, variation selectors, fillers…), or invisible characters alone. Invisible characters change nothing a
 * person reads, so they must not hide a card number from the scan. A 13–19 digit Luhn-valid run grouped so is
 * masked even when it was something else (a long amount with thousands separators): PCI errs on that side.
 */
const PUNCTUATION_GAP_CHARS = '._,:+/\\u060C\\u066B\\u066C\\u3001\\u3002\\uFF0B\\uFF0C\\uFF0E\\uFF0F\\uFF1A\\uFF3F';
const VISIBLE_GAP_CHARS =
  ' \\t\\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000\\u2010-\\u2015\\u2212\\uFE63\\uFF0D\\-' +
  PUNCTUATION_GAP_CHARS;
/**
 * Punctuation also joins the digits of times, dates and amounts ("2026-12-08 00:02:28", "2026/07/01", "4,111,111"),
 * which a card number's grouping does not look like: a number joined by punctuation counts only when it is grouped
 * as cards are printed (fours with a shorter last group, or Amex's and Diners' 4-6-5 and 4-6-4).
 */
const PUNCTUATION_GAP = new RegExp(`[${PUNCTUATION_GAP_CHARS}]`);
const cardGrouping = (lengths: readonly number[]): boolean => {
  const last = lengths[lengths.length - 1] ?? 0;
  if (lengths.slice(0, -1).every((n) => n === 4) && last >= 1 && last <= 4) return true;
  return lengths.length === 3 && lengths[0] === 4 && lengths[1] === 6 && (last === 5 || last === 4);
};
/** Invisible in text: the characters normalisation strips, and others that render as nothing. */
const INVISIBLE_GAP_CHARS = `${INVISIBLE_FORMAT_CHARS}\\u034F\\u115F\\u180E\\u2061-\\u2064\\u2800\\u3164\\uFE00-\\uFE0F\\uFFA0`;
const CARD_GAP_CHARS = `${VISIBLE_GAP_CHARS}${INVISIBLE_GAP_CHARS}`;
/**
 * Characters that are not decimal digits but read as one (compatibility forms NFKC turns into a digit):
 * superscripts ¹²³⁰⁴…⁹, subscripts ₀…₉, circled ①…⑨ and ⓪. A test checks the list against the runtime's NFKC.
 */
const COMPAT_DIGIT_CHARS = '\\u00B2\\u00B3\\u00B9\\u2070\\u2074-\\u2079\\u2080-\\u2089\\u2460-\\u2468\\u24EA';
const COMPAT_DIGIT = new RegExp(`[${COMPAT_DIGIT_CHARS}]`, 'g');
/** Astral characters (digits among them: mathematical 𝟒, Adlam, segmented…) come as surrogate pairs. */
const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;
const DECIMAL_DIGIT = /^\p{Nd}$/u;
/** Marks and default-ignorable characters (tag characters, variation selectors, fillers…): seen as nothing. */
const UNSEEN = /[\p{M}\p{Default_Ignorable_Code_Point}]/gu;
/** What the scan puts in place of what it sees as nothing (one of the invisible gap characters). */
const UNSEEN_MARK = '\u2060';
/** Text the scan reads as it is (the usual case: nothing to map). */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * A quick "could this text hold a card number" (twelve or more digit-like characters, gaps, marks or invisible
 * characters in a row, the least 13 digits need): text without one is not scanned at all. Every caller of the
 * scan gets it (free text on writes, tags, the search index, each string of an audit entry).
 */
const MAYBE_CARD = new RegExp(
  `[\\p{Nd}\\p{No}][\\p{Nd}\\p{No}\\p{M}\\p{Default_Ignorable_Code_Point}${CARD_GAP_CHARS}]{11,}`,
  'u',
);
const mightHoldCardNumber = (text: string): boolean => text.length >= 13 && MAYBE_CARD.test(text);

/** The value of an astral character read as a digit, or null. Unicode's decimal digits come in runs of ten. */
function astralDigit(pair: string): number | null {
  const folded = pair.normalize('NFKC');
  if (folded.length === 1 && folded >= '0' && folded <= '9') return folded.charCodeAt(0) - 48;
  const c = pair.codePointAt(0);
  if (c === undefined || !DECIMAL_DIGIT.test(pair)) return null;
  let zero = c;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(zero - 1))) zero--;
  return (c - zero) % 10;
}

/**
 * The text as the scan reads it, unit for unit (so positions carry over): every character a person reads as a
 * digit is that ASCII digit — an astral one is the digit and an invisible mark — and marks and characters that
 * show nothing are the invisible mark, so neither a combining underline nor a tag character hides a number.
 */
function scanView(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text;
  let v = toAsciiDigits(text);
  v = v.replace(COMPAT_DIGIT, (ch) => ch.normalize('NFKC'));
  v = v.replace(SURROGATE_PAIR, (pair) => {
    const d = astralDigit(pair);
    return d === null ? pair : `${d}${UNSEEN_MARK}`;
  });
  return v.replace(UNSEEN, (ch) => UNSEEN_MARK.repeat(ch.length));
}
const GAP = `(?:[${INVISIBLE_GAP_CHARS}]*[${VISIBLE_GAP_CHARS}][${INVISIBLE_GAP_CHARS}]*|[${INVISIBLE_GAP_CHARS}]+)`;
/** Runs of digit groups joined by single gaps ("4111 1111-1111 1111"). */
const DIGIT_GROUP_RUN = new RegExp(`[0-9]+(?:${GAP}[0-9]+)*`, 'g');
const DIGIT_GROUP = /[0-9]+/g;
const MIN_FOUND_DIGITS = 13;
const MAX_FOUND_DIGITS = 19;

/**
 * Finds Luhn-valid card numbers of 13–19 digits in free text, written in ASCII digits or another script's
 * (Persian, Arabic-Indic, full-width, Devanagari…, even mixed), whole or in groups separated by single spaces or
 * dashes (with or without invisible characters around them). Candidates are whole digit groups (never part of a
 * longer digit string), chosen leftmost-longest, so "4111 1111 1111 1111 12/27" still finds the card.
 */
export function findCardNumbers(text: string): CardNumberMatch[] {
  if (typeof text !== 'string' || !mightHoldCardNumber(text)) return [];
  const view = scanView(text);
  const found: CardNumberMatch[] = [];
  for (const m of view.matchAll(DIGIT_GROUP_RUN)) {
    for (const match of cardsInRun(m[0], m.index)) {
      // A number ending in an astral digit ends after its second half.
      if (isLowSurrogate(text.charCodeAt(match.end))) match.end++;
      found.push(match);
    }
  }
  return found;
}

const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

interface DigitGroup {
  start: number;
  end: number;
  digits: string;
  /** Joined to the group before it by punctuation (not a space or dash). */
  punctuated: boolean;
}

function cardsInRun(run: string, offset: number): CardNumberMatch[] {
  const groups: DigitGroup[] = [];
  let prevEnd = -1;
  for (const m of run.matchAll(DIGIT_GROUP)) {
    const punctuated = prevEnd >= 0 && PUNCTUATION_GAP.test(run.slice(prevEnd, m.index));
    groups.push({ start: offset + m.index, end: offset + m.index + m[0].length, digits: m[0], punctuated });
    prevEnd = m.index + m[0].length;
  }
  const matches: CardNumberMatch[] = [];
  let i = 0;
  while (i < groups.length) {
    const best = longestCardFrom(groups, i);
    if (best === undefined) {
      i++;
    } else {
      matches.push(best.match);
      i = best.next;
    }
  }
  return matches;
}

function longestCardFrom(groups: DigitGroup[], from: number): { match: CardNumberMatch; next: number } | undefined {
  const first = groups[from];
  if (first === undefined) return undefined;
  let digits = '';
  let punctuated = false;
  const lengths: number[] = [];
  let best: { match: CardNumberMatch; next: number } | undefined;
  for (let j = from; j < groups.length; j++) {
    const group = groups[j];
    if (group === undefined) break;
    digits += group.digits;
    lengths.push(group.digits.length);
    if (j > from && group.punctuated) punctuated = true;
    if (digits.length > MAX_FOUND_DIGITS) break;
    if (digits.length >= MIN_FOUND_DIGITS && luhnValid(digits) && (!punctuated || cardGrouping(lengths))) {
      best = { match: { start: first.start, end: group.end, digits }, next: j + 1 };
    }
  }
  return best;
}

/** Replaces every card number `findCardNumbers` finds with its `maskCard` form. */
export function maskCardNumbersInText(text: string): { text: string; count: number } {
  const matches = findCardNumbers(text);
  if (matches.length === 0) return { text, count: 0 };
  let out = '';
  let last = 0;
  for (const { start, end, digits } of matches) {
    out += text.slice(last, start) + maskCard(digits);
    last = end;
  }
  return { text: out + text.slice(last), count: matches.length };
}
