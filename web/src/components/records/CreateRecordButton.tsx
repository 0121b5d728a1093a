import { Button, Modal } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notify } from '../../lib/notify';
import { IconPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useMyAccess } from '../../lib/access';
import type { CrmObject, CrmRecord } from '../../lib/api/types';
import { useFields } from '../../lib/fields';
import { LoadingState } from '../States';
import { RecordForm, type FieldOverride } from './RecordForm';

export function CreateRecordButton({
  object,
  label,
  hidden,
  preset,
  overrides,
  onCreated,
}: {
  object: CrmObject;
  label: string;
  hidden?: string[];
  preset?: Record<string, string>;
  overrides?: Record<string, FieldOverride>;
  onCreated: (r: CrmRecord) => void;
}) {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  const fields = useFields(object);
  const qc = useQueryClient();
  const access = useMyAccess();
  // A role that cannot create records of this object is not offered the button (the API would refuse anyway).
  if (!access.allows(object, 'create')) return null;
  return (
    <>
      <Button leftSection={<IconPlus size={16} />} onClick={open}>
        {label}
      </Button>
      <Modal opened={opened} onClose={close} title={label} size="xl">
        {fields.data ? (
          <RecordForm
            object={object}
            fields={fields.data}
            hidden={hidden}
            preset={preset}
            overrides={overrides}
            onCancel={close}
            onSaved={(r) => {
              close();
              void qc.invalidateQueries({ queryKey: ['records', object] });
              notify({ message: t('record.created'), color: 'green' });
              onCreated(r);
            }}
          />
        ) : (
          <LoadingState />
        )}
      </Modal>
    </>
  );
}
