import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { RecordPage } from '../../../components/records/RecordPage';
import { RecordLink } from '../../../components/records/RecordLink';
import { useFormat } from '../../../lib/format';
import { usePipelines, type DealRecord } from '../api/deals.api';
import { dealFormOverrides } from './deal-form';

export function DealRecordPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const pipelines = usePipelines();
  const all = pipelines.data ?? [];
  const stage = (sid: string) => all.flatMap((p) => p.stages).find((s) => s.id === sid);
  return (
    <RecordPage
      key={id}
      object="deals"
      id={id}
      backTo="/deals"
      backLabel={t('nav.deals')}
      hidden={['contactIds']}
      formHidden={['contactIds']}
      overrides={dealFormOverrides(all, all.find((p) => p.isDefault)?.id ?? '')}
      badge={(r) => {
        const d = r as unknown as DealRecord;
        return <Badge variant="light">{stage(d.stageId ?? '')?.name ?? ''}</Badge>;
      }}
      renderValue={(f, v, r) => {
        const d = r as unknown as DealRecord;
        if (f.key === 'stageId') return stage(String(v))?.name ?? '—';
        if (f.key === 'pipelineId') return all.find((p) => p.id === v)?.name ?? '—';
        if (f.key === 'amount') return fmt.money(d.amount, d.currency);
        if (f.key === 'companyId' && typeof v === 'string') return <RecordLink object="companies" id={v} />;
        return undefined;
      }}
    />
  );
}
