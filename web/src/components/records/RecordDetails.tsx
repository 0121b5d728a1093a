import { Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CrmObject, CrmRecord, CustomValue, FieldDef } from '../../lib/api/types';
import { FUTURE, useCapabilities } from '../../lib/capabilities';
import { isSensitive, useFieldLabel } from '../../lib/fields';
import { ClassificationBadge } from './ClassificationBadge';
import { FieldValue } from './FieldValue';
import { looksMasked } from './reveal';
import { RevealButton } from './RevealButton';

/** Every field of a record the actor may read, with its classification; masked values can be revealed. */
export function RecordDetails({
  object,
  record,
  fields,
  hidden = [],
  renderValue,
}: {
  object: CrmObject;
  record: CrmRecord;
  fields: FieldDef[];
  hidden?: string[];
  renderValue?: (f: FieldDef, value: unknown) => ReactNode | undefined;
}) {
  const { t } = useTranslation();
  const labelOf = useFieldLabel();
  const caps = useCapabilities();
  const canReveal = caps.has(FUTURE.reveal(object), 'post');
  const [revealed, setRevealed] = useState<Record<string, CustomValue>>({});
  const values = record as unknown as Record<string, unknown>;
  const shown = fields.filter((f) => !hidden.includes(f.key) && (f.builtin ? f.key in values : true));

  return (
    <Paper withBorder p="lg" radius="md">
      <Title order={2} fz="lg" mb="md">
        {t('record.details')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg" verticalSpacing="md">
        {shown.map((f) => {
          const raw = f.builtin ? values[f.key] : record.custom[f.key];
          const value = f.key in revealed ? revealed[f.key] : raw;
          const masked = !(f.key in revealed) && isSensitive(f.classification) && looksMasked(values, f.key);
          return (
            <Stack key={f.id} gap={2} data-testid={`field-${f.key}`}>
              <Group gap={6}>
                <Text size="xs" c="dimmed" fw={600}>
                  {labelOf(f)}
                </Text>
                {isSensitive(f.classification) || f.classification === 'confidential' ? (
                  <ClassificationBadge value={f.classification} />
                ) : null}
              </Group>
              <Group gap={6} wrap="nowrap">
                {renderValue?.(f, value) ?? <FieldValue field={f} value={value} record={values} />}
                {masked && canReveal ? (
                  <RevealButton
                    object={object}
                    id={record.id}
                    field={f.key}
                    label={labelOf(f)}
                    onRevealed={(v) => setRevealed((r) => ({ ...r, [f.key]: v }))}
                  />
                ) : null}
              </Group>
            </Stack>
          );
        })}
      </SimpleGrid>
    </Paper>
  );
}
