import '@mantine/charts/styles.css';
import { AreaChart, BarChart } from '@mantine/charts';
import { Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMyAccess } from '../../../lib/access';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { PageHeader } from '../../../components/PageHeader';
import { EmptyState, LoadingState } from '../../../components/States';
import { minorUnits, useFormat } from '../../../lib/format';
import { useCurrentUser } from '../../../lib/session';
import { activitiesByDay, pipelineSummary } from '../api/dashboard.api';

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Paper withBorder p="lg" radius="md">
      <Text size="xs" c="dimmed" fw={700} tt="uppercase">
        {label}
      </Text>
      <Text fz={26} fw={700} mt={4}>
        {value}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
    </Paper>
  );
}

/** Pipeline value by stage and activities over the last 30 days. */
export function DashboardPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useCurrentUser();
  // Only what the person's roles can read is asked for (a contacts-only role has no pipeline to show).
  const access = useMyAccess();
  const noDeals = access.ready && !access.canRead('deals');
  const noActivities = access.ready && !access.canRead('activities');
  const pipeline = useQuery({
    queryKey: ['dashboard', 'pipeline'],
    queryFn: pipelineSummary,
    enabled: access.ready && !noDeals,
  });
  const activity = useQuery({
    queryKey: ['dashboard', 'activities'],
    queryFn: () => activitiesByDay(30),
    enabled: access.ready && !noActivities,
  });

  const stages = pipeline.data?.stages ?? [];
  const currency = pipeline.data?.currency ?? 'USD';
  const open = stages.filter((s) => s.kind === 'open');
  const won = stages.filter((s) => s.kind === 'won');
  const openValue = open.reduce((a, s) => a + s.value, 0);
  const wonValue = won.reduce((a, s) => a + s.value, 0);
  const openCount = open.reduce((a, s) => a + s.count, 0);
  const scale = 10 ** minorUnits(currency);
  const rtl = fmt.lang === 'fa';
  const activityTotal = (activity.data?.days ?? []).reduce((a, d) => a + d.count, 0);

  return (
    <>
      <PageHeader title={t('dashboard.greeting', { name: me.name })} description={t('dashboard.description')} />
      <Stack gap="lg">
        {pipeline.isError ? <ErrorAlert error={pipeline.error} /> : null}
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="lg">
          <Stat
            label={t('dashboard.openValue')}
            value={noDeals ? '—' : pipeline.data ? fmt.money(openValue, currency) : '…'}
          />
          <Stat label={t('dashboard.openDeals')} value={noDeals ? '—' : pipeline.data ? fmt.number(openCount) : '…'} />
          <Stat
            label={t('dashboard.wonValue')}
            value={noDeals ? '—' : pipeline.data ? fmt.money(wonValue, currency) : '…'}
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
          <Paper withBorder p="lg" radius="md">
            <Group justify="space-between" mb="md">
              <Title order={2} fz="lg">
                {t('dashboard.pipelineByStage')}
              </Title>
              <Text size="xs" c="dimmed">
                {pipeline.data?.pipeline?.name} · {currency}
              </Text>
            </Group>
            {noDeals ? (
              <EmptyState title={t('dashboard.noAccess')} />
            ) : pipeline.isPending ? (
              <LoadingState />
            ) : stages.every((s) => s.count === 0) ? (
              <EmptyState title={t('dashboard.noDeals')} />
            ) : (
              <BarChart
                h={280}
                data={stages.map((s) => ({ stage: s.stage, value: s.value / scale }))}
                dataKey="stage"
                series={[{ name: 'value', label: t('dashboard.value'), color: 'brand.6' }]}
                valueFormatter={(v) => fmt.money(Math.round(v * scale), currency)}
                xAxisProps={{ reversed: rtl }}
                yAxisProps={{
                  width: 90,
                  orientation: rtl ? 'right' : 'left',
                  tickFormatter: (v: number) => fmt.compact(v),
                }}
                gridAxis="y"
                tickLine="none"
              />
            )}
          </Paper>
          <Paper withBorder p="lg" radius="md">
            <Group justify="space-between" mb="md">
              <Title order={2} fz="lg">
                {t('dashboard.activityOverTime')}
              </Title>
              <Text size="xs" c="dimmed">
                {t('dashboard.last30', { count: activityTotal, total: fmt.number(activityTotal) })}
              </Text>
            </Group>
            {noActivities ? (
              <EmptyState title={t('dashboard.noAccess')} />
            ) : activity.isPending ? (
              <LoadingState />
            ) : activity.isError ? (
              <ErrorAlert error={activity.error} />
            ) : (
              <AreaChart
                h={280}
                data={(activity.data.days ?? []).map((d) => ({ day: fmt.dayMonth(new Date(d.day)), count: d.count }))}
                dataKey="day"
                series={[{ name: 'count', label: t('dashboard.activities'), color: 'teal.6' }]}
                valueFormatter={(v) => fmt.number(v)}
                xAxisProps={{ reversed: rtl }}
                yAxisProps={{
                  tickFormatter: (v: number) => fmt.number(v),
                  allowDecimals: false,
                  orientation: rtl ? 'right' : 'left',
                }}
                curveType="monotone"
                gridAxis="y"
                tickLine="none"
                withDots={false}
              />
            )}
          </Paper>
        </SimpleGrid>
      </Stack>
    </>
  );
}
