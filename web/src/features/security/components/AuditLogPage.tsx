import { Badge, Group, Paper, Select, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { PageHeader } from '../../../components/PageHeader';
import { EmptyState, LoadingState } from '../../../components/States';
import { callContract } from '../../../lib/api/client';
import { FUTURE, useCapabilities } from '../../../lib/capabilities';
import { useFormat } from '../../../lib/format';
import { useCurrentUser } from '../../../lib/session';
import { verifyLatestCheckpoint } from '../api/checkpoint';

interface AuditEvent {
  seq?: number;
  time?: string;
  at?: string;
  action?: string;
  outcome?: string;
  ip?: string | null;
  actor?: { id?: string | null; type?: string; name?: string; email?: string } | string;
  target?: { type?: string; id?: string } | null;
}

/** A long id shortened for the table (the full one in the tooltip): 01a24556…6e48. */
const shortId = (id: string): string => (id.length > 16 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id);

function Id({ value }: { value: string }) {
  return (
    <Tooltip label={value}>
      <Text span size="xs" className="ltr-value" ff="monospace" tabIndex={0}>
        {shortId(value)}
      </Text>
    </Tooltip>
  );
}

/**
 * The audit log viewer: filter by action, actor and outcome; the log's verification status on top.
 * Reached only when the server's audit API exists (the navigation hides it otherwise).
 */
export function AuditLogPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const caps = useCapabilities();
  const me = useCurrentUser();
  const [action, setAction] = useState('');
  const [outcome, setOutcome] = useState<string | null>(null);
  const [actionQ] = useDebouncedValue(action, 300);
  const available = caps.has(FUTURE.audit);
  const params = caps.queryParams(FUTURE.audit);
  const query = new URLSearchParams({ limit: '100' });
  if (actionQ && params.includes('action')) query.set('action', actionQ);
  if (outcome && params.includes('outcome')) query.set('outcome', outcome);
  const events = useQuery({
    queryKey: ['audit', query.toString()],
    enabled: available,
    queryFn: () => callContract<{ items: AuditEvent[] }>('GET', `${FUTURE.audit}?${query.toString()}`),
  });
  const verify = useQuery({
    queryKey: ['audit', 'checkpoint'],
    enabled: caps.has(FUTURE.auditCheckpoint),
    queryFn: verifyLatestCheckpoint,
  });
  if (!caps.ready) return <LoadingState />;
  if (!available) return <EmptyState title={t('audit.unavailable')} hint={t('audit.unavailableHint')} />;
  const ok = verify.data?.verified;

  return (
    <>
      <PageHeader
        title={t('nav.audit')}
        description={t('audit.description')}
        badge={
          verify.isPending && caps.has(FUTURE.auditCheckpoint) ? (
            <Badge color="gray" variant="light">
              {t('audit.verifyPending')}
            </Badge>
          ) : ok === undefined ? null : (
            <Tooltip
              multiline
              w={320}
              label={
                ok
                  ? t('audit.checkpoint', { n: fmt.number(verify.data?.treeSize ?? 0), key: verify.data?.keyId ?? '' })
                  : (verify.data?.problem ?? '')
              }
            >
              <Badge color={ok ? 'green' : 'red'} variant="light" data-testid="audit-verification" tabIndex={0}>
                {ok ? t('audit.verified') : t('audit.tampered')}
              </Badge>
            </Tooltip>
          )
        }
      />
      <Paper withBorder radius="md">
        <Group p="md" gap="sm">
          <TextInput
            aria-label={t('audit.action')}
            placeholder={t('audit.action')}
            value={action}
            onChange={(e) => setAction(e.currentTarget.value)}
          />
          <Select
            aria-label={t('audit.outcome')}
            placeholder={t('audit.outcome')}
            clearable
            data={[
              { value: 'success', label: t('audit.success') },
              { value: 'failure', label: t('audit.failure') },
            ]}
            value={outcome}
            onChange={setOutcome}
          />
        </Group>
        {events.isPending ? (
          <LoadingState />
        ) : events.isError ? (
          <ErrorAlert error={events.error} />
        ) : events.data.items.length === 0 ? (
          <EmptyState title={t('audit.empty')} />
        ) : (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="xs" horizontalSpacing="md" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('audit.time')}</Table.Th>
                  <Table.Th>{t('audit.actor')}</Table.Th>
                  <Table.Th>{t('audit.action')}</Table.Th>
                  <Table.Th>{t('audit.target')}</Table.Th>
                  <Table.Th>{t('audit.outcome')}</Table.Th>
                  <Table.Th>{t('profile.ip')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {events.data.items.map((e, i) => (
                  <Table.Tr key={e.seq ?? i}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmt.dateTime(e.time ?? e.at)}</Table.Td>
                    <Table.Td>
                      {typeof e.actor === 'string' ? (
                        e.actor
                      ) : e.actor?.id === me.id ? (
                        <Text size="sm" fw={500}>
                          {t('audit.you')}
                        </Text>
                      ) : e.actor?.name || e.actor?.email ? (
                        (e.actor.name ?? e.actor.email)
                      ) : e.actor?.id ? (
                        <Id value={e.actor.id} />
                      ) : (
                        <Text size="sm" c="dimmed">
                          {t(`audit.actorTypes.${e.actor?.type ?? 'system'}`, { defaultValue: e.actor?.type ?? '—' })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" className="ltr-value">
                        {e.action}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {e.target ? (
                        <Text size="xs" className="ltr-value">
                          {e.target.type ?? ''} {e.target.id ? <Id value={e.target.id} /> : null}
                        </Text>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Badge
                        size="sm"
                        style={{ overflow: 'visible' }}
                        color={e.outcome === 'success' ? 'green' : 'red'}
                        variant="light"
                      >
                        {e.outcome === 'success' ? t('audit.success') : t('audit.failure')}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" className="ltr-value">
                        {e.ip ?? ''}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
    </>
  );
}
