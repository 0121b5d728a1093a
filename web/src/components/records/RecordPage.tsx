import { Anchor, Button, Grid, Group, Modal, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notify } from '../../lib/notify';
import { IconArrowLeft, IconPencil, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useMyAccess } from '../../lib/access';
import { deleteRecord, getRecord } from '../../lib/api/records';
import type { CrmObject, CrmRecord, FieldDef } from '../../lib/api/types';
import { useFields } from '../../lib/fields';
import { useFormat } from '../../lib/format';
import { ErrorAlert } from '../ErrorAlert';
import { PageHeader } from '../PageHeader';
import { LoadingState } from '../States';
import { RecordAccess } from './RecordAccess';
import { RecordDetails } from './RecordDetails';
import { RecordForm, type FieldOverride } from './RecordForm';
import { RecordTimeline } from './Timeline';
import { recordTitle } from './RefSelect';

/** A record's page: details, related records, timeline and activities, and who accessed it. */
export function RecordPage({
  object,
  id,
  backTo,
  backLabel,
  hidden = [],
  formHidden = [],
  overrides,
  renderValue,
  badge,
  side,
  withTimeline = true,
}: {
  object: Exclude<CrmObject, 'activities'>;
  id: string;
  backTo: string;
  backLabel: string;
  hidden?: string[];
  formHidden?: string[];
  overrides?: Record<string, FieldOverride>;
  renderValue?: (f: FieldDef, value: unknown, record: CrmRecord) => ReactNode | undefined;
  badge?: (r: CrmRecord) => ReactNode;
  side?: (r: CrmRecord) => ReactNode;
  withTimeline?: boolean;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [editing, edit] = useDisclosure(false);
  const [confirming, confirm] = useDisclosure(false);
  const record = useQuery({ queryKey: ['record', object, id], queryFn: () => getRecord(object, id) });
  const fields = useFields(object);
  const access = useMyAccess();
  const remove = useMutation({
    mutationFn: () => deleteRecord(object, id),
    onSuccess: async () => {
      notify({ message: t('record.deleted'), color: 'green' });
      await qc.invalidateQueries({ queryKey: ['records', object] });
      await navigate(backTo);
    },
  });

  if (record.isPending || fields.isPending) return <LoadingState />;
  if (record.isError) return <ErrorAlert error={record.error} />;
  if (fields.isError) return <ErrorAlert error={fields.error} />;
  const r = record.data;

  return (
    <Stack gap="lg">
      <Anchor component={Link} to={backTo} size="sm">
        <Group gap={4}>
          <IconArrowLeft size={14} className="mirror-rtl" />
          {backLabel}
        </Group>
      </Anchor>
      <PageHeader
        title={recordTitle(r)}
        badge={badge?.(r)}
        description={t('record.updated', { when: fmt.dateTime(r.updatedAt) })}
        actions={
          <>
            {access.allows(object, 'update') ? (
              <Button leftSection={<IconPencil size={16} />} onClick={edit.open}>
                {t('common.edit')}
              </Button>
            ) : null}
            {access.allows(object, 'delete') ? (
              <Button variant="default" color="red" leftSection={<IconTrash size={16} />} onClick={confirm.open}>
                {t('common.delete')}
              </Button>
            ) : null}
          </>
        }
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="lg">
            <RecordDetails
              object={object}
              record={r}
              fields={fields.data}
              hidden={hidden}
              renderValue={renderValue ? (f, v) => renderValue(f, v, r) : undefined}
            />
            {withTimeline ? <RecordTimeline object={object} id={id} /> : null}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="lg">
            {side?.(r)}
            <RecordAccess object={object} id={id} />
          </Stack>
        </Grid.Col>
      </Grid>
      <Modal opened={editing} onClose={edit.close} title={t('record.edit', { name: recordTitle(r) })} size="xl">
        <RecordForm
          object={object}
          fields={fields.data}
          record={r}
          hidden={formHidden}
          overrides={overrides}
          onCancel={edit.close}
          onSaved={(saved) => {
            qc.setQueryData(['record', object, id], saved);
            void qc.invalidateQueries({ queryKey: ['records', object] });
            notify({ message: t('record.saved'), color: 'green' });
            edit.close();
          }}
        />
      </Modal>
      <Modal opened={confirming} onClose={confirm.close} title={t('record.deleteTitle')}>
        <Stack>
          <Text size="sm">{t('record.deleteConfirm', { name: recordTitle(r) })}</Text>
          {remove.isError ? <ErrorAlert error={remove.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={confirm.close}>
              {t('common.cancel')}
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
              {t('common.delete')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
