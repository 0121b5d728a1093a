import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { readPref, writePref } from '../lib/storage';
import en from './en.json';
import fa from './fa.json';
import { directionOf, isLanguage, type Language } from './languages';

/**
 * Language: `?lang=fa|en` wins, then the signed-in user's remembered choice, then the last one used
 * in this browser, then the browser's own preference. `<html lang dir>` always follows it.
 */
export function initialLanguage(): Language {
  const fromUrl = new URLSearchParams(window.location.search).get('lang');
  if (isLanguage(fromUrl)) {
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

/** Switch language now and remember it for this browser and for this user. */
export async function changeLanguage(lang: Language, userId?: string): Promise<void> {
  writePref('lang', lang);
  if (userId) writePref(`lang.${userId}`, lang);
  applyDocumentLanguage(lang);
  await i18n.changeLanguage(lang);
}

/** After sign-in: the language this user chose last time, unless the URL asked for one. */
export async function applyUserLanguage(userId: string): Promise<void> {
  const fromUrl = new URLSearchParams(window.location.search).get('lang');
  if (isLanguage(fromUrl)) {
    writePref(`lang.${userId}`, fromUrl);
    return;
  }
  const mine = readPref(`lang.${userId}`, null, isLanguage);
  if (mine && mine !== currentLanguage()) await changeLanguage(mine, userId);
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
