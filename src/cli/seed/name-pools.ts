import { fakerEN, fakerFA, type Faker } from '@faker-js/faker';
import { asciiSlug } from './transliterate.js';

export type Lang = 'en' | 'fa';

/** A word and its ASCII slug (for email addresses and domains). */
export interface Named {
  readonly text: string;
  readonly slug: string;
}

/**
 * Realistic values for one language, drawn from faker once. Rows then combine them with a fast seeded PRNG:
 * calling faker per row would dominate the run time of a large seed.
 */
export interface LocalePool {
  readonly lang: Lang;
  readonly femaleFirst: readonly Named[];
  readonly maleFirst: readonly Named[];
  readonly last: readonly Named[];
  readonly jobTitles: readonly string[];
  readonly companies: readonly Named[];
  readonly industries: readonly string[];
  readonly cities: readonly string[];
  readonly states: readonly string[];
  readonly streets: readonly string[];
  readonly products: readonly string[];
}

export interface NamePools {
  readonly en: LocalePool;
  readonly fa: LocalePool;
}

/** Up to `size` distinct values of `make` (fewer when faker's vocabulary is smaller). */
function distinct(size: number, make: () => string): string[] {
  const seen = new Set<string>();
  for (let tries = 0; seen.size < size && tries < size * 4; tries++) {
    const v = make().trim().replace(/\s+/g, ' ');
    if (v) seen.add(v);
  }
  return [...seen];
}

function named(values: string[]): Named[] {
  return values.map((text) => ({ text, slug: asciiSlug(text) })).filter((n) => n.slug.length > 0);
}

/**
 * faker's Persian locale knows only ~150 family names. Persian family names are very often a name plus a suffix
 * (حسین‌زاده, رضایی‌پور, کریمی‌نیا), so the pool is widened the same way.
 */
const PERSIAN_SURNAME_SUFFIXES = ['\u200cزاده', '\u200cپور', '\u200cنیا', '\u200cفر', '\u200cنژاد', '\u200cراد', 'ی'];

function persianSurnames(f: Faker, size: number): string[] {
  const base = distinct(size, () => f.person.lastName());
  const firstNames = distinct(size, () => f.person.firstName('male'));
  const out = new Set(base);
  for (let i = 0; out.size < size && i < size * 4; i++) {
    const stem = f.helpers.arrayElement(i % 3 === 0 ? base : firstNames);
    out.add(stem + f.helpers.arrayElement(PERSIAN_SURNAME_SUFFIXES));
  }
  return [...out];
}

function localePool(lang: Lang, f: Faker, scale: number): LocalePool {
  const n = (base: number): number => Math.max(20, Math.round(base * scale));
  return {
    lang,
    femaleFirst: named(distinct(n(1500), () => f.person.firstName('female'))),
    maleFirst: named(distinct(n(1500), () => f.person.firstName('male'))),
    last: named(lang === 'fa' ? persianSurnames(f, n(3000)) : distinct(n(3000), () => f.person.lastName())),
    jobTitles: distinct(n(1500), () => f.person.jobTitle()),
    companies: named(distinct(n(3000), () => f.company.name())),
    industries: distinct(n(60), () => f.commerce.department()),
    cities: distinct(n(800), () => f.location.city()),
    states: distinct(n(60), () => f.location.state()),
    streets: distinct(n(2000), () => f.location.street()),
    products: distinct(n(600), () => f.commerce.productName()),
  };
}

/** Build the pools (about 0.2 s at scale 1; tests may use a smaller scale). */
export function buildNamePools(seed: number, scale = 1): NamePools {
  fakerEN.seed(seed);
  fakerFA.seed(seed + 1);
  return { en: localePool('en', fakerEN, scale), fa: localePool('fa', fakerFA, scale) };
}
