import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { changeLanguage } from '../i18n';
import { isLanguage, LANGUAGE_NAMES, type Language } from '../i18n/languages';

export function LanguageSwitch({ userId }: { userId?: string }) {
  const { i18n, t } = useTranslation();
  const value: Language = isLanguage(i18n.language) ? i18n.language : 'en';
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('common.language')}
      value={value}
      onChange={(v) => {
        if (isLanguage(v)) void changeLanguage(v, userId);
      }}
      data={[
        { value: 'en', label: <span lang="en">{LANGUAGE_NAMES.en}</span> },
        { value: 'fa', label: <span lang="fa">{LANGUAGE_NAMES.fa}</span> },
      ]}
    />
  );
}
