import { Anchor, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { PageHeader } from '../../../components/PageHeader';
import { CreateRecordButton } from '../../../components/records/CreateRecordButton';
import { FieldValue } from '../../../components/records/FieldValue';
import { RecordListView, type ColumnDef } from '../../../components/records/RecordListView';
import type { Contact } from '../../../lib/api/types';
import { useFieldLabel, useFields } from '../../../lib/fields';
import { useFormat } from '../../../lib/format';
import { checkFormat } from '../../../lib/validation';

export function ContactsListPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const fields = useFields('contacts');
  const labelOf = useFieldLabel();
  const label = (key: string) => t(`fields.contacts.${key}`);
  const custom = (fields.data ?? []).filter((f) => !f.builtin);

  const columns: ColumnDef<Contact & { id: string }>[] = [
    {
      key: 'name',
      label: t('contacts.name'),
      sortKey: 'lastName',
      render: (c) => (
        <Anchor component={Link} to={`/contacts/${c.id}`} fw={500} size="sm" onClick={(e) => e.stopPropagation()}>
          {`${c.firstName} ${c.lastName}`.trim() || '—'}
        </Anchor>
      ),
    },
    {
      key: 'email',
      label: label('email'),
      render: (c) => <FieldValue field={{ key: 'email', type: 'email' }} value={c.email} />,
    },
    {
      key: 'phone',
      label: label('phone'),
      render: (c) => <FieldValue field={{ key: 'phone', type: 'phone' }} value={c.phone} />,
    },
    { key: 'title', label: label('title'), render: (c) => <Text size="sm">{c.title ?? '—'}</Text> },
    {
      key: 'tags',
      label: t('common.tags'),
      render: (c) => <FieldValue field={{ key: 'tags', type: 'text' }} value={c.tags.length ? c.tags : null} />,
    },
    {
      key: 'createdAt',
      label: t('common.created'),
      sortKey: 'createdAt',
      render: (c) => <Text size="sm">{fmt.date(c.createdAt)}</Text>,
    },
    {
      key: 'updatedAt',
      label: t('common.updated'),
      sortKey: 'updatedAt',
      render: (c) => <Text size="sm">{fmt.date(c.updatedAt)}</Text>,
    },
    ...custom.map((f) => ({
      key: `custom.${f.key}`,
      label: labelOf(f),
      render: (c: Contact) => <FieldValue field={f} value={c.custom[f.key]} />,
    })),
  ];

  return (
    <>
      <PageHeader title={t('nav.contacts')} description={t('contacts.description')} />
      <RecordListView
        object="contacts"
        storageKey="contacts"
        columns={columns}
        defaultColumns={['name', 'email', 'phone', 'title', 'createdAt']}
        defaultSort="-createdAt"
        filters={[
          {
            key: 'email',
            label: label('email'),
            placeholder: t('contacts.findByEmail'),
            ltr: true,
            validate: (v) => checkFormat('email', v) === null,
          },
          {
            key: 'phone',
            label: label('phone'),
            placeholder: t('contacts.findByPhone'),
            ltr: true,
            validate: (v) => checkFormat('phone', v) === null,
          },
          { key: 'tag', label: t('common.tag') },
        ]}
        emptyTitle={t('contacts.empty')}
        emptyHint={t('contacts.emptyHint')}
        onOpen={(c) => void navigate(`/contacts/${c.id}`)}
        toolbar={
          <Group>
            <CreateRecordButton
              object="contacts"
              label={t('contacts.new')}
              onCreated={(c) => void navigate(`/contacts/${c.id}`)}
            />
          </Group>
        }
      />
    </>
  );
}
