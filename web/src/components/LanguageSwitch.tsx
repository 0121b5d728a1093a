import { SegmentedControl } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { changeLanguage } from '../i18n';
import { isLanguage, LANGUAGE_NAMES, type Language } from '../i18n/languages';
import { useErrorText } from './ErrorAlert';
import { notify } from '../lib/notify';
import { updatePreferences } from '../lib/preferences';

/** The language switch; for a signed-in person the choice is saved with their preferences on the server. */
export function LanguageSwitch({ signedIn = false }: { signedIn?: boolean }) {
  const { i18n, t } = useTranslation();
  const qc = useQueryClient();
  const errorText = useErrorText();
  const choose = async (lang: Language) => {
    await changeLanguage(lang);
    if (!signedIn) return;
    try {
      await updatePreferences(qc, (p) => ({ ...p, language: lang }));
    } catch (e) {
      const text = errorText(e);
      notify({ color: 'red', title: text.title, message: text.detail });
    }
  };
  const value: Language = isLanguage(i18n.language) ? i18n.language : 'en';
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('common.language')}
      value={value}
      onChange={(v) => {
        if (isLanguage(v)) void choose(v);
      }}
      data={[
        { value: 'en', label: <span lang="en">{LANGUAGE_NAMES.en}</span> },
        { value: 'fa', label: <span lang="fa">{LANGUAGE_NAMES.fa}</span> },
      ]}
    />
  );
}
