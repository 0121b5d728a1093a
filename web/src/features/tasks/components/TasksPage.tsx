import { Badge, Checkbox, Group, Paper, Stack, Tabs, Text } from '@mantine/core';
import { notify } from '../../../lib/notify';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, useErrorText } from '../../../components/ErrorAlert';
import { PageHeader } from '../../../components/PageHeader';
import { CreateRecordButton } from '../../../components/records/CreateRecordButton';
import { EmptyState, LoadingState } from '../../../components/States';
import { listRecords, updateRecord } from '../../../lib/api/records';
import type { Activity } from '../../../lib/api/types';
import { useFormat } from '../../../lib/format';
import { useCurrentUser } from '../../../lib/session';

type Task = Activity & { id: string };
type Tab = 'today' | 'overdue' | 'upcoming' | 'open';

function range(tab: Tab): Record<string, string> {
  const start = new Date();
  start.setHours(0, 0, 0, 0);
  const end = new Date(start);
  end.setDate(end.getDate() + 1);
  switch (tab) {
    case 'today':
      return { dueAfter: start.toISOString(), dueBefore: end.toISOString(), sort: 'dueAt' };
    case 'overdue':
      return { dueBefore: new Date().toISOString(), sort: 'dueAt' };
    case 'upcoming':
      return { dueAfter: end.toISOString(), sort: 'dueAt' };
    case 'open':
      return { sort: 'dueAt' };
  }
}

/** My tasks: today, overdue, upcoming; tick one off to complete it. */
export function TasksPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useCurrentUser();
  const qc = useQueryClient();
  const errorText = useErrorText();
  const [tab, setTab] = useState<Tab>('today');
  const params = { type: 'task', status: 'open', ownerId: me.id, limit: 100, ...range(tab) };
  const tasks = useQuery({
    queryKey: ['records', 'activities', 'tasks', tab],
    queryFn: () => listRecords('activities', params),
  });
  const complete = useMutation({
    mutationFn: (task: Task) =>
      updateRecord('activities', task.id, task.version, { completedAt: new Date().toISOString() }),
    onSuccess: () => {
      notify({ color: 'green', message: t('tasks.completed') });
      void qc.invalidateQueries({ queryKey: ['records', 'activities'] });
    },
    onError: (e) => {
      const text = errorText(e);
      notify({ color: 'red', title: text.title, message: text.detail });
    },
  });
  const now = Date.now();
  const items = (tasks.data?.items ?? []) as unknown as Task[];

  return (
    <>
      <PageHeader
        title={t('nav.tasks')}
        description={t('tasks.description')}
        actions={
          <CreateRecordButton
            object="activities"
            label={t('tasks.new')}
            hidden={['completedAt', 'type']}
            preset={{ type: 'task' }}
            onCreated={() => setTab('open')}
          />
        }
      />
      <Paper withBorder radius="md">
        <Tabs value={tab} onChange={(v) => setTab((v as Tab | null) ?? 'today')}>
          <Tabs.List px="md" pt="xs">
            <Tabs.Tab value="today">{t('tasks.today')}</Tabs.Tab>
            <Tabs.Tab value="overdue">{t('tasks.overdue')}</Tabs.Tab>
            <Tabs.Tab value="upcoming">{t('tasks.upcoming')}</Tabs.Tab>
            <Tabs.Tab value="open">{t('tasks.allOpen')}</Tabs.Tab>
          </Tabs.List>
        </Tabs>
        <Stack p="md" gap="xs">
          {tasks.isPending ? (
            <LoadingState />
          ) : tasks.isError ? (
            <ErrorAlert error={tasks.error} />
          ) : items.length === 0 ? (
            <EmptyState title={t(`tasks.empty.${tab}`)} hint={t('tasks.emptyHint')} />
          ) : (
            items.map((task) => {
              const overdue = typeof task.dueAt === 'string' && new Date(task.dueAt).getTime() < now;
              return (
                <Group key={task.id} justify="space-between" wrap="nowrap" py={6} data-testid="task-row">
                  <Checkbox
                    label={task.subject}
                    aria-label={t('tasks.complete', { task: task.subject })}
                    checked={false}
                    onChange={() => complete.mutate(task)}
                  />
                  {task.dueAt ? (
                    <Badge variant="light" color={overdue ? 'red' : 'gray'}>
                      {fmt.dateTime(task.dueAt)}
                    </Badge>
                  ) : (
                    <Text size="xs" c="dimmed">
                      {t('tasks.noDue')}
                    </Text>
                  )}
                </Group>
              );
            })
          )}
        </Stack>
      </Paper>
    </>
  );
}
