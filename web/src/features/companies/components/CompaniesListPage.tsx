import { Anchor, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { PageHeader } from '../../../components/PageHeader';
import { CreateRecordButton } from '../../../components/records/CreateRecordButton';
import { FieldValue } from '../../../components/records/FieldValue';
import { RecordListView, type ColumnDef } from '../../../components/records/RecordListView';
import type { Company } from '../../../lib/api/types';
import { useFieldLabel, useFields } from '../../../lib/fields';
import { useFormat } from '../../../lib/format';

export function CompaniesListPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const fields = useFields('companies');
  const labelOf = useFieldLabel();
  const label = (key: string) => t(`fields.companies.${key}`);
  const custom = (fields.data ?? []).filter((f) => !f.builtin);
  const sizes = (fields.data ?? []).find((f) => f.builtin && f.key === 'size')?.options ?? [];

  const columns: ColumnDef<Company & { id: string }>[] = [
    {
      key: 'name',
      label: label('name'),
      sortKey: 'name',
      render: (c) => (
        <Anchor component={Link} to={`/companies/${c.id}`} fw={500} size="sm" onClick={(e) => e.stopPropagation()}>
          {c.name}
        </Anchor>
      ),
    },
    {
      key: 'domain',
      label: label('domain'),
      sortKey: 'domain',
      render: (c) => <FieldValue field={{ key: 'domain', type: 'domain' }} value={c.domain} />,
    },
    {
      key: 'industry',
      label: label('industry'),
      sortKey: 'industry',
      render: (c) => <Text size="sm">{c.industry ?? '—'}</Text>,
    },
    {
      key: 'size',
      label: label('size'),
      render: (c) => <FieldValue field={{ key: 'size', type: 'enum' }} value={c.size} />,
    },
    {
      key: 'createdAt',
      label: t('common.created'),
      sortKey: 'createdAt',
      render: (c) => <Text size="sm">{fmt.date(c.createdAt)}</Text>,
    },
    ...custom.map((f) => ({
      key: `custom.${f.key}`,
      label: labelOf(f),
      render: (c: Company) => <FieldValue field={f} value={c.custom[f.key]} />,
    })),
  ];

  return (
    <>
      <PageHeader title={t('nav.companies')} description={t('companies.description')} />
      <RecordListView
        object="companies"
        storageKey="companies"
        columns={columns}
        defaultColumns={['name', 'domain', 'industry', 'size', 'createdAt']}
        defaultSort="name"
        filters={[
          { key: 'industry', label: label('industry') },
          {
            key: 'size',
            label: label('size'),
            options: sizes.map((s) => ({ value: s, label: t(`enums.size.${s}`, { defaultValue: s }) })),
          },
        ]}
        emptyTitle={t('companies.empty')}
        emptyHint={t('companies.emptyHint')}
        onOpen={(c) => void navigate(`/companies/${c.id}`)}
        toolbar={
          <CreateRecordButton
            object="companies"
            label={t('companies.new')}
            onCreated={(c) => void navigate(`/companies/${c.id}`)}
          />
        }
      />
    </>
  );
}
