import { Badge, Group, SegmentedControl, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../../components/ErrorAlert';
import { ClassificationBadge } from '../../../../components/records/ClassificationBadge';
import { LoadingState } from '../../../../components/States';
import type { CrmObject } from '../../../../lib/api/types';
import { useFieldLabel, useFields } from '../../../../lib/fields';
import type { RolePolicy } from '../../api/roles.api';
import { ModeSelect } from './ModeSelect';
import {
  classificationMode,
  effectiveMode,
  fieldException,
  OBJECTS,
  policyFieldKey,
  setFieldException,
  type Mode,
} from './policy-model';

const MODE_COLOR: Record<Mode, string> = {
  none: 'gray',
  masked: 'orange',
  'masked-write': 'yellow',
  read: 'blue',
  write: 'green',
};

/** Per-field exceptions to the classification rules, for built-in and custom fields of one object at a time. */
export function FieldExceptions({ policy, onChange }: { policy: RolePolicy; onChange: (p: RolePolicy) => void }) {
  const { t } = useTranslation();
  const [object, setObject] = useState<CrmObject>('contacts');
  const fields = useFields(object);
  const labelOf = useFieldLabel();
  return (
    <>
      <Group px="md" py="sm">
        <SegmentedControl
          aria-label={t('rolesPage.exceptionsFor')}
          value={object}
          onChange={(v) => setObject(v)}
          data={OBJECTS.map((o) => ({ value: o, label: t(`nav.${o}`) }))}
        />
      </Group>
      {fields.isPending ? (
        <LoadingState />
      ) : fields.isError ? (
        <ErrorAlert error={fields.error} />
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="xs" horizontalSpacing="md" data-testid="field-exceptions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.field')}</Table.Th>
                <Table.Th>{t('admin.classification')}</Table.Th>
                <Table.Th>{t('rolesPage.exception')}</Table.Th>
                <Table.Th>{t('rolesPage.result')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {fields.data.map((f) => {
                const key = policyFieldKey(f);
                const label = labelOf(f);
                const fromClass =
                  classificationMode(policy, object, f.classification) ??
                  classificationMode(policy, '*', f.classification) ??
                  'none';
                const result = effectiveMode(policy, object, key, f.classification);
                return (
                  <Table.Tr key={f.id} data-field={key}>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Text size="sm" fw={500}>
                          {label}
                        </Text>
                        {f.builtin ? null : (
                          <Badge size="xs" variant="outline" color="grape">
                            {t('admin.custom')}
                          </Badge>
                        )}
                      </Group>
                      <Text size="xs" c="dimmed" className="ltr-value">
                        {key}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <ClassificationBadge value={f.classification} />
                    </Table.Td>
                    <Table.Td>
                      <ModeSelect
                        label={t('rolesPage.exceptionOf', { field: label })}
                        width={240}
                        value={fieldException(policy, object, key)}
                        inheritLabel={t('rolesPage.inheritClass', { mode: t(`rolesPage.modes.${fromClass}`) })}
                        onChange={(m) => onChange(setFieldException(policy, object, key, m))}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={MODE_COLOR[result]}>
                        {t(`rolesPage.modes.${result}`)}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </>
  );
}
