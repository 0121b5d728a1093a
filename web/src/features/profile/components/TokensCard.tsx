import { Alert, Button, Code, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { LoadingState } from '../../../components/States';
import { useFormat } from '../../../lib/format';
import { notify } from '../../../lib/notify';
import { createToken, listTokens, revokeToken, TOKENS_KEY } from '../api/tokens.api';

/**
 * The person's API tokens: name, prefix, last use; a new one is shown once. Creating one is a sensitive action:
 * after the step-up window the "Confirm it is you" dialog asks first, then the token is created.
 */
export function TokensCard() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const tokens = useQuery({ queryKey: TOKENS_KEY, queryFn: listTokens });
  const refresh = () => void qc.invalidateQueries({ queryKey: TOKENS_KEY });
  const create = useMutation({
    mutationFn: () => createToken(name.trim()),
    onSuccess: () => {
      setName('');
      refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: revokeToken,
    onSuccess: () => {
      refresh();
      notify({ color: 'green', message: t('profile.tokenRevoked') });
    },
  });

  return (
    <Paper withBorder p="lg" radius="md">
      <Title order={2} fz="lg">
        {t('profile.tokens')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('profile.tokensHint')}
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) create.mutate();
        }}
      >
        <Group align="flex-end" gap="sm" mb="md">
          <TextInput
            label={t('profile.tokenName')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            maxLength={100}
            w={280}
          />
          <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
            {t('profile.createToken')}
          </Button>
        </Group>
      </form>
      {create.isError ? <ErrorAlert error={create.error} /> : null}
      {create.data ? (
        <Alert color="green" title={t('profile.tokenCreated')} mb="md">
          <Stack gap="xs">
            <Text size="sm">{t('profile.tokenOnce')}</Text>
            <Code fz="sm" className="ltr-value" data-testid="new-token" style={{ wordBreak: 'break-all' }}>
              {create.data.token}
            </Code>
          </Stack>
        </Alert>
      ) : null}
      {revoke.isError ? <ErrorAlert error={revoke.error} /> : null}
      {tokens.isPending ? (
        <LoadingState />
      ) : tokens.isError ? (
        <ErrorAlert error={tokens.error} />
      ) : tokens.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('profile.noTokens')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('profile.tokenName')}</Table.Th>
                <Table.Th>{t('profile.tokenPrefix')}</Table.Th>
                <Table.Th>{t('profile.lastUsed')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.data.map((tk) => (
                <Table.Tr key={tk.id}>
                  <Table.Td>
                    <Text size="sm">{tk.name}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" className="ltr-value">
                      {tk.prefix}…
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{tk.lastUsedAt ? fmt.dateTime(tk.lastUsedAt) : t('profile.neverUsed')}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      onClick={() => revoke.mutate(tk.id)}
                      aria-label={t('profile.revokeToken', { name: tk.name })}
                    >
                      {t('profile.revoke')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}
