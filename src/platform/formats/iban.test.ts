import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIban, parseIban } from './iban.js';

describe('parseIban', () => {
  it.each([
    'IR820540102680020817909002',
    'DE89370400440532013000',
    'GB82WEST12345698765432',
    'GB29NWBK60161331926819',
    'NL91ABNA0417164300',
    'BE68539007547034',
    'FR1420041010050500013M02606',
    'ES9121000418450200051332',
    'IT60X0542811101000000123456',
    'AT611904300234573201',
    'CH9300762011623852957',
    'SE4550000000058398257466',
    'NO9386011117947',
    'DK5000400440116243',
    'FI2112345600000785',
    'PL61109010140000071219812874',
    'PT50000201231234567890154',
    'IE29AIBK93115212345678',
    'LU280019400644750000',
    'TR330006100519786457841326',
    'AE070331234567890123456',
    'SA0380000000608010167519',
  ])('accepts %s', (iban) => {
    expect(parseIban(iban)).toEqual({ ok: true, value: iban });
  });

  it.each([
    ['IR82 0540 1026 8002 0817 9090 02', 'IR820540102680020817909002'],
    ['ir820540102680020817909002', 'IR820540102680020817909002'],
    ['IR۸۲۰۵۴۰۱۰۲۶۸۰۰۲۰۸۱۷۹۰۹۰۰۲', 'IR820540102680020817909002'],
    ['\u200eIR٨٢ ٠٥٤٠ ١٠٢٦ ٨٠٠٢ ٠٨١٧ ٩٠٩٠ ٠٢\u200f', 'IR820540102680020817909002'],
    [' de89 3704 0044 0532 0130 00 ', 'DE89370400440532013000'],
    ['GB82\tWEST\n1234 5698 7654 32', 'GB82WEST12345698765432'],
  ])('normalises %j to %s', (input, expected) => {
    expect(parseIban(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['IR820540102680020817909003', 'is not a valid IBAN (checksum mismatch)'],
    ['DE00370400440532013000', 'is not a valid IBAN (impossible check digits)'],
    ['DE88370400440532013000', 'is not a valid IBAN (checksum mismatch)'],
    ['GB82WEST12345698765433', 'is not a valid IBAN (checksum mismatch)'],
    ['DE8937040044053201300', 'is not a valid IBAN (DE IBANs have 22 characters)'],
    ['IR8205401026800208179090021', 'is not a valid IBAN (IR IBANs have 26 characters)'],
    ['US64SVBKUS6S3300958879', 'is not a valid IBAN (unknown country code)'],
    ['1234', 'is not a valid IBAN (it must start with a two-letter country code)'],
    ['DEXX370400440532013000', 'is not a valid IBAN (two check digits must follow the country code)'],
    ['DE89-3704-0044-0532-0130-00', 'is not a valid IBAN (letters and digits only)'],
    ['\u0131R820540102680020817909002', 'is not a valid IBAN (letters and digits only)'], // dotless ı upper-cases to I
    ['IR82054010268002081790900A', 'is not a valid IBAN (Iranian IBANs are digits)'],
    ['', 'is empty'],
    ['   ', 'is empty'],
    ['X'.repeat(1000), 'is not a valid IBAN (too long)'],
  ])('refuses %j: %s', (input, reason) => {
    expect(parseIban(input)).toEqual({ ok: false, reason });
  });

  it('refuses the check digits 01 and 99 even where mod 97 would pass', () => {
    // 98 ≡ 1 and 97 ≡ 0 (mod 97): an IBAN valid with check digits 98 also passes mod 97 with 01.
    expect(parseIban('GB98MIDL07009312345678')).toEqual({ ok: true, value: 'GB98MIDL07009312345678' });
    expect(parseIban('GB01MIDL07009312345678')).toEqual({
      ok: false,
      reason: 'is not a valid IBAN (impossible check digits)',
    });
  });

  it('never throws, and what it returns is compact and parses to itself', () => {
    const ibanish = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc
        .tuple(
          fc.constantFrom('IR', 'DE', 'GB', 'ir', 'XX', '1'),
          fc.string({ unit: fc.constantFrom('0', '8', '9', 'A', ' ', '۵'), maxLength: 30 }),
        )
        .map(([cc, rest]) => cc + rest),
    );
    fc.assert(
      fc.property(ibanish, (s) => {
        const result = parseIban(s);
        expect(typeof result.ok).toBe('boolean');
        if (result.ok) {
          expect(result.value).toMatch(/^[A-Z]{2}[0-9]{2}[A-Z0-9]+$/);
          expect(parseIban(result.value)).toEqual(result);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('formatIban', () => {
  it('groups by four', () => {
    expect(formatIban('IR820540102680020817909002')).toBe('IR82 0540 1026 8002 0817 9090 02');
    expect(formatIban('DE89370400440532013000')).toBe('DE89 3704 0044 0532 0130 00');
    expect(formatIban('NL91ABNA0417164300')).toBe('NL91 ABNA 0417 1643 00');
    expect(formatIban('BE68539007547034')).toBe('BE68 5390 0754 7034');
    expect(formatIban(' gb82 west1234 5698765432')).toBe('GB82 WEST 1234 5698 7654 32');
    expect(formatIban('')).toBe('');
  });
});
