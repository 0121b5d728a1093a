import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasControlChars, normalizeText, searchTokens, stripInvisible, toAsciiDigits } from './normalize.js';

/** Any UTF-16 code unit, lone surrogates included, with a bias towards the characters this module treats specially. */
const anyText = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    fc.constantFrom('\u200c', '\u200d', '\u200f', '\u0640', '\u064e', '\u0654', 'ي', 'ك', 'ß', 'İ', 'Σ', 'ﬁ', ' ', '۵'),
    fc.string({ unit: 'grapheme', maxLength: 2 }),
  ),
  maxLength: 40,
});

describe('toAsciiDigits', () => {
  it('maps Persian and Arabic-Indic digits to ASCII and leaves everything else', () => {
    expect(toAsciiDigits('۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789');
    expect(toAsciiDigits('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
    expect(toAsciiDigits('۰۹۱۲۱۲۳۴۵۶۷')).toBe('09121234567');
    expect(toAsciiDigits('٠٩١٢١٢٣٤٥٦٧')).toBe('09121234567');
    expect(toAsciiDigits('کد ۱۲-a٣')).toBe('کد 12-a3');
  });

  it("maps every other script's decimal digits too, one unit for one unit", () => {
    expect(toAsciiDigits('０１２３４５６７８９')).toBe('0123456789'); // full-width
    expect(toAsciiDigits('०१२३४५६७८९')).toBe('0123456789'); // Devanagari
    expect(toAsciiDigits('০১২৩৪৫৬৭৮৯')).toBe('0123456789'); // Bengali
    expect(toAsciiDigits('๐๑๒๓๔๕๖๗๘๙')).toBe('0123456789'); // Thai
    expect(toAsciiDigits('߀߁߂߃߄߅߆߇߈߉')).toBe('0123456789'); // NKo
    // Digit-like characters that are not decimal digits stay: superscripts, circled, Roman numerals, 𝟒 (astral).
    expect(toAsciiDigits('²③Ⅳ𝟒')).toBe('²③Ⅳ𝟒');
  });

  it('knows every decimal digit of the Basic Multilingual Plane', () => {
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const mapped = toAsciiDigits(ch);
      if (/\p{Nd}/u.test(ch)) {
        expect(mapped).toMatch(/^[0-9]$/);
        // Its value: what the digit zero of its script, plus that value, spells.
        expect(String.fromCharCode(c - Number(mapped))).toSatisfy((zero: string) => toAsciiDigits(zero) === '0');
      } else expect(mapped).toBe(ch);
    }
  });
});

describe('normalizeText keeps its digit folding', () => {
  it('folds Persian, Arabic-Indic and (through NFKC) full-width digits only: stored search keys stay valid', () => {
    expect(normalizeText('۱۲٣４')).toBe('1234');
    expect(normalizeText('१२३')).toBe('१२३');
  });
});

describe('stripInvisible', () => {
  it('removes zero-width characters, BOM and bidi controls', () => {
    expect(stripInvisible('\u200e+98\u200f 912\u202a\u202c\ufeff\u200b\u2066\u2069')).toBe('+98 912');
  });
});

describe('normalizeText', () => {
  it('unifies Arabic and Persian letter variants', () => {
    expect(normalizeText('علي')).toBe(normalizeText('علی'));
    expect(normalizeText('علي')).toBe('علی');
    expect(normalizeText('على')).toBe('علی');
    expect(normalizeText('كاوه')).toBe('کاوه');
    expect(normalizeText('فاطمة')).toBe('فاطمة'); // ة → ه is deliberately not done
  });

  it('removes ZWNJ, ZWJ, zero-width space, BOM, bidi controls, tatweel and harakat', () => {
    expect(normalizeText('می‌خواهم')).toBe('میخواهم');
    expect(normalizeText('a\u200bb')).toBe('ab');
    expect(normalizeText('\u200c')).toBe('');
    expect(normalizeText('\ufeffBOM')).toBe('bom');
    expect(normalizeText('\u202eexe.txt')).toBe('exe.txt');
    expect(normalizeText('\u200eA\u200f\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069B')).toBe('ab');
    expect(normalizeText('کـــاوه')).toBe('کاوه');
    expect(normalizeText('مُحَمَّد')).toBe('محمد');
    expect(normalizeText('رحمٰن')).toBe('رحمن');
    expect(normalizeText('👩‍💻')).toBe('👩💻');
  });

  it('applies NFKC', () => {
    expect(normalizeText('e\u0301')).toBe('\u00e9');
    expect(normalizeText('ﬁle')).toBe('file');
    expect(normalizeText('ＡＢＣ１２３')).toBe('abc123');
    expect(normalizeText('\ufef3\ufef4')).toBe('یی'); // Arabic presentation forms of yeh
    expect(normalizeText('e\u200d\u0301')).toBe('\u00e9'); // invisibles go before NFKC, so the result is stable
  });

  it('maps digits to ASCII', () => {
    expect(normalizeText('۰۹۱۲۱۲۳۴۵۶۷')).toBe('09121234567');
    expect(normalizeText('٠٩١٢١٢٣٤٥٦٧')).toBe('09121234567');
  });

  it('case-folds (toLowerCase plus ß → ss, ς → σ, İ → i)', () => {
    expect(normalizeText('HeLLo')).toBe('hello');
    expect(normalizeText('ß')).toBe('ss');
    expect(normalizeText('Straße')).toBe(normalizeText('STRASSE'));
    expect(normalizeText('\u1e9e')).toBe('ss');
    expect(normalizeText('İstanbul')).toBe('istanbul');
    expect(normalizeText('ΣΑΣ')).toBe(normalizeText('σας'));
    expect(normalizeText('ÉCOLE')).toBe('école');
  });

  it('collapses whitespace runs and trims', () => {
    expect(normalizeText('  Kaveh \t\n  Ahmadi\u00a0\u3000 ')).toBe('kaveh ahmadi');
    expect(normalizeText('alice\n2026-01-01T00:00:00Z admin login ok')).toBe(
      'alice 2026-01-01t00:00:00z admin login ok',
    );
  });

  it('never throws, and is stable (normalising twice changes nothing)', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const once = normalizeText(s);
        expect(normalizeText(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('searchTokens', () => {
  it('splits normalised text into letter/digit tokens', () => {
    expect(searchTokens('  Kaveh   AHMADI, ۰۹۱۲-۱۲۳ ')).toEqual(['kaveh', 'ahmadi', '0912', '123']);
    expect(searchTokens('<script>alert(1)</script>')).toEqual(['script', 'alert', '1', 'script']);
    expect(searchTokens("' OR '1'='1")).toEqual(['or', '1', '1']);
    expect(searchTokens('می‌خواهم علي')).toEqual(['میخواهم', 'علی']);
    expect(searchTokens('')).toEqual([]);
    expect(searchTokens('%_\\ --')).toEqual([]);
  });

  it('keeps at most 16 tokens of at most 64 code points', () => {
    const many = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    expect(searchTokens(many)).toHaveLength(16);
    expect(searchTokens(many)[15]).toBe('w15');
    expect(searchTokens('a'.repeat(100))).toEqual(['a'.repeat(64)]);
    const astral = '\u{20000}'.repeat(70); // CJK extension B: letters outside the BMP
    const [token] = searchTokens(astral);
    expect(Array.from(token ?? '')).toHaveLength(64);
    expect(token).toBe('\u{20000}'.repeat(64));
  });

  it('copes with very long input', () => {
    expect(searchTokens('x '.repeat(100_000))).toHaveLength(16);
  });

  it('never throws and respects its limits', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const tokens = searchTokens(s);
        expect(tokens.length).toBeLessThanOrEqual(16);
        for (const t of tokens) {
          expect(t).not.toBe('');
          expect(Array.from(t).length).toBeLessThanOrEqual(64);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('hasControlChars', () => {
  it('flags C0 controls except tab/LF/CR, NUL, DEL and lone surrogates', () => {
    expect(hasControlChars('\u0000')).toBe(true);
    expect(hasControlChars('\u001b[31mred\u001b[0m')).toBe(true);
    expect(hasControlChars('a\u007fb')).toBe(true);
    expect(hasControlChars('\u0008')).toBe(true);
    expect(hasControlChars('\ud800')).toBe(true);
    expect(hasControlChars('x\udc00y')).toBe(true);
    expect(hasControlChars('\udbff\ud800')).toBe(true);
    expect(hasControlChars('end\ud83d')).toBe(true);
  });

  it('accepts ordinary text, tab/LF/CR and well-formed surrogate pairs', () => {
    expect(hasControlChars('')).toBe(false);
    expect(hasControlChars('alice\n2026-01-01T00:00:00Z admin login ok')).toBe(false);
    expect(hasControlChars('bob\r\nSet-Cookie: x=y')).toBe(false);
    expect(hasControlChars('\t=1+1')).toBe(false);
    expect(hasControlChars('👩‍💻 می‌خواهم')).toBe(false);
    expect(hasControlChars('\u202eexe.txt')).toBe(false); // bidi control: not a C0 control (normalizeText strips it)
  });

  it('agrees with a reference definition on arbitrary strings', () => {
    // an independent definition by code point (no regex with control characters)
    const control = (c: number): boolean =>
      c <= 0x08 || c === 0x0b || c === 0x0c || (c >= 0x0e && c <= 0x1f) || c === 0x7f;
    const reference = (s: string): boolean => [...s].some((ch) => control(ch.codePointAt(0) ?? 0)) || /\p{Cs}/u.test(s);
    fc.assert(
      fc.property(anyText, (s) => {
        expect(hasControlChars(s)).toBe(reference(s));
      }),
      { numRuns: 2000 },
    );
  });
});
