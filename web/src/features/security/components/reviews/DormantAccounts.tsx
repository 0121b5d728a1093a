import { Alert, Badge, Button, Group, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconUserOff } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../../components/ErrorAlert';
import { EmptyState, LoadingState } from '../../../../components/States';
import { useFormat } from '../../../../lib/format';
import { disableDormant, dormantReport, DORMANT_KEY } from '../../api/access-review.api';

/** Accounts with no sign-in or API use within the limit, and "disable" (never the last administrator). */
export function DormantAccounts() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const report = useQuery({ queryKey: DORMANT_KEY, queryFn: dormantReport });
  const [confirming, confirm] = useDisclosure(false);
  const disable = useMutation({
    mutationFn: disableDormant,
    onSuccess: async () => {
      confirm.close();
      await qc.invalidateQueries({ queryKey: DORMANT_KEY });
    },
  });
  const accounts = report.data?.accounts ?? [];
  return (
    <Paper withBorder radius="md" mt="lg">
      <Group justify="space-between" p="md" wrap="wrap">
        <div>
          <Title order={2} fz="lg">
            {t('reviews.dormantTitle')}
          </Title>
          <Text size="sm" c="dimmed">
            {report.data
              ? t('reviews.dormantHint', {
                  days: fmt.number(report.data.dormantAfterDays),
                  cutoff: fmt.date(report.data.cutoff),
                })
              : t('reviews.dormantHintShort')}
          </Text>
        </div>
        <Button
          color="red"
          variant="light"
          leftSection={<IconUserOff size={16} />}
          disabled={accounts.length === 0}
          onClick={confirm.open}
        >
          {t('reviews.disableDormant')}
        </Button>
      </Group>
      {disable.data ? (
        <Alert
          color={disable.data.skipped.length ? 'yellow' : 'green'}
          variant="light"
          mx="md"
          mb="md"

          title={t('reviews.disabledN', { n: fmt.number(disable.data.disabled.length) })}
        >
          {disable.data.skipped.map((s) => (
            <Text size="sm" key={s.userId}>
              {t('reviews.skipped', { name: s.name, reason: s.reason })}
            </Text>
          ))}
        </Alert>
      ) : null}
      {report.isPending ? (
        <LoadingState />
      ) : report.isError ? (
        <ErrorAlert error={report.error} />
      ) : accounts.length === 0 ? (
        <EmptyState title={t('reviews.noDormant')} />
      ) : (
        <Table.ScrollContainer minWidth={680}>
          <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="dormant-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('reviews.user')}</Table.Th>
                <Table.Th>{t('admin.roles')}</Table.Th>
                <Table.Th>{t('reviews.lastActivity')}</Table.Th>
                <Table.Th>{t('reviews.idleDays')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {accounts.map((a) => (
                <Table.Tr key={a.userId}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {a.name}
                    </Text>
                    <Text size="xs" c="dimmed" className="ltr-value">
                      {a.email}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {a.roles.map((r) => (
                        <Badge key={r} size="sm" variant="light">
                          {t(`roles.${r}`, { defaultValue: r })}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>{a.lastActivityAt ? fmt.dateTime(a.lastActivityAt) : t('reviews.never')}</Table.Td>
                  <Table.Td>{fmt.number(a.idleDays)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal opened={confirming} onClose={confirm.close} title={t('reviews.disableDormant')}>
        <Stack>
          <Text size="sm">{t('reviews.disableText', { n: fmt.number(accounts.length) })}</Text>
          {disable.isError ? <ErrorAlert error={disable.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={confirm.close}>
              {t('common.cancel')}
            </Button>
            <Button color="red" loading={disable.isPending} onClick={() => disable.mutate()}>
              {t('reviews.disableConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
