import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyMinorUnits, isCurrencyCode } from './currency.js';

describe('isCurrencyCode', () => {
  it.each(['EUR', 'IRR', 'CAD', 'USD', 'GBP', 'CHF', 'TRY', 'AED', 'JPY'])('accepts %s', (code) => {
    expect(isCurrencyCode(code)).toBe(true);
  });

  it.each(['eur', 'Eur', ' EUR', 'EUR ', 'EURO', 'EU', '', 'XYZ', 'IRT', 'E1R', '€', '__proto__', 'constructor'])(
    'refuses %j',
    (code) => {
      expect(isCurrencyCode(code)).toBe(false);
    },
  );

  it('never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.stringMatching(/^[A-Z]{3}$/)), (s) => {
        expect(typeof isCurrencyCode(s)).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('currencyMinorUnits', () => {
  it('returns what ICU says', () => {
    expect(currencyMinorUnits('EUR')).toBe(2);
    expect(currencyMinorUnits('CAD')).toBe(2);
    expect(currencyMinorUnits('JPY')).toBe(0);
    expect(currencyMinorUnits('BHD')).toBe(3);
    expect(currencyMinorUnits('IRR')).toBe(0); // ISO 4217 says 2; CLDR (and so Intl) says 0
  });

  it('is undefined for anything that is not a currency code', () => {
    expect(currencyMinorUnits('eur')).toBeUndefined();
    expect(currencyMinorUnits('XYZ')).toBeUndefined();
    expect(currencyMinorUnits('')).toBeUndefined();
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.stringMatching(/^[A-Z]{3}$/)), (s) => {
        const digits = currencyMinorUnits(s);
        if (digits !== undefined) expect(digits).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 2000 },
    );
  });
});
