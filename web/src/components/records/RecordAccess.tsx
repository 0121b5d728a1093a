import { Paper, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { callContract } from '../../lib/api/client';
import { isApiError } from '../../lib/api/problem';
import type { CrmObject } from '../../lib/api/types';
import { FUTURE, useCapabilities } from '../../lib/capabilities';
import { useFormat } from '../../lib/format';
import { canReadAudit, useMe } from '../../lib/session';
import { ErrorAlert } from '../ErrorAlert';
import { LoadingState } from '../States';

interface AccessEvent {
  seq?: number;
  time?: string;
  at?: string;
  action?: string;
  actor?: { name?: string; email?: string; id?: string } | string;
  outcome?: string;
}

/**
 * "Who accessed this record": the audit events whose target is this record. Shown only once the
 * audit API exists and lets the viewer filter by target; otherwise nothing (never made-up data).
 */
export function RecordAccess({ object, id }: { object: CrmObject; id: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const caps = useCapabilities();
  const params = caps.queryParams(FUTURE.audit);
  const { data: me } = useMe();
  const enabled = caps.has(FUTURE.audit) && params.includes('targetId') && Boolean(me && canReadAudit(me));
  const q = useQuery({
    queryKey: ['record-access', object, id],
    enabled,
    queryFn: () =>
      callContract<{ items: AccessEvent[] }>(
        'GET',
        `${FUTURE.audit}?${new URLSearchParams({ ...(params.includes('targetType') ? { targetType: object } : {}), targetId: id, limit: '20' }).toString()}`,
      ),
  });
  // Only roles that may read the audit log see who accessed a record; for others the panel is absent.
  if (!enabled || (q.isError && isApiError(q.error) && q.error.status === 403)) return null;
  return (
    <Paper withBorder p="lg" radius="md">
      <Title order={2} fz="lg" mb="sm">
        {t('record.whoAccessed')}
      </Title>
      {q.isPending ? (
        <LoadingState />
      ) : q.isError ? (
        <ErrorAlert error={q.error} />
      ) : q.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('record.noAccess')}
        </Text>
      ) : (
        <Table>
          <Table.Tbody>
            {q.data.items.map((e, i) => (
              <Table.Tr key={e.seq ?? i}>
                <Table.Td>
                  {typeof e.actor === 'string' ? e.actor : (e.actor?.name ?? e.actor?.email ?? e.actor?.id ?? '')}
                </Table.Td>
                <Table.Td>{e.action}</Table.Td>
                <Table.Td>{fmt.dateTime(e.time ?? e.at)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
