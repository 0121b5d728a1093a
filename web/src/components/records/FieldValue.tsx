import { Anchor, Badge, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { FieldDef } from '../../lib/api/types';
import { useFormat } from '../../lib/format';

/** A primitive value as text (objects never reach the screen as "[object Object]"). */
export function valueText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

const LTR_TYPES = new Set(['email', 'phone', 'url', 'domain', 'national-id', 'iban', 'card', 'currency']);

/** One value of a record, shown for its field type in the UI language. */
export function FieldValue({
  field,
  value,
  record,
}: {
  field: Pick<FieldDef, 'key' | 'type'>;
  value: unknown;
  record?: Record<string, unknown>;
}) {
  const fmt = useFormat();
  const { t } = useTranslation();
  if (value === null || value === undefined || value === '') {
    return (
      <Text span c="dimmed">
        —
      </Text>
    );
  }
  const text = valueText(value);
  switch (field.type) {
    case 'date':
      return <Text span>{fmt.date(text)}</Text>;
    case 'datetime':
      return <Text span>{fmt.dateTime(text)}</Text>;
    case 'money': {
      const currency = typeof record?.currency === 'string' ? record.currency : 'USD';
      return <Text span>{fmt.money(Number(value), currency)}</Text>;
    }
    case 'number':
      return <Text span>{fmt.number(Number(value))}</Text>;
    case 'boolean':
      return <Text span>{value === true ? t('common.yes') : t('common.no')}</Text>;
    case 'email':
      return (
        <Anchor href={`mailto:${text}`} className="ltr-value" size="sm">
          {text}
        </Anchor>
      );
    case 'enum':
      return (
        <Badge variant="light" color="gray">
          {t(`enums.${field.key}.${text}`, { defaultValue: text })}
        </Badge>
      );
    default:
      if (Array.isArray(value)) {
        return (
          <Group gap={4}>
            {value.map((v) => (
              <Badge key={valueText(v)} variant="outline" size="sm">
                {valueText(v)}
              </Badge>
            ))}
          </Group>
        );
      }
      return (
        <Text span className={LTR_TYPES.has(field.type) ? 'ltr-value' : undefined} style={{ whiteSpace: 'pre-wrap' }}>
          {text}
        </Text>
      );
  }
}
