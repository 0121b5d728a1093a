import { Group, TextInput } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isoToJalaliInput, parseJalaliInput } from '../lib/jalali';
import { useFormat } from '../lib/format';

const toPersianDigits = (s: string): string => s.replace(/\d/g, (d) => String.fromCharCode(0x6f0 + Number(d)));

/**
 * A calendar date. English: the browser's Gregorian date input. Persian: typed as a Jalali date
 * ("۱۴۰۳/۰۵/۱۲" or "1403/5/12"), converted to the ISO Gregorian date the API stores, with the
 * understood date shown back as a check.
 */
export function DateField({
  label,
  value,
  onChange,
  error,
  required,
  description,
}: {
  label: string;
  value: string;
  onChange: (iso: string) => void;
  error?: ReactNode;
  required?: boolean;
  description?: string;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [text, setText] = useState(() => (value ? toPersianDigits(isoToJalaliInput(value)) : ''));
  const [bad, setBad] = useState(false);
  if (fmt.lang !== 'fa') {
    return (
      <TextInput
        type="date"
        label={label}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        error={error}
        required={required}
        description={description}
      />
    );
  }
  const parsed = text.trim() ? parseJalaliInput(text) : null;
  return (
    <TextInput
      label={label}
      placeholder="۱۴۰۳/۰۱/۱۵"
      inputMode="numeric"
      value={text}
      required={required}
      classNames={{ input: 'ltr-value' }}
      onChange={(e) => {
        const v = e.currentTarget.value;
        setText(v);
        const iso = v.trim() ? parseJalaliInput(v) : '';
        setBad(iso === null);
        if (iso !== null) onChange(iso);
      }}
      error={error ?? (bad ? t('validation.jalaliDate') : undefined)}
      description={parsed ? fmt.date(parsed) : (description ?? t('common.jalaliHint'))}
    />
  );
}

/** A date and a time of day (ISO 8601 with the viewer's offset), the date part calendar-aware like DateField. */
export function DateTimeField({
  label,
  value,
  onChange,
  error,
}: {
  label: string;
  value: string;
  onChange: (iso: string) => void;
  error?: ReactNode;
}) {
  const { t } = useTranslation();
  const d = value ? new Date(value) : null;
  const pad = (n: number) => String(n).padStart(2, '0');
  const datePart = d ? `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` : '';
  const timePart = d ? `${pad(d.getHours())}:${pad(d.getMinutes())}` : '09:00';
  const combine = (date: string, time: string) => {
    if (!date) return onChange('');
    const local = new Date(`${date}T${time || '09:00'}:00`);
    onChange(Number.isNaN(local.getTime()) ? '' : local.toISOString());
  };
  return (
    <Group grow align="flex-start" gap="sm">
      <DateField label={label} value={datePart} onChange={(v) => combine(v, timePart)} error={error} />
      <TextInput
        type="time"
        label={t('common.time')}
        value={timePart}
        onChange={(e) => combine(datePart, e.currentTarget.value)}
      />
    </Group>
  );
}
