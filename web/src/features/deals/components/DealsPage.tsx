import { Anchor, Badge, Group, SegmentedControl, Select, Text } from '@mantine/core';
import { IconColumns3, IconTable } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { PageHeader } from '../../../components/PageHeader';
import { CreateRecordButton } from '../../../components/records/CreateRecordButton';
import { RecordListView, type ColumnDef } from '../../../components/records/RecordListView';
import { LoadingState } from '../../../components/States';
import { useFormat } from '../../../lib/format';
import { usePipelines, type DealRecord } from '../api/deals.api';
import { DealBoard } from './DealBoard';
import { dealFormOverrides } from './deal-form';

/** Deals as a pipeline board (drag between stages) or as a table. */
export function DealsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const pipelines = usePipelines();
  const view = params.get('view') === 'table' ? 'table' : 'board';
  if (pipelines.isPending) return <LoadingState />;
  if (pipelines.isError) return <ErrorAlert error={pipelines.error} />;
  const list = pipelines.data;
  const pipeline = list.find((p) => p.id === params.get('pipeline')) ?? list.find((p) => p.isDefault) ?? list[0];
  if (!pipeline) return <ErrorAlert error={new Error('no pipeline')} />;
  const stageName = (id: string) => list.flatMap((p) => p.stages).find((s) => s.id === id)?.name ?? '—';
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    next.set(k, v);
    setParams(next, { replace: true });
  };

  const columns: ColumnDef<DealRecord>[] = [
    {
      key: 'title',
      label: t('fields.deals.title'),
      sortKey: 'title',
      render: (d) => (
        <Anchor component={Link} to={`/deals/${d.id}`} size="sm" fw={500} onClick={(e) => e.stopPropagation()}>
          {d.title}
        </Anchor>
      ),
    },
    {
      key: 'amount',
      label: t('fields.deals.amount'),
      sortKey: 'amount',
      render: (d) => <Text size="sm">{fmt.money(d.amount, d.currency)}</Text>,
    },
    {
      key: 'stage',
      label: t('fields.deals.stageId'),
      render: (d) => <Badge variant="light">{stageName(d.stageId ?? '')}</Badge>,
    },
    {
      key: 'closeDate',
      label: t('fields.deals.closeDate'),
      sortKey: 'closeDate',
      render: (d) => <Text size="sm">{fmt.date(d.closeDate)}</Text>,
    },
    {
      key: 'createdAt',
      label: t('common.created'),
      sortKey: 'createdAt',
      render: (d) => <Text size="sm">{fmt.date(d.createdAt)}</Text>,
    },
  ];

  return (
    <>
      <PageHeader
        title={t('nav.deals')}
        description={t('deals.description')}
        actions={
          <>
            <SegmentedControl
              value={view}
              onChange={(v) => set('view', v)}
              aria-label={t('deals.view')}
              data={[
                {
                  value: 'board',
                  label: (
                    <Group gap={6} wrap="nowrap">
                      <IconColumns3 size={16} />
                      {t('deals.board')}
                    </Group>
                  ),
                },
                {
                  value: 'table',
                  label: (
                    <Group gap={6} wrap="nowrap">
                      <IconTable size={16} />
                      {t('deals.table')}
                    </Group>
                  ),
                },
              ]}
            />
            {list.length > 1 ? (
              <Select
                aria-label={t('fields.deals.pipelineId')}
                data={list.map((p) => ({ value: p.id, label: p.name }))}
                value={pipeline.id}
                onChange={(v) => v && set('pipeline', v)}
                allowDeselect={false}
                w={200}
              />
            ) : null}
            <CreateRecordButton
              object="deals"
              label={t('deals.new')}
              hidden={['pipelineId', 'contactIds']}
              preset={{ pipelineId: pipeline.id, stageId: pipeline.stages[0]?.id ?? '', currency: 'IRR' }}
              overrides={dealFormOverrides(list, pipeline.id)}
              onCreated={(d) => void navigate(`/deals/${d.id}`)}
            />
          </>
        }
      />
      {view === 'board' ? (
        <DealBoard key={pipeline.id} pipeline={pipeline} />
      ) : (
        <RecordListView
          object="deals"
          storageKey="deals"
          columns={columns}
          defaultColumns={['title', 'amount', 'stage', 'closeDate', 'createdAt']}
          defaultSort="-createdAt"
          fixedParams={{ pipelineId: pipeline.id }}
          filters={[
            {
              key: 'stageId',
              label: t('fields.deals.stageId'),
              options: pipeline.stages.map((s) => ({ value: s.id, label: s.name })),
            },
            { key: 'currency', label: t('fields.deals.currency'), ltr: true, validate: (v) => /^[A-Z]{3}$/.test(v) },
          ]}
          emptyTitle={t('deals.empty')}
          onOpen={(d) => void navigate(`/deals/${d.id}`)}
        />
      )}
    </>
  );
}
