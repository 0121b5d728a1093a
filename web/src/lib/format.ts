import { useTranslation } from 'react-i18next';
import type { Language } from '../i18n/languages';

/**
 * Locale-aware display: Persian shows the Jalali calendar and Persian digits (fa-IR-u-ca-persian),
 * English the Gregorian calendar. Amounts come from the API as integer minor units.
 */
const DATE_LOCALE: Record<Language, string> = { en: 'en-GB', fa: 'fa-IR-u-ca-persian' };
const NUMBER_LOCALE: Record<Language, string> = { en: 'en-US', fa: 'fa-IR' };

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function dtf(lang: Language, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${lang}|${JSON.stringify(opts)}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) {
    f = new Intl.DateTimeFormat(DATE_LOCALE[lang], opts);
    cache.set(key, f);
  }
  return f;
}
function nf(lang: Language, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${lang}|${JSON.stringify(opts)}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) {
    f = new Intl.NumberFormat(NUMBER_LOCALE[lang], opts);
    cache.set(key, f);
  }
  return f;
}

/** A calendar date ("2024-08-02", no time zone) → its day, never shifted by the viewer's zone. */
function dateOnly(iso: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (m) return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12));
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function formatDate(iso: string | null | undefined, lang: Language): string {
  if (!iso) return '';
  const d = dateOnly(iso);
  if (!d) return iso;
  const utc = /^\d{4}-\d{2}-\d{2}$/.test(iso);
  return dtf(lang, { year: 'numeric', month: 'short', day: 'numeric', ...(utc ? { timeZone: 'UTC' } : {}) }).format(d);
}

export function formatDateTime(iso: string | null | undefined, lang: Language): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return dtf(lang, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d);
}

export function formatDayMonth(d: Date, lang: Language): string {
  return dtf(lang, { month: 'short', day: 'numeric' }).format(d);
}

export function formatNumber(n: number, lang: Language): string {
  return nf(lang, {}).format(n);
}

export function minorUnits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

export function formatMoney(minor: number, currencyOrNull: string | null, lang: Language): string {
  const currency = currencyOrNull ?? 'XXX';
  const digits = minorUnits(currency);
  const value = minor / 10 ** digits;
  try {
    return nf(lang, { style: 'currency', currency, maximumFractionDigits: digits }).format(value);
  } catch {
    return `${formatNumber(value, lang)} ${currency}`;
  }
}

/** "1,234.50" (either language's digits and separators) → minor units, or null. */
export function parseAmount(input: string, currency: string): number | null {
  const ascii = input
    .replace(/[۰-۹]/g, (c) => String(c.charCodeAt(0) - 0x6f0))
    .replace(/[٠-٩]/g, (c) => String(c.charCodeAt(0) - 0x660))
    .replace(/[٬,\s]/g, '')
    .replace('٫', '.');
  if (!/^\d+(\.\d+)?$/.test(ascii)) return null;
  const digits = minorUnits(currency);
  return Math.round(Number(ascii) * 10 ** digits);
}

export function useFormat() {
  const { i18n } = useTranslation();
  const lang: Language = i18n.language === 'fa' ? 'fa' : 'en';
  return {
    lang,
    date: (iso: string | null | undefined) => formatDate(iso, lang),
    dateTime: (iso: string | null | undefined) => formatDateTime(iso, lang),
    number: (n: number) => formatNumber(n, lang),
    compact: (n: number) => nf(lang, { notation: 'compact', maximumFractionDigits: 1 }).format(n),
    money: (minor: number | null | undefined, currency: string | null | undefined) =>
      typeof minor === 'number' ? formatMoney(minor, currency ?? null, lang) : '—',
    dayMonth: (d: Date) => formatDayMonth(d, lang),
  };
}
