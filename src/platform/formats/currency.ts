const CURRENCY_CODE_SHAPE = /^[A-Z]{3}$/;

let knownCodes: ReadonlySet<string> | undefined;
const minorUnitsCache = new Map<string, number>();

/**
 * True for an ISO 4217 alphabetic code that this runtime's ICU knows (`Intl.supportedValuesOf('currency')`),
 * written in upper case: "EUR", "IRR", "CAD" — not "eur", "IRT" (the informal toman) or " EUR".
 */
export function isCurrencyCode(code: string): boolean {
  if (typeof code !== 'string' || !CURRENCY_CODE_SHAPE.test(code)) return false;
  knownCodes ??= new Set(Intl.supportedValuesOf('currency'));
  return knownCodes.has(code);
}

/**
 * Digits after the decimal point ICU uses for the currency (EUR 2, JPY 0, BHD 3; IRR 0 in current ICU/CLDR),
 * or undefined when `code` is not a known currency code.
 */
export function currencyMinorUnits(code: string): number | undefined {
  if (!isCurrencyCode(code)) return undefined;
  const cached = minorUnitsCache.get(code);
  if (cached !== undefined) return cached;
  const { maximumFractionDigits } = new Intl.NumberFormat('en', {
    style: 'currency',
    currency: code,
  }).resolvedOptions();
  if (maximumFractionDigits !== undefined) minorUnitsCache.set(code, maximumFractionDigits);
  return maximumFractionDigits;
}
