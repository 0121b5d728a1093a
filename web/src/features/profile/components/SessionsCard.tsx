import { Badge, Button, Group, Paper, Table, Text, Title } from '@mantine/core';
import { notify } from '../../../lib/notify';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { LoadingState } from '../../../components/States';
import { useFormat } from '../../../lib/format';
import { endAllSessions, endSession, listSessions } from '../api/profile.api';

function browserOf(ua: string | null): string {
  if (!ua) return '—';
  const m = /(Firefox|Edg|Chrome|Safari)\/[\d.]+/.exec(ua);
  const os = /(Windows|Mac OS X|Linux|Android|iPhone)/.exec(ua)?.[1];
  return [m?.[1]?.replace('Edg', 'Edge'), os].filter(Boolean).join(' · ') || ua.slice(0, 40);
}

export function SessionsCard() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const sessions = useQuery({ queryKey: ['me', 'sessions'], queryFn: listSessions });
  const done = () => {
    void qc.invalidateQueries({ queryKey: ['me', 'sessions'] });
    notify({ color: 'green', message: t('profile.sessionsEnded') });
  };
  const endOne = useMutation({ mutationFn: endSession, onSuccess: done });
  const endOthers = useMutation({ mutationFn: () => endAllSessions(false), onSuccess: done });
  return (
    <Paper withBorder p="lg" radius="md">
      <Group justify="space-between" mb="md">
        <div>
          <Title order={2} fz="lg">
            {t('profile.sessions')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('profile.sessionsHint')}
          </Text>
        </div>
        <Button color="red" variant="light" loading={endOthers.isPending} onClick={() => endOthers.mutate()}>
          {t('profile.signOutEverywhere')}
        </Button>
      </Group>
      {endOthers.isError ? <ErrorAlert error={endOthers.error} /> : null}
      {sessions.isPending ? (
        <LoadingState />
      ) : sessions.isError ? (
        <ErrorAlert error={sessions.error} />
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('profile.device')}</Table.Th>
                <Table.Th>{t('profile.ip')}</Table.Th>
                <Table.Th>{t('profile.lastSeen')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sessions.data.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    <Group gap="xs">
                      <Text size="sm">{browserOf(s.userAgent)}</Text>
                      {s.current ? (
                        <Badge size="xs" color="green" variant="light">
                          {t('profile.thisDevice')}
                        </Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" className="ltr-value">
                      {s.ip ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{fmt.dateTime(s.lastSeenAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    {s.current ? null : (
                      <Button size="xs" variant="subtle" color="red" onClick={() => endOne.mutate(s.id)}>
                        {t('profile.endSession')}
                      </Button>
                    )}
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
