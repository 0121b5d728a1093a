import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findCardNumbers, luhnValid, maskCard, maskCardNumbersInText, parseCardNumber } from './card.js';

describe('luhnValid', () => {
  it('checks the Luhn sum of ASCII digits', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('5500000000000004')).toBe(true);
    expect(luhnValid('6037997599999993')).toBe(true);
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('1234567812345678')).toBe(false);
    expect(luhnValid('79927398710')).toBe(false);
  });

  it('is false for anything but a non-empty run of ASCII digits', () => {
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('4111 1111 1111 1111')).toBe(false);
    expect(luhnValid('۴۱۱۱۱۱۱۱۱۱۱۱۱۱۱۱')).toBe(false);
  });
});

describe('parseCardNumber', () => {
  it.each([
    ['4111111111111111', '4111111111111111'],
    ['4111 1111 1111 1111', '4111111111111111'],
    ['4111-1111-1111-1111', '4111111111111111'],
    ['5500000000000004', '5500000000000004'],
    ['6037-9975-9999-9993', '6037997599999993'],
    ['۶۰۳۷ ۹۹۷۵ ۹۹۹۹ ۹۹۹۳', '6037997599999993'],
    ['٤١١١ ١١١١ ١١١١ ١١١١', '4111111111111111'],
    ['４１１１ １１１１ １１１１ １１１１', '4111111111111111'],
    ['४१११ ११११ ११११ ११११', '4111111111111111'],
    ['378282246310005', '378282246310005'], // 15-digit Amex test number
    ['000000000000', '000000000000'], // 12 digits, Luhn-valid
  ])('accepts %j as %s', (input, expected) => {
    expect(parseCardNumber(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['4111111111111112', 'is not a valid card number (checksum mismatch)'],
    ['1234567812345678', 'is not a valid card number (checksum mismatch)'],
    ['41111111111', 'is not a valid card number (it must have 12 to 19 digits)'],
    ['41111111111111111110', 'is not a valid card number (it must have 12 to 19 digits)'],
    ['4111.1111.1111.1111', 'is not a valid card number (digits only)'],
    ['4111111111111111x', 'is not a valid card number (digits only)'],
    ['', 'is empty'],
    [' - ', 'is empty'],
    ['4'.repeat(1000), 'is not a valid card number (too long)'],
  ])('refuses %j: %s', (input, reason) => {
    expect(parseCardNumber(input)).toEqual({ ok: false, reason });
  });

  it('never throws, and what it returns is 12–19 Luhn-valid digits', () => {
    const cardish = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.constantFrom('4', '1', '0', '5', '۶', '٣', ' ', '-'), maxLength: 24 }),
    );
    fc.assert(
      fc.property(cardish, (s) => {
        const result = parseCardNumber(s);
        expect(typeof result.ok).toBe('boolean');
        if (result.ok) {
          expect(result.value).toMatch(/^[0-9]{12,19}$/);
          expect(luhnValid(result.value)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('maskCard', () => {
  it('keeps the first 6 and last 4 digits', () => {
    expect(maskCard('4111111111111111')).toBe('411111******1111');
    expect(maskCard('378282246310005')).toBe('378282*****0005');
    expect(maskCard('6037997599999993123')).toBe('603799*********3123');
    expect(maskCard('000000000000')).toBe('000000**0000');
    expect(maskCard('4111 1111 1111 1111')).toBe('411111******1111');
    expect(maskCard('۶۰۳۷۹۹۷۵۹۹۹۹۹۹۹۳')).toBe('603799******9993');
  });

  it('masks everything when too short to hide anything otherwise', () => {
    expect(maskCard('12345678901')).toBe('***********');
    expect(maskCard('')).toBe('');
  });
});

describe('findCardNumbers', () => {
  it('finds card numbers in free text, with their positions', () => {
    const text = 'Card 4111 1111 1111 1111, also 5500-0000-0000-0004 and 378282246310005.';
    expect(findCardNumbers(text)).toEqual([
      { start: 5, end: 24, digits: '4111111111111111' },
      { start: 31, end: 50, digits: '5500000000000004' },
      { start: 55, end: 70, digits: '378282246310005' },
    ]);
    for (const { start, end } of findCardNumbers(text)) expect(text.slice(start, end)).toMatch(/^[0-9]/);
  });

  it('finds Persian and Arabic-Indic digits, with positions in the original text', () => {
    const text = 'شماره کارت: ۶۰۳۷-۹۹۷۵-۹۹۹۹-۹۹۹۳ است';
    const [match] = findCardNumbers(text);
    expect(match?.digits).toBe('6037997599999993');
    expect(text.slice(match?.start, match?.end)).toBe('۶۰۳۷-۹۹۷۵-۹۹۹۹-۹۹۹۳');
  });

  it("finds full-width and other scripts' digits, even mixed, with positions in the original text", () => {
    for (const written of ['４１１１１１１１１１１１１１１１', '४१११-११११-११११-११११', '4111 １１１１ ۱۱۱۱ ١١١١']) {
      const text = `card: ${written}.`;
      const [match] = findCardNumbers(text);
      expect(match?.digits).toBe('4111111111111111');
      expect(text.slice(match?.start, match?.end)).toBe(written);
      expect(maskCardNumbersInText(text).text).toBe('card: 411111******1111.');
    }
  });

  it('reads what a person reads as a digit: superscripts, circled, mathematical and other astral digits', () => {
    const math = [...'4111111111111111'].map((d) => String.fromCodePoint(0x1d7ce + Number(d))).join(''); // 𝟒𝟏𝟏…
    const adlam = [...'4111111111111111'].map((d) => String.fromCodePoint(0x1e950 + Number(d))).join('');
    for (const written of [
      math,
      adlam,
      '④①①①①①①①①①①①①①①①',
      '⁴¹¹¹ ¹¹¹¹ ₁₁₁₁ ₁₁₁₁',
      `4111 ${math.slice(8, 16)} 1111 1111`,
    ]) {
      const text = `card: ${written}.`;
      const [match] = findCardNumbers(text);
      expect(match?.digits, written).toBe('4111111111111111');
      // Positions are the original text's: a number ending in an astral digit ends after its second half.
      expect(text.slice(match?.start, match?.end)).toBe(written);
      expect(maskCardNumbersInText(text).text).toBe('card: 411111******1111.');
    }
  });

  it('is not fooled by combining marks or characters that show nothing (tags, variation selectors, fillers)', () => {
    for (const between of [
      '\u180b',
      '\u17b4',
      '\u206a',
      '\ufff0',
      '\u{e0031}',
      '\u{e0100}',
      '\u{1d173}',
      '\u0332',
      '\u20e3',
    ]) {
      const text = `pay ${['4111', '1111', '1111', '1111'].join(between)} now`;
      expect(maskCardNumbersInText(text).text, JSON.stringify(between)).toBe('pay 411111******1111 now');
    }
    // Under every digit: 4̲1̲1̲1̲…
    expect(maskCardNumbersInText([...'4111111111111111'].map((d) => `${d}\u0332`).join('')).count).toBe(1);
  });

  it('knows every character whose compatibility form is one digit, in every plane', () => {
    for (let c = 0x80; c <= 0x10ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCodePoint(c);
      const folded = ch.normalize('NFKC');
      const nd = /\p{Nd}/u.test(ch);
      if (!nd && !/^[0-9]$/.test(folded)) continue;
      // 13 digits: twelve of "4111…", this character as the thirteenth, and the check digit that makes it valid.
      const value = nd && !/^[0-9]$/.test(folded) ? null : Number(folded);
      if (value === null) continue; // decimal digits without a compatibility form: by their run (tested above)
      const body = `411111111111${value}`;
      const check = [...Array(10).keys()].find((k) => luhnValid(`${body}${k}`));
      const [match] = findCardNumbers(`411111111111${ch}${check}`);
      expect(match?.digits, c.toString(16)).toBe(`${body}${check}`);
    }
  });

  it('finds a card followed or preceded by other digit groups', () => {
    expect(findCardNumbers('4111 1111 1111 1111 12/27').map((m) => m.digits)).toEqual(['4111111111111111']);
    expect(findCardNumbers('4111 1111 1111 1111 123').map((m) => m.digits)).toEqual(['4111111111111111']);
    expect(findCardNumbers('tel 021 4111111111111111').map((m) => m.digits)).toEqual(['4111111111111111']);
    expect(findCardNumbers('4111111111111111 5500000000000004').map((m) => m.digits)).toEqual([
      '4111111111111111',
      '5500000000000004',
    ]);
  });

  it('is not fooled by invisible characters or other spaces and dashes between the groups', () => {
    const gaps = [
      '\u200b',
      '\u200c',
      '\u2060',
      '\ufeff',
      '\u00ad',
      '\u200e',
      ' \u200b',
      '\u200b-',
      '\u202f',
      '\u2009',
      '\u2013',
      '\u2212',
      '\t',
      '\u2003',
      '\u3000',
      '\u205f',
      '\uff0d',
      '\ufe0f',
      '\u034f',
      '\u2800',
      '.',
      '/',
      '_',
      ',',
      ':',
      '+',
      '\u066c',
      '\u066b',
      '\u060c',
      '\uff0e',
    ];
    for (const gap of gaps) {
      const text = `card ${['4111', '1111', '1111', '1111'].join(gap)} ok`;
      expect(findCardNumbers(text), JSON.stringify(gap)).toEqual([
        { start: 5, end: text.length - 3, digits: '4111111111111111' },
      ]);
      expect(maskCardNumbersInText(text).text).toBe('card 411111******1111 ok');
    }
    // Whole digits hidden among invisible characters, Persian digits too.
    expect(maskCardNumbersInText('۶۰۳۷\u200c۹۹۷۵\u200c۹۹۹۹\u200c۹۹۹۳').text).toBe('603799******9993');
    // Still a single gap: two visible separators, or a line break, end a run.
    expect(findCardNumbers('4111 \u200b 1111 1111 1111')).toEqual([]);
    expect(findCardNumbers('4111\n1111\n1111\n1111')).toEqual([]);
  });

  it('reads punctuation between groups only where the grouping is a card’s, not a time’s, date’s or amount’s', () => {
    expect(maskCardNumbersInText('card 3782.822463.10005 ok').text).toBe('card 378282*****0005 ok'); // Amex 4-6-5
    expect(maskCardNumbersInText('4539/1488/0343/6467').text).toBe('453914******6467');
    // Times, dates and amounts joined by the same punctuation are left alone, whatever their checksum says.
    const pad = (n: number): string => String(n).padStart(2, '0');
    for (let i = 0; i < 3000; i++) {
      const stamp = `2026-${pad((i % 12) + 1)}-${pad((i % 28) + 1)} ${pad(i % 24)}:${pad((i * 7) % 60)}:${pad((i * 13) % 60)}`;
      expect(findCardNumbers(`Called at ${stamp}`), stamp).toEqual([]);
      const range = `2026/${pad((i % 12) + 1)}/${pad((i % 28) + 1)}-2027/${pad(((i * 5) % 12) + 1)}/${pad(((i * 3) % 28) + 1)}`;
      expect(findCardNumbers(range), range).toEqual([]);
      const dotted = `${pad((i % 28) + 1)}.${pad((i % 12) + 1)}.2026 ${pad(i % 24)}.${pad((i * 7) % 60)}.${pad((i * 11) % 60)}`;
      expect(findCardNumbers(dotted), dotted).toEqual([]);
    }
    expect(findCardNumbers('price 4,111,111,111,111,111')).toEqual([]);
  });

  it('ignores Luhn-invalid, too short, too long and double-separated numbers', () => {
    expect(findCardNumbers('4111111111111112 1234567812345678')).toEqual([]);
    expect(findCardNumbers('000000000000')).toEqual([]); // 12 digits: parseable, but not searched for
    expect(findCardNumbers('41111111111111111111')).toEqual([]); // part of a 20-digit number
    expect(findCardNumbers('4111  1111  1111  1111')).toEqual([]);
    expect(findCardNumbers('4111--1111--1111--1111')).toEqual([]);
    expect(findCardNumbers('4111..1111..1111..1111')).toEqual([]);
    expect(findCardNumbers('4111./1111./1111./1111')).toEqual([]);
    expect(findCardNumbers('')).toEqual([]);
  });

  it('copes with long inputs', () => {
    expect(findCardNumbers('1 '.repeat(50_000))).toEqual([]);
    expect(findCardNumbers('4111111111111111 '.repeat(1000))).toHaveLength(1000);
  });

  it('never throws, and every match is a Luhn-valid 13–19 digit span of the text', () => {
    const texty = fc.string({
      unit: fc.oneof(
        fc.constantFrom('4', '1', '0', '5', '۱', '٤', ' ', '-', 'a'),
        fc.constant('4111111111111111'),
        fc.constant('4111 1111 1111 1111'),
        fc.string({ unit: 'binary', maxLength: 1 }),
      ),
      maxLength: 40,
    });
    fc.assert(
      fc.property(texty, (s) => {
        let previousEnd = 0;
        for (const { start, end, digits } of findCardNumbers(s)) {
          expect(start).toBeGreaterThanOrEqual(previousEnd);
          expect(digits).toMatch(/^[0-9]{13,19}$/);
          expect(luhnValid(digits)).toBe(true);
          // The span is that one number, whole: read on its own it is found again, and masked entirely.
          expect(maskCardNumbersInText(s.slice(start, end))).toEqual({ text: maskCard(digits), count: 1 });
          previousEnd = end;
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('maskCardNumbersInText', () => {
  it('replaces each card number with its masked form', () => {
    expect(maskCardNumbersInText('pay 4111 1111 1111 1111 12/27, or ۶۰۳۷-۹۹۷۵-۹۹۹۹-۹۹۹۳!')).toEqual({
      text: 'pay 411111******1111 12/27, or 603799******9993!',
      count: 2,
    });
    expect(maskCardNumbersInText('4111111111111111')).toEqual({ text: '411111******1111', count: 1 });
  });

  it('leaves text without card numbers unchanged', () => {
    expect(maskCardNumbersInText('call 0912 123 4567, ref 4111111111111112')).toEqual({
      text: 'call 0912 123 4567, ref 4111111111111112',
      count: 0,
    });
  });

  it('masks every card it is given, whatever surrounds it', () => {
    const card = fc.constantFrom('4111111111111111', '4111 1111 1111 1111', '5500-0000-0000-0004', '۶۰۳۷۹۹۷۵۹۹۹۹۹۹۹۳');
    const filler = fc.string({ unit: fc.constantFrom('x', ' ', '-', '.', '/', 'ب', '\n'), minLength: 1, maxLength: 4 });
    const filled = fc.array(fc.tuple(filler, card), { maxLength: 6 });
    fc.assert(
      fc.property(filled, filler, (parts, tail) => {
        const text = parts.map(([f, c]) => `${f}x${c}x`).join('') + tail;
        const masked = maskCardNumbersInText(text);
        expect(masked.count).toBe(parts.length);
        expect(findCardNumbers(masked.text)).toEqual([]);
        expect(masked.text).not.toMatch(/[0-9۰-۹]{7}/);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('4111111111111111', '4111 1111', ' ', '-', '1', 'x') }), (s) => {
        const masked = maskCardNumbersInText(s);
        expect(masked.count).toBe(findCardNumbers(s).length);
      }),
      { numRuns: 1000 },
    );
  });
});
