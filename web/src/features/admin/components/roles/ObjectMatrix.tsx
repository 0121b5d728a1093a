import { Checkbox, SegmentedControl, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RolePolicy } from '../../api/roles.api';
import { grantOf, OBJECTS, OPS, SCOPES, setScope, toggleOp } from './policy-model';

/** Objects × operations, with the record scope per object (own / team / all). */
export function ObjectMatrix({ policy, onChange }: { policy: RolePolicy; onChange: (p: RolePolicy) => void }) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="object-matrix">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('rolesPage.object')}</Table.Th>
            {OPS.map((op) => (
              <Table.Th key={op} ta="center">
                {t(`rolesPage.ops.${op}`)}
              </Table.Th>
            ))}
            <Table.Th>{t('rolesPage.scope')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {OBJECTS.map((o) => {
            const g = grantOf(policy, o);
            const objectName = t(`nav.${o}`);
            return (
              <Table.Tr key={o}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {objectName}
                  </Text>
                </Table.Td>
                {OPS.map((op) => (
                  <Table.Td key={op}>
                    <Checkbox
                      mx="auto"
                      w="fit-content"
                      aria-label={t('rolesPage.opOn', { op: t(`rolesPage.ops.${op}`), object: objectName })}
                      checked={g?.ops.includes(op) ?? false}
                      onChange={(e) => onChange(toggleOp(policy, o, op, e.currentTarget.checked))}
                    />
                  </Table.Td>
                ))}
                <Table.Td>
                  {g ? (
                    <SegmentedControl
                      size="xs"
                      aria-label={t('rolesPage.scopeOf', { object: objectName })}
                      value={g.scope}
                      onChange={(v) => onChange(setScope(policy, o, v))}
                      data={SCOPES.map((s) => ({ value: s, label: t(`rolesPage.scopes.${s}`) }))}
                    />
                  ) : (
                    <Text size="sm" c="dimmed">
                      {t('rolesPage.noAccess')}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
