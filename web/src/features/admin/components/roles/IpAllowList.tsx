import { ActionIcon, Button, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RolePolicy } from '../../api/roles.api';
import { validCidr } from './policy-model';

/** The networks the role's grants apply from (IPv4/IPv6 CIDR); empty means anywhere. */
export function IpAllowList({
  policy,
  onChange,
  serverError,
}: {
  policy: RolePolicy;
  onChange: (p: RolePolicy) => void;
  serverError?: string | undefined;
}) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const add = () => {
    const cidr = value.trim();
    // The API's own wording for a bad entry.
    if (!validCidr(cidr)) return setError(t('rolesPage.notCidr', { cidr }));
    if (policy.ipAllow.includes(cidr)) return setError(t('rolesPage.cidrTwice', { cidr }));
    if (policy.ipAllow.length >= 100) return setError(t('rolesPage.cidrMax'));
    onChange({ ...policy, ipAllow: [...policy.ipAllow, cidr] });
    setValue('');
    setError(null);
  };
  return (
    <Stack p="md" gap="md">
      <Text size="sm" c="dimmed">
        {t('rolesPage.ipHint')}
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <TextInput
          label={t('rolesPage.network')}
          description={
            <>
              {t('rolesPage.networkHint')}{' '}
              <span dir="ltr" className="ltr-value">
                10.0.0.0/8, 2001:db8::/32
              </span>
            </>
          }
          placeholder="192.0.2.0/24"
          value={value}
          maxLength={64}
          onChange={(e) => {
            setValue(e.currentTarget.value);
            setError(null);
          }}
          error={error ?? serverError}
          classNames={{ input: 'ltr-value' }}
          maw={520}
          inputContainer={(input) => (
            <Group gap="sm" wrap="nowrap" align="flex-start">
              <div style={{ flex: 1 }}>{input}</div>
              <Button type="submit" variant="light" leftSection={<IconPlus size={16} />} disabled={!value.trim()}>
                {t('rolesPage.addNetwork')}
              </Button>
            </Group>
          )}
        />
      </form>
      {policy.ipAllow.length === 0 ? (
        <Text size="sm" fw={500} data-testid="ip-anywhere">
          {t('rolesPage.anywhere')}
        </Text>
      ) : (
        <Table maw={520} verticalSpacing={4} data-testid="ip-allow">
          <Table.Tbody>
            {policy.ipAllow.map((cidr) => (
              <Table.Tr key={cidr}>
                <Table.Td>
                  <Text size="sm" className="ltr-value" ff="monospace">
                    {cidr}
                  </Text>
                </Table.Td>
                <Table.Td w={48}>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={t('rolesPage.removeNetwork', { cidr })}
                    onClick={() => onChange({ ...policy, ipAllow: policy.ipAllow.filter((x) => x !== cidr) })}
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
