import { Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ClassificationBadge } from '../../../../components/records/ClassificationBadge';
import type { RolePolicy } from '../../api/roles.api';
import { ModeSelect } from './ModeSelect';
import { CLASSIFICATIONS, classificationMode, OBJECTS, setClassificationMode } from './policy-model';

/**
 * Field modes by classification: one rule for every object, and per-object rules that override it.
 * Anything left unset is "none" (deny by default).
 */
export function ClassificationModes({ policy, onChange }: { policy: RolePolicy; onChange: (p: RolePolicy) => void }) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={940}>
      <Table verticalSpacing="xs" horizontalSpacing="sm" data-testid="classification-modes">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('admin.classification')}</Table.Th>
            <Table.Th>{t('rolesPage.everyObject')}</Table.Th>
            {OBJECTS.map((o) => (
              <Table.Th key={o}>{t(`nav.${o}`)}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {CLASSIFICATIONS.map((c) => {
            const cName = t(`classification.${c}`);
            const base = classificationMode(policy, '*', c) ?? 'none';
            return (
              <Table.Tr key={c}>
                <Table.Td>
                  <ClassificationBadge value={c} />
                </Table.Td>
                <Table.Td>
                  <ModeSelect
                    label={t('rolesPage.modeOfEvery', { classification: cName })}
                    value={classificationMode(policy, '*', c)}
                    onChange={(m) => onChange(setClassificationMode(policy, '*', c, m))}
                  />
                </Table.Td>
                {OBJECTS.map((o) => (
                  <Table.Td key={o}>
                    <ModeSelect
                      label={t('rolesPage.modeOf', { classification: cName, object: t(`nav.${o}`) })}
                      width={150}
                      value={classificationMode(policy, o, c)}
                      inheritLabel={t('rolesPage.inherit', { mode: t(`rolesPage.modes.${base}`) })}
                      onChange={(m) => onChange(setClassificationMode(policy, o, c, m))}
                    />
                  </Table.Td>
                ))}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed" mt="xs" px="sm">
        {t('rolesPage.modesHint')}
      </Text>
    </Table.ScrollContainer>
  );
}
