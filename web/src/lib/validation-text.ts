import { useTranslation } from 'react-i18next';

/**
 * A server validation reason ("is not a valid IBAN (checksum mismatch)") for a person: in English,
 * the label and the server's own words; in Persian, the same meaning in Persian.
 */
const KINDS: [RegExp, string][] = [
  [/^is required|cannot be (empty|blank)/, 'required'],
  [/email address/, 'email'],
  [/phone number|needs a country code|mobile number/, 'phone'],
  [/national ID/, 'nationalId'],
  [/IBAN/, 'iban'],
  [/card number|Luhn/, 'card'],
  [/must be at most (\d+) characters/, 'tooLong'],
  [/date/, 'date'],
];

export function useValidationText() {
  const { t, i18n } = useTranslation();
  return (label: string, reason: string): string => {
    if (i18n.language !== 'fa') return `${label} ${reason}`;
    for (const [re, key] of KINDS) {
      const m = re.exec(reason);
      if (m) return t(`validation.${key}`, { label, max: m[1] ?? '' });
    }
    return t('validation.generic', { label });
  };
}
