import { Badge, Group, Paper, Progress, SimpleGrid, Stack, Table, Text, ThemeIcon, Title } from '@mantine/core';
import { IconKey, IconRefresh, IconShieldCheck } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { PageHeader } from '../../../components/PageHeader';
import { LoadingState } from '../../../components/States';
import { useFormat } from '../../../lib/format';
import { KEY_STATUS_KEY, keyStatus, type KeyStatus } from '../api/keys.api';

function Card({ icon, label, children }: { icon: ReactNode; label: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md">
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <ThemeIcon variant="light" size={36} radius="md">
          {icon}
        </ThemeIcon>
        <Stack gap={2}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            {label}
          </Text>
          {children}
        </Stack>
      </Group>
    </Paper>
  );
}

function Rotation({ s }: { s: KeyStatus }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const r = s.rotation;
  if (!r) return <Text fw={600}>{t('keys.neverRotated')}</Text>;
  const parts = Object.values(r.progress);
  const done = parts.filter((p) => p.done).length;
  const rows = parts.reduce((n, p) => n + p.rows, 0);
  const finished = r.finishedAt !== null;
  return (
    <Stack gap={4}>
      <Group gap={6}>
        <Text fw={600}>{finished ? t('keys.rotationDone') : t('keys.rotationRunning')}</Text>
        <Badge size="sm" variant="light" color={finished ? 'green' : 'blue'} className="ltr-value">
          {r.state}
        </Badge>
      </Group>
      {!finished && parts.length > 0 ? (
        <Progress value={(done / parts.length) * 100} size="sm" aria-label={t('keys.rotation')} />
      ) : null}
      <Text size="xs" c="dimmed">
        {t('keys.rotationDetail', {
          rows: fmt.number(rows),
          started: fmt.dateTime(r.startedAt),
          finished: finished ? fmt.dateTime(r.finishedAt) : '—',
        })}
      </Text>
    </Stack>
  );
}

/** The state of field encryption (what `separ keys status` prints): never key material, only versions and progress. */
export function KeyStatusPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const status = useQuery({ queryKey: KEY_STATUS_KEY, queryFn: keyStatus, refetchInterval: 30_000 });
  return (
    <>
      <PageHeader title={t('nav.keys')} description={t('keys.hint')} />
      {status.isPending ? (
        <LoadingState />
      ) : status.isError ? (
        <ErrorAlert error={status.error} />
      ) : (
        <Stack gap="lg">
          <SimpleGrid cols={{ base: 1, md: 3 }} data-testid="key-status">
            <Card icon={<IconShieldCheck size={20} />} label={t('keys.root')}>
              <Text fw={600}>
                {t(`keys.rootKinds.${status.data.root.kind}`, { defaultValue: status.data.root.kind })}
              </Text>
              <Text size="xs" c="dimmed" className="ltr-value">
                {status.data.root.id}
              </Text>
            </Card>
            <Card icon={<IconKey size={20} />} label={t('keys.activeKek')}>
              {status.data.keks
                .filter((k) => k.status === 'active')
                .map((k) => (
                  <Text fw={600} key={k.id} data-testid="active-kek">
                    {t('keys.version', { v: fmt.number(k.version) })}
                  </Text>
                ))}
              <Text size="xs" c={status.data.deksOnOldKeks > 0 ? 'orange.8' : 'dimmed'}>
                {t('keys.onOld', { n: fmt.number(status.data.deksOnOldKeks) })}
              </Text>
              <Text size="xs" c={status.data.secretsOnOldKeks > 0 ? 'orange.8' : 'dimmed'}>
                {t('keys.secretsOnOld', { n: fmt.number(status.data.secretsOnOldKeks) })}
              </Text>
            </Card>
            <Card icon={<IconRefresh size={20} />} label={t('keys.rotation')}>
              <Rotation s={status.data} />
            </Card>
          </SimpleGrid>
          <Paper withBorder radius="md">
            <Title order={2} fz="md" p="md" pb={0}>
              {t('keys.keks')}
            </Title>
            <Table.ScrollContainer minWidth={560}>
              <Table verticalSpacing="xs" horizontalSpacing="md">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('keys.versionCol')}</Table.Th>
                    <Table.Th>{t('admin.status')}</Table.Th>
                    <Table.Th>{t('keys.subjectKeys')}</Table.Th>
                    <Table.Th>{t('common.created')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {status.data.keks.map((k) => (
                    <Table.Tr key={k.id}>
                      <Table.Td>{fmt.number(k.version)}</Table.Td>
                      <Table.Td>
                        <Badge size="sm" variant="light" color={k.status === 'active' ? 'green' : 'gray'}>
                          {t(`keys.states.${k.status}`, { defaultValue: k.status })}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{fmt.number(k.deks)}</Table.Td>
                      <Table.Td>{fmt.dateTime(k.createdAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Text size="xs" c="dimmed" px="md" pb="md">
              {t('keys.algorithms', { cipher: status.data.cipher, hash: status.data.blindHash })}
            </Text>
          </Paper>
        </Stack>
      )}
    </>
  );
}
