import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emailLookupKey, parseEmail } from './email.js';

describe('parseEmail', () => {
  it.each([
    ['a@b.co', 'a@b.co'],
    ['first.last+tag@sub.example.ir', 'first.last+tag@sub.example.ir'],
    ['"quoted local"@example.com', '"quoted local"@example.com'],
    ['user@xn--mgbh0fb.xn--mgba3a4f16a', 'user@xn--mgbh0fb.xn--mgba3a4f16a'],
    ['  Kaveh.Ahmadi@Example.IR \n', 'Kaveh.Ahmadi@example.ir'],
    ["o'brien!#$%&*/=?^_`{|}~-@example.de", "o'brien!#$%&*/=?^_`{|}~-@example.de"],
    ['"a@b \\" c"@example.com', '"a@b \\" c"@example.com'],
    ['x@my-host.example.co.uk', 'x@my-host.example.co.uk'],
    ['x@123.example.com', 'x@123.example.com'],
  ])('accepts %j', (input, expected) => {
    expect(parseEmail(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    'plainaddress',
    '@no-local.com',
    'a@b',
    'a@@b.com',
    'a@b..com',
    'a b@c.com',
    '',
    '   ',
    'a@',
    'a.@b.com',
    '.a@b.com',
    'a..b@c.com',
    'a@-b.com',
    'a@b-.com',
    'a@b.com.',
    'a@.b.com',
    'a@b_c.com',
    'a@1.2.3.4',
    'a@[127.0.0.1]',
    'a@b.123',
    '""@example.com',
    '"unclosed@example.com',
    '"a"b"@example.com',
    '"a\u0000"@example.com',
    'a(comment)@example.com',
    'mañana@example.com',
    'user@مثال.ایران',
    'a@exampl\u212a.com', // KELVIN SIGN lower-cases to an ASCII "k": refused, not silently converted
    'alice@example.com\nbcc@evil.example',
    'a\r\n@example.com',
    '<script>@example.com',
  ])('refuses %j', (input) => {
    const result = parseEmail(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/^[a-z]/);
  });

  it('enforces the length limits', () => {
    const local64 = 'a'.repeat(64);
    expect(parseEmail(`${local64}@example.com`).ok).toBe(true);
    expect(parseEmail(`${local64}a@example.com`)).toEqual({
      ok: false,
      reason: 'is not a valid email address (the part before the @ is longer than 64)',
    });
    const label63 = 'b'.repeat(63);
    expect(parseEmail(`a@${label63}.com`).ok).toBe(true);
    expect(parseEmail(`a@${label63}b.com`).ok).toBe(false);
    const domain = `${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(60)}.ir`;
    const at254 = `${'a'.repeat(254 - 1 - domain.length)}@${domain}`;
    expect(at254).toHaveLength(254);
    expect(parseEmail(at254).ok).toBe(true);
    expect(parseEmail(`a${at254}`)).toEqual({ ok: false, reason: 'is too long (at most 254 characters)' });
    expect(parseEmail('a'.repeat(100_000)).ok).toBe(false);
  });

  it('explains refusals in short sentences', () => {
    expect(parseEmail('plainaddress')).toEqual({ ok: false, reason: 'is not an email address (no @)' });
    expect(parseEmail('a@b')).toEqual({
      ok: false,
      reason: 'is not a valid email address (the domain needs at least two labels, like example.com)',
    });
  });

  it('never throws on arbitrary strings', () => {
    const emailish = fc.string({
      unit: fc.oneof(
        fc.constantFrom('@', '.', '"', '\\', '-', ' ', 'a', 'Z', '0', 'xn--'),
        fc.string({ unit: 'binary', maxLength: 1 }),
      ),
      maxLength: 40,
    });
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), emailish), (s) => {
        const result = parseEmail(s);
        expect(typeof result.ok).toBe('boolean');
        if (result.ok) {
          expect(result.value.length).toBeLessThanOrEqual(254);
          expect(parseEmail(result.value)).toEqual(result);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('emailLookupKey', () => {
  it('lower-cases the whole address and applies NFKC', () => {
    expect(emailLookupKey('Kaveh.Ahmadi@Example.IR')).toBe('kaveh.ahmadi@example.ir');
    expect(emailLookupKey('ＡＬＩ@example.com')).toBe('ali@example.com');
    expect(emailLookupKey('"Quoted Local"@Example.com')).toBe('"quoted local"@example.com');
    expect(emailLookupKey('a@b.co')).toBe(emailLookupKey('A@B.CO'));
  });
});
