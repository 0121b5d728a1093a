import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePhone } from './phone.js';

const IRAN_MOBILE = '+989121234567';

describe('parsePhone', () => {
  it.each([
    '09121234567',
    '+989121234567',
    '+98 912 123 4567',
    '0098 912 123 4567',
    '۰۹۱۲۱۲۳۴۵۶۷',
    '٠٩١٢١٢٣٤٥٦٧',
    '(0912) 123-4567',
    '0912.123.4567',
    '+98 (0)912 123 4567',
    '9121234567',
    '\u200e+98 912 123 4567\u200f',
    '\u202a۰۹۱۲ ۱۲۳ ۴۵۶۷\u202c',
    '０９１２１２３４５６７',
    '  0912 – 123 – 4567  ',
  ])('reads %j as the Iranian mobile +989121234567', (input) => {
    expect(parsePhone(input)).toEqual({ ok: true, value: IRAN_MOBILE });
  });

  it.each([
    ['021 2345 6789', 'IR', '+982123456789'],
    ['030 1234567', 'DE', '+49301234567'],
    ['030/1234567', 'DE', '+49301234567'],
    ['+49 (0)30 1234567', 'DE', '+49301234567'],
    ['0151 23456789', 'de', '+4915123456789'],
    ['(416) 555-0123', 'CA', '+14165550123'],
    ['416.555.0123', 'US', '+14165550123'],
    ['1 416 555 0123', 'CA', '+14165550123'],
    ['+1 416-555-0123', 'IR', '+14165550123'],
    ['011 98 912 123 4567', 'CA', IRAN_MOBILE],
    ['00 98 912 123 4567', 'CA', IRAN_MOBILE],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['+44 (0)20 7946 0958', 'GB', '+442079460958'],
    ['01 23 45 67 89', 'FR', '+33123456789'],
    ['06.12.34.56.78', 'FR', '+33612345678'],
    ['0532 123 45 67', 'TR', '+905321234567'],
    ['050 123 4567', 'AE', '+971501234567'],
    ['020 123 4567', 'NL', '+31201234567'],
    ['+86 138 0013 8000', 'IR', '+8613800138000'],
  ])('reads %j in region %s as %s', (input, region, expected) => {
    expect(parsePhone(input, region)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'is empty'],
    ['0912123456a', 'is not a phone number (it contains letters)'],
    ['+989121234567 ext 5', 'is not a phone number (it contains letters)'],
    ['09121234567#', 'is not a phone number (it has characters other than digits, spaces, dashes, dots or brackets)'],
    ['++989121234567', 'is not a phone number (more than one +)'],
    ['+98+9121234567', 'is not a phone number (more than one +)'],
    ['98+9121234567', 'is not a phone number (+ may only come first)'],
    ['0912', 'is not a valid phone number (too short for E.164)'],
    ['+1234567', 'is not a valid phone number (too short for E.164)'],
    ['+4912345678901234', 'is not a valid phone number (too long for E.164)'],
    ['+0123456789', 'is not a valid phone number (a country code cannot start with 0)'],
    ['0912123456', 'is not a valid Iranian mobile number (+989 and 9 more digits)'],
    ['091212345678', 'is not a valid Iranian mobile number (+989 and 9 more digits)'],
    ['+98 21 1234 567', 'is not a valid Iranian phone number (10 digits after +98)'],
    ['12345678', 'needs a country code (start with + or 00) or a leading 0 for a national number'],
  ])('refuses %j: %s', (input, reason) => {
    expect(parsePhone(input)).toEqual({ ok: false, reason });
  });

  it('applies North American rules in CA and US', () => {
    expect(parsePhone('416 555 012', 'CA').ok).toBe(false);
    expect(parsePhone('+1 016 555 0123').ok).toBe(false); // area codes start with 2-9
    expect(parsePhone('+1 416 155 0123').ok).toBe(false); // so do exchanges
    expect(parsePhone('0416 555 0123', 'US').ok).toBe(false); // no trunk 0 in NANP
  });

  it('refuses an unsupported default region instead of guessing', () => {
    expect(parsePhone('09121234567', 'XX')).toEqual({
      ok: false,
      reason: 'cannot be read: the default region is not supported',
    });
    expect(parsePhone('09121234567', '__proto__').ok).toBe(false);
    expect(parsePhone('+989121234567', 'toString').ok).toBe(false);
  });

  it('refuses very long input without working through it', () => {
    expect(parsePhone('0'.repeat(100_000))).toEqual({ ok: false, reason: 'is too long to be a phone number' });
  });

  it('never throws, and what it returns is E.164 and parses to itself', () => {
    const phoneish = fc.string({
      unit: fc.oneof(
        fc.constantFrom('+', '0', '0', '9', '8', '1', '۰', '٩', ' ', '-', '.', '(', ')', '/', '\u200e'),
        fc.string({ unit: 'binary', maxLength: 1 }),
      ),
      maxLength: 24,
    });
    const region = fc.constantFrom('IR', 'DE', 'CA', 'US', 'GB', 'FR', 'TR', 'AE', 'xx', '');
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), phoneish), region, (s, r) => {
        const result = parsePhone(s, r);
        expect(typeof result.ok).toBe('boolean');
        if (result.ok) {
          expect(result.value).toMatch(/^\+[1-9][0-9]{7,14}$/);
          expect(parsePhone(result.value, r)).toEqual(result);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
