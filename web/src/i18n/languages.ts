export const LANGUAGES = ['en', 'fa'] as const;
export type Language = (typeof LANGUAGES)[number];
export type Direction = 'ltr' | 'rtl';

export const isLanguage = (v: unknown): v is Language => v === 'en' || v === 'fa';
export const directionOf = (lang: Language): Direction => (lang === 'fa' ? 'rtl' : 'ltr');
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', fa: 'فارسی' };
