import type { Language } from '../i18n/languages';

const collators = new Map<Language, Intl.Collator>();

/** Sorting where the UI sorts client-side: Persian collation for Persian (ی/ي, ک/ك alike), numeric aware. */
export function collator(lang: Language): Intl.Collator {
  let c = collators.get(lang);
  if (!c) {
    c = new Intl.Collator(lang === 'fa' ? 'fa-IR' : 'en', { sensitivity: 'base', numeric: true });
    collators.set(lang, c);
  }
  return c;
}

export function sortBy<T>(items: readonly T[], key: (item: T) => string, lang: Language): T[] {
  const c = collator(lang);
  return [...items].sort((a, b) => c.compare(key(a), key(b)));
}
