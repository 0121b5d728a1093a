import { ActionIcon, Button, Modal, Stack, Text, Textarea, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconEye } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CrmObject, CustomValue } from '../../lib/api/types';
import { ErrorAlert } from '../ErrorAlert';
import { revealFields } from './reveal';

/** "Reveal" on a masked value: asks why (the reason goes into the audit trail), then shows it. */
export function RevealButton({
  object,
  id,
  field,
  label,
  onRevealed,
}: {
  object: CrmObject;
  id: string;
  field: string;
  label: string;
  onRevealed: (value: CustomValue) => void;
}) {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  const [reason, setReason] = useState('');
  const reveal = useMutation({
    mutationFn: () => revealFields(object, id, [field], reason.trim()),
    onSuccess: (values) => {
      onRevealed(values[field] ?? null);
      close();
      setReason('');
    },
  });
  const tooShort = reason.trim().length < 5;
  return (
    <>
      <Tooltip label={t('reveal.action', { field: label })}>
        <ActionIcon variant="subtle" size="sm" onClick={open} aria-label={t('reveal.action', { field: label })}>
          <IconEye size={16} />
        </ActionIcon>
      </Tooltip>
      <Modal opened={opened} onClose={close} title={t('reveal.title', { field: label })}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!tooShort) reveal.mutate();
          }}
        >
          <Stack>
            <Text size="sm" c="dimmed">
              {t('reveal.explain')}
            </Text>
            {reveal.isError ? <ErrorAlert error={reveal.error} /> : null}
            <Textarea
              label={t('reveal.reason')}
              description={t('reveal.reasonHint')}
              required
              autosize
              minRows={2}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              data-autofocus
            />
            <Button type="submit" disabled={tooShort} loading={reveal.isPending}>
              {t('reveal.confirm')}
            </Button>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
