import {
  Avatar,
  Badge,
  Button,
  Group,
  Modal,
  MultiSelect,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { PageHeader } from '../../../components/PageHeader';
import { EmptyState, LoadingState } from '../../../components/States';
import type { User } from '../../../lib/api/types';
import { sortBy } from '../../../lib/collate';
import { useFormat } from '../../../lib/format';
import { notify } from '../../../lib/notify';
import { listUsers } from '../api/admin.api';
import { createTeam, deleteTeam, listTeams, TEAMS_KEY, updateTeam, type Team, type TeamMember } from '../api/teams.api';

function TeamForm({ team, users, onDone }: { team?: Team; users: User[]; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const ids = (role: TeamMember['role']) => (team?.members ?? []).filter((m) => m.role === role).map((m) => m.userId);
  const form = useForm({
    initialValues: { name: team?.name ?? '', managers: ids('manager'), members: ids('member') },
    validate: { name: (v) => (v.trim() ? null : t('teams.nameRequired')) },
  });
  const options = users.map((u) => ({ value: u.id, label: `${u.name} — ${u.email}` }));
  const save = useMutation({
    mutationFn: (v: typeof form.values) => {
      const members: TeamMember[] = [
        ...v.managers.map((userId) => ({ userId, role: 'manager' as const })),
        ...v.members.filter((id) => !v.managers.includes(id)).map((userId) => ({ userId, role: 'member' as const })),
      ];
      const name = v.name.trim();
      return team ? updateTeam(team.id, team.version, { name, members }) : createTeam({ name, members });
    },
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: TEAMS_KEY });
      notify({ color: 'green', message: t('record.saved') });
      onDone();
    },
  });
  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
      <Stack>
        {save.isError ? <ErrorAlert error={save.error} /> : null}
        <TextInput label={t('teams.name')} required maxLength={100} data-autofocus {...form.getInputProps('name')} />
        <MultiSelect
          label={t('teams.managers')}
          description={t('teams.managersHint')}
          data={options}
          searchable
          nothingFoundMessage={t('teams.noUser')}
          comboboxProps={{ withinPortal: true }}
          {...form.getInputProps('managers')}
        />
        <MultiSelect
          label={t('teams.members')}
          data={options.filter((o) => !form.values.managers.includes(o.value))}
          searchable
          nothingFoundMessage={t('teams.noUser')}
          comboboxProps={{ withinPortal: true }}
          {...form.getInputProps('members')}
        />
        <Button type="submit" loading={save.isPending}>
          {team ? t('common.save') : t('common.create')}
        </Button>
      </Stack>
    </form>
  );
}

function People({ ids, users }: { ids: string[]; users: Map<string, User> }) {
  const { t } = useTranslation();
  if (ids.length === 0)
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  return (
    <Group gap={6}>
      {ids.map((id) => {
        const u = users.get(id);
        return (
          <Tooltip key={id} label={u?.email ?? id}>
            <Badge
              variant="light"
              color="gray"
              radius="sm"
              tt="none"
              leftSection={
                <Avatar size={14} radius="xl" color="brand">
                  {(u?.name ?? '?').slice(0, 1)}
                </Avatar>
              }
            >
              {u?.name ?? t('teams.unknownUser')}
            </Badge>
          </Tooltip>
        );
      })}
    </Group>
  );
}

/** Teams: a manager with a team-scoped role sees the records of the team's members. */
export function TeamsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const teams = useQuery({ queryKey: TEAMS_KEY, queryFn: listTeams });
  const users = useQuery({ queryKey: ['admin', 'users'], queryFn: listUsers });
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Team | null>(null);
  const byId = new Map((users.data ?? []).map((u) => [u.id, u]));
  const remove = useMutation({
    mutationFn: (id: string) => deleteTeam(id),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: TEAMS_KEY });
      notify({ color: 'green', message: t('teams.deleted', { name: deleting?.name ?? '' }) });
      setDeleting(null);
    },
  });
  const activeUsers = sortBy(
    (users.data ?? []).filter((u) => u.status === 'active'),
    (u) => u.name,
    fmt.lang,
  );
  const ids = (team: Team, role: TeamMember['role']) =>
    team.members.filter((m) => m.role === role).map((m) => m.userId);

  return (
    <>
      <PageHeader
        title={t('nav.teams')}
        description={t('teams.hint')}
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')} disabled={!users.data}>
            {t('teams.newTeam')}
          </Button>
        }
      />
      <Paper withBorder radius="md">
        {teams.isPending || users.isPending ? (
          <LoadingState />
        ) : teams.isError ? (
          <ErrorAlert error={teams.error} />
        ) : users.isError ? (
          <ErrorAlert error={users.error} />
        ) : teams.data.length === 0 ? (
          <EmptyState
            title={t('teams.empty')}
            hint={t('teams.emptyHint')}
            action={
              <Button variant="light" leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
                {t('teams.newTeam')}
              </Button>
            }
          />
        ) : (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('teams.name')}</Table.Th>
                  <Table.Th>{t('teams.managers')}</Table.Th>
                  <Table.Th>{t('teams.members')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sortBy(teams.data, (x) => x.name, fmt.lang).map((team) => (
                  <Table.Tr key={team.id} data-testid="team-row">
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {team.name}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {t('teams.count', { count: team.members.length, n: fmt.number(team.members.length) })}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <People ids={ids(team, 'manager')} users={byId} />
                    </Table.Td>
                    <Table.Td>
                      <People ids={ids(team, 'member')} users={byId} />
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Button
                          size="xs"
                          variant="subtle"
                          onClick={() => setEditing(team)}
                          aria-label={t('teams.editTeam', { name: team.name })}
                        >
                          {t('common.edit')}
                        </Button>
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          leftSection={<IconTrash size={14} />}
                          onClick={() => setDeleting(team)}
                          aria-label={t('teams.deleteTeam', { name: team.name })}
                        >
                          {t('common.delete')}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('teams.newTeam') : (editing?.name ?? '')}
      >
        {editing !== null ? (
          <TeamForm
            team={editing === 'new' ? undefined : editing}
            users={activeUsers}
            onDone={() => setEditing(null)}
          />
        ) : null}
      </Modal>
      <Modal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title={t('teams.deleteTeam', { name: deleting?.name ?? '' })}
      >
        <Stack>
          <Text size="sm">{t('teams.deleteText')}</Text>
          {remove.isError ? <ErrorAlert error={remove.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(null)}>
              {t('common.cancel')}
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => deleting && remove.mutate(deleting.id)}>
              {t('common.delete')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
