import { Badge, Button, Group, Modal, Paper, Stack, Text, Timeline as MTimeline, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconCalendarEvent, IconChecklist, IconMail, IconNote, IconPhone, IconPlus } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useMyAccess } from '../../lib/access';
import { getTimeline } from '../../lib/api/records';
import type { CrmObject } from '../../lib/api/types';
import { useFields } from '../../lib/fields';
import { useFormat } from '../../lib/format';
import { ErrorAlert } from '../ErrorAlert';
import { EmptyState, LoadingState } from '../States';
import { RecordForm } from './RecordForm';

const ICONS: Record<string, ReactNode> = {
  note: <IconNote size={14} />,
  call: <IconPhone size={14} />,
  meeting: <IconCalendarEvent size={14} />,
  email: <IconMail size={14} />,
  task: <IconChecklist size={14} />,
};

/** A record's activities, newest first, with "add activity". */
export function RecordTimeline({ object, id }: { object: Exclude<CrmObject, 'activities'>; id: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const [opened, { open, close }] = useDisclosure(false);
  const access = useMyAccess();
  // A record's timeline is its activities: a role that cannot read them is not shown (nor asked for) one.
  const readable = access.ready && access.canRead('activities');
  const timeline = useQuery({
    queryKey: ['timeline', object, id],
    queryFn: () => getTimeline(object, id),
    enabled: readable,
  });
  const activityFields = useFields('activities');
  if (!readable) return null;

  return (
    <Paper withBorder p="lg" radius="md">
      <Group justify="space-between" mb="md">
        <Title order={2} fz="lg">
          {t('record.timeline')}
        </Title>
        {access.allows('activities', 'create') ? (
          <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={open}>
            {t('record.addActivity')}
          </Button>
        ) : null}
      </Group>
      {timeline.isPending ? (
        <LoadingState />
      ) : timeline.isError ? (
        <ErrorAlert error={timeline.error} />
      ) : timeline.data.items.length === 0 ? (
        <EmptyState title={t('record.noActivities')} />
      ) : (
        <MTimeline bulletSize={26} lineWidth={2}>
          {timeline.data.items.map((item) => {
            const type = item.type ?? 'note';
            return (
              <MTimeline.Item key={item.id} bullet={ICONS[type]} title={item.subject}>
                <Group gap={6} mt={2}>
                  <Badge size="xs" variant="light">
                    {t(`enums.type.${type}`, { defaultValue: type })}
                  </Badge>
                  <Text size="xs" c="dimmed">
                    {fmt.dateTime(item.dueAt ?? item.createdAt)}
                  </Text>
                </Group>
                {typeof item.body === 'string' && item.body ? (
                  <Text size="sm" mt={4} c="dimmed" lineClamp={3}>
                    {item.body}
                  </Text>
                ) : null}
              </MTimeline.Item>
            );
          })}
        </MTimeline>
      )}
      <Modal opened={opened} onClose={close} title={t('record.addActivity')} size="lg">
        {activityFields.data ? (
          <Stack>
            <RecordForm
              object="activities"
              fields={activityFields.data}
              hidden={['completedAt']}
              preset={{ type: 'note' }}
              extraBody={{ related: [{ type: object, id }] }}
              onCancel={close}
              onSaved={() => {
                close();
                void qc.invalidateQueries({ queryKey: ['timeline', object, id] });
                void qc.invalidateQueries({ queryKey: ['records', 'activities'] });
              }}
            />
          </Stack>
        ) : (
          <LoadingState />
        )}
      </Modal>
    </Paper>
  );
}
