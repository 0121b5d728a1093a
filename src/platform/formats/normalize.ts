/**
 * Text normalisation for search and matching keys. Pure functions over strings: nothing here throws on any input,
 * including lone surrogates and control characters.
 */

/**
 * The digit zero of every script whose decimal digits (Unicode's Nd) lie in the Basic Multilingual Plane, ASCII's
 * aside: Arabic-Indic, Persian, NKo, Devanagari, Bengali … Myanmar, Khmer, Mongolian … full-width. Each is followed
 * by its 1 to 9. Listed rather than found with \p{Nd} at every start-up (tens of milliseconds); a test checks the
 * list against the runtime's Unicode data.
 */
const DIGIT_ZEROS = [
  0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6, 0xe50, 0xed0, 0xf20,
  0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0,
  0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10,
];
const hex4 = (c: number): string => `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
/** The value of each of those digits, by code unit (0xff: not one of them). */
const DIGIT_VALUE = new Uint8Array(0x10000).fill(0xff);
for (const zero of DIGIT_ZEROS) for (let d = 0; d < 10; d++) DIGIT_VALUE[zero + d] = d;

/**
 * The decimal digits a person reads as 0–9 in other scripts, one UTF-16 unit each (Persian, Arabic-Indic,
 * Devanagari, Bengali, Thai, full-width…), as the inside of a regular-expression character class.
 */
const NON_ASCII_DIGIT_CHARS = DIGIT_ZEROS.map((z) => `${hex4(z)}-${hex4(z + 9)}`).join('');
const NON_ASCII_DIGIT = new RegExp(`[${NON_ASCII_DIGIT_CHARS}]`, 'g');

/**
 * Every decimal digit of the Basic Multilingual Plane → ASCII 0-9 (Persian, Arabic-Indic, full-width, Devanagari
 * and the other scripts' digits). Same length: each of those digits is one UTF-16 unit. Everything else is
 * unchanged.
 */
export function toAsciiDigits(s: string): string {
  return s.replace(NON_ASCII_DIGIT, (d) => String.fromCharCode(48 + (DIGIT_VALUE[d.charCodeAt(0)] ?? 0)));
}

const PERSIAN_ARABIC_DIGIT = /[\u0660-\u0669\u06F0-\u06F9]/g;

/**
 * Persian (U+06F0–U+06F9) and Arabic-Indic (U+0660–U+0669) digits → ASCII. Search keys fold only these (and,
 * through NFKC, full-width ones): the blind indexes stored for every searchable value are computed from the
 * keys, so widening the folding would change them under existing data.
 */
function foldPersianDigits(s: string): string {
  return s.replace(PERSIAN_ARABIC_DIGIT, (d) => {
    const code = d.charCodeAt(0);
    return String.fromCharCode(48 + (code >= 0x06f0 ? code - 0x06f0 : code - 0x0660));
  });
}

/**
 * Invisible characters that change nothing a person reads but break equality: zero-width space / non-joiner /
 * joiner, word joiner, BOM, soft hyphen, and every Unicode Bidi_Control (ALM, LRM, RLM, LRE…RLO, LRI…PDI).
 */
export const INVISIBLE_FORMAT_CHARS = '\u00AD\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF';
const INVISIBLE_FORMAT = new RegExp(`[${INVISIBLE_FORMAT_CHARS}]`, 'g');

/** Removes the invisible formatting characters above (pasted phone numbers and IDs often carry LRM/RLM marks). */
export function stripInvisible(s: string): string {
  return s.replace(INVISIBLE_FORMAT, '');
}

/** Arabic tatweel (U+0640), harakat (U+064B–U+065F) and superscript alef (U+0670). */
const ARABIC_TATWEEL_AND_DIACRITICS = /[\u064B-\u065F\u0670\u0640]/g;
const ARABIC_TATWEEL = /\u0640/g;
const ARABIC_YEH = /[\u0649\u064A]/g;
const ARABIC_KAF = /\u0643/g;
/** Full case folding differs from toLowerCase() in a few places that matter for matching keys. */
const CASE_FOLD_EXTRAS = /ß|ς|i\u0307/g;
const CASE_FOLD_MAP: Readonly<Record<string, string>> = { ß: 'ss', ς: 'σ', 'i\u0307': 'i' };
const WHITESPACE_RUN = /\s+/gu;

/**
 * Normalises text into a key for search and matching (never for display or storage):
 * 1. NFKC (compatibility forms, ligatures like "ﬁ", full-width digits, Arabic presentation forms);
 * 2. Arabic yeh ي/ى → Persian ی, Arabic kaf ك → Persian ک (ة is kept: it is not the same letter as ه);
 * 3. removes ZWNJ/ZWJ/zero-width space/word joiner/BOM/soft hyphen, bidi controls, tatweel and Arabic diacritics
 *    (invisibles and tatweel also before NFKC, so that removing them cannot leave text that NFKC would change);
 * 4. Persian and Arabic-Indic digits → ASCII;
 * 5. case folding: locale-independent `toLowerCase()`, plus ß/ẞ → "ss", final sigma ς → σ and the "i̇" that
 *    `toLowerCase()` makes of Turkish İ → "i", so that "STRASSE"/"Straße" and "İstanbul"/"istanbul" match;
 * 6. collapses whitespace runs to one space and trims.
 * Other control characters are left in place; use `hasControlChars` to refuse them at the boundary.
 * The result is stable: normalizeText(normalizeText(s)) === normalizeText(s).
 */
export function normalizeText(s: string): string {
  const letters = s
    .replace(INVISIBLE_FORMAT, '')
    .replace(ARABIC_TATWEEL, '')
    .normalize('NFKC')
    .replace(ARABIC_YEH, '\u06CC')
    .replace(ARABIC_KAF, '\u06A9')
    .replace(INVISIBLE_FORMAT, '')
    .replace(ARABIC_TATWEEL_AND_DIACRITICS, '');
  const folded = foldPersianDigits(letters)
    .toLowerCase()
    .replace(CASE_FOLD_EXTRAS, (m) => CASE_FOLD_MAP[m] ?? m)
    .normalize('NFKC');
  return folded.replace(WHITESPACE_RUN, ' ').trim();
}

export const MAX_SEARCH_TOKENS = 16;
export const MAX_SEARCH_TOKEN_LENGTH = 64;

/**
 * `normalizeText`, then the runs of Unicode letters and digits, in order: at most 16 tokens of at most 64 code
 * points each. Punctuation, symbols, emoji and combining marks separate tokens.
 */
export function searchTokens(s: string): string[] {
  const text = normalizeText(s);
  const tokens: string[] = [];
  const token = /[\p{L}\p{N}]+/gu;
  for (let m = token.exec(text); m !== null && tokens.length < MAX_SEARCH_TOKENS; m = token.exec(text)) {
    tokens.push(cutCodePoints(m[0], MAX_SEARCH_TOKEN_LENGTH));
  }
  return tokens;
}

function cutCodePoints(s: string, max: number): string {
  // Cheap path: a string of at most `max` UTF-16 units has at most `max` code points.
  return s.length <= max ? s : Array.from(s).slice(0, max).join('');
}

/**
 * True if `s` contains a C0 control character other than tab, line feed and carriage return (this includes
 * U+0000 and ESC), DEL (U+007F), or a lone UTF-16 surrogate.
 */
export function hasControlChars(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20) {
      if (c !== 0x09 && c !== 0x0a && c !== 0x0d) return true;
    } else if (c === 0x7f) {
      return true;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (next < 0xdc00 || next > 0xdfff) return true;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return true;
    }
  }
  return false;
}

/**
 * Would `s` break a one-line label (a role or team name) where it is listed: a line break, a tab, a C1 control
 * (NEL, CSI …) or a Unicode line or paragraph separator? ZWNJ and the other joiners Persian needs are fine.
 */
export function breaksLine(s: string): boolean {
  return /[\r\n\t\u0080-\u009f\u2028\u2029]/.test(s);
}
