import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { readPref, writePref } from '../lib/storage';
import en from './en.json';
import fa from './fa.json';
import { directionOf, isLanguage, type Language } from './languages';

/** The language chosen in this visit (`?lang=` when the page loaded, or the switch): saved preferences yield to it. */
let visitLanguage: Language | null = null;

/**
 * Language: `?lang=fa|en` wins for this visit, then the signed-in user's choice kept on the server (applied once
 * their preferences load), then the last one used in this browser, then the browser's own preference.
 * `<html lang dir>` always follows it.
 */
export function initialLanguage(): Language {
  const fromUrl = new URLSearchParams(window.location.search).get('lang');
  if (isLanguage(fromUrl)) {
    visitLanguage = fromUrl;
    writePref('lang', fromUrl);
    return fromUrl;
  }
  const last = readPref('lang', null, isLanguage);
  if (last) return last;
  return navigator.languages.some((l) => l.toLowerCase().startsWith('fa')) ? 'fa' : 'en';
}

export function applyDocumentLanguage(lang: Language): void {
  document.documentElement.lang = lang;
  document.documentElement.dir = directionOf(lang);
}

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'en';
}

/** Switch language now and remember it in this browser (the caller saves a person's choice to the server). */
export async function changeLanguage(lang: Language): Promise<void> {
  writePref('lang', lang);
  visitLanguage = lang;
  applyDocumentLanguage(lang);
  await i18n.changeLanguage(lang);
}

/** After sign-in: the language the user chose (from their server-side preferences), unless the URL asked for one. */
export async function applyUserLanguage(saved: Language | undefined): Promise<void> {
  if (visitLanguage || !saved || saved === currentLanguage()) return;
  writePref('lang', saved);
  applyDocumentLanguage(saved);
  await i18n.changeLanguage(saved);
}

export async function initI18n(): Promise<void> {
  const lang = initialLanguage();
  applyDocumentLanguage(lang);
  await i18n.use(initReactI18next).init({
    resources: { en: { translation: en }, fa: { translation: fa } },
    lng: lang,
    fallbackLng: 'en',
    supportedLngs: ['en', 'fa'],
    interpolation: { escapeValue: false },
    returnNull: false,
  });
}

export default i18n;
