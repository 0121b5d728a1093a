import { Checkbox, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Classification } from '../../../../lib/api/types';
import type { RolePolicy } from '../../api/roles.api';
import { CAPABILITIES, CLASSIFICATIONS, toggleIn, type Capability } from './policy-model';

const REVEALABLE: Classification[] = CLASSIFICATIONS.filter(
  (c) => c === 'confidential' || c === 'restricted' || c === 'pci',
);

/** What the role may reveal (with a reason), and its administrative capabilities. */
export function GrantsPanel({ policy, onChange }: { policy: RolePolicy; onChange: (p: RolePolicy) => void }) {
  const { t } = useTranslation();
  return (
    <Stack p="md" gap="lg">
      <div>
        <Title order={3} fz="md" mb={4}>
          {t('rolesPage.reveal')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('rolesPage.revealHint')}
        </Text>
        <Checkbox.Group
          aria-label={t('rolesPage.reveal')}
          value={[...policy.reveal]}
          onChange={(v) => onChange({ ...policy, reveal: CLASSIFICATIONS.filter((c) => v.includes(c)) })}
        >
          <Stack gap="xs">
            {REVEALABLE.map((c) => (
              <Checkbox key={c} value={c} label={t(`classification.${c}`)} />
            ))}
          </Stack>
        </Checkbox.Group>
      </div>
      <div>
        <Title order={3} fz="md" mb={4}>
          {t('rolesPage.capabilities')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('rolesPage.capabilitiesHint')}
        </Text>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
          {CAPABILITIES.map((c) => (
            <Checkbox
              key={c}
              label={t(`capabilities.${c}.label`)}
              description={t(`capabilities.${c}.hint`)}
              checked={policy.capabilities.includes(c)}
              onChange={(e) =>
                onChange({
                  ...policy,
                  capabilities: toggleIn<Capability>(policy.capabilities, c, e.currentTarget.checked, CAPABILITIES),
                })
              }
            />
          ))}
        </SimpleGrid>
      </div>
    </Stack>
  );
}
