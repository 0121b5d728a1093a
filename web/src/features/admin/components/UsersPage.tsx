import {
  Badge,
  Button,
  Group,
  Modal,
  MultiSelect,
  Paper,
  PasswordInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { notify } from '../../../lib/notify';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { PageHeader } from '../../../components/PageHeader';
import { LoadingState } from '../../../components/States';
import type { User } from '../../../lib/api/types';
import { sortBy } from '../../../lib/collate';
import { useFormat } from '../../../lib/format';
import { createUser, listRoles, listUsers, updateUser } from '../api/admin.api';

function UserForm({
  user,
  roles,
  onDone,
}: {
  user?: User;
  roles: { value: string; label: string }[];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const form = useForm({
    initialValues: {
      email: user?.email ?? '',
      name: user?.name ?? '',
      roles: user?.roles ?? ['sales-rep'],
      password: '',
      status: user?.status ?? 'active',
    },
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) =>
      user
        ? updateUser(user.id, user.version, {
            name: v.name,
            roles: v.roles,
            status: v.status === 'disabled' ? 'disabled' : 'active',
          })
        : createUser({ email: v.email, name: v.name, roles: v.roles, password: v.password }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['admin', 'users'] });
      notify({ color: 'green', message: t('record.saved') });
      onDone();
    },
  });
  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
      <Stack>
        {save.isError ? <ErrorAlert error={save.error} /> : null}
        {user ? null : (
          <TextInput
            label={t('auth.email')}
            type="email"
            required
            classNames={{ input: 'ltr-value' }}
            {...form.getInputProps('email')}
          />
        )}
        <TextInput label={t('admin.name')} required {...form.getInputProps('name')} />
        <MultiSelect label={t('admin.roles')} data={roles} {...form.getInputProps('roles')} />
        {user ? (
          <Select
            label={t('admin.status')}
            data={[
              { value: 'active', label: t('admin.active') },
              { value: 'disabled', label: t('admin.disabled') },
            ]}
            allowDeselect={false}
            {...form.getInputProps('status')}
          />
        ) : (
          <PasswordInput
            label={t('admin.initialPassword')}
            description={t('admin.initialPasswordHint')}
            autoComplete="new-password"
            {...form.getInputProps('password')}
          />
        )}
        <Button type="submit" loading={save.isPending}>
          {user ? t('common.save') : t('common.create')}
        </Button>
      </Stack>
    </form>
  );
}

export function UsersPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const users = useQuery({ queryKey: ['admin', 'users'], queryFn: listUsers });
  const roles = useQuery({ queryKey: ['admin', 'roles'], queryFn: listRoles });
  const [creating, create] = useDisclosure(false);
  const [editing, setEditing] = useState<User | null>(null);
  const roleOptions = (roles.data ?? []).map((r) => ({
    value: r.id,
    label: t(`roles.${r.id}`, { defaultValue: r.name }),
  }));
  const roleName = (id: string) => roleOptions.find((r) => r.value === id)?.label ?? id;

  return (
    <>
      <PageHeader
        title={t('nav.users')}
        description={t('admin.usersHint')}
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={create.open}>
            {t('admin.newUser')}
          </Button>
        }
      />
      <Paper withBorder radius="md">
        {users.isPending ? (
          <LoadingState />
        ) : users.isError ? (
          <ErrorAlert error={users.error} />
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('admin.name')}</Table.Th>
                  <Table.Th>{t('auth.email')}</Table.Th>
                  <Table.Th>{t('admin.roles')}</Table.Th>
                  <Table.Th>{t('admin.status')}</Table.Th>
                  <Table.Th>{t('admin.lastLogin')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sortBy(users.data, (u) => u.name, fmt.lang).map((u) => (
                  <Table.Tr key={u.id}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {u.name}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" className="ltr-value">
                        {u.email}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {u.roles.map((r) => (
                          <Badge key={r} variant="light" size="sm">
                            {roleName(r)}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={u.status === 'active' ? 'green' : 'gray'} variant="dot">
                        {u.status === 'active' ? t('admin.active') : t('admin.disabled')}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{u.lastLoginAt ? fmt.dateTime(u.lastLoginAt) : '—'}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Button size="xs" variant="subtle" onClick={() => setEditing(u)}>
                        {t('common.edit')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      <Modal opened={creating} onClose={create.close} title={t('admin.newUser')}>
        <UserForm roles={roleOptions} onDone={create.close} />
      </Modal>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing?.name ?? ''}>
        {editing ? <UserForm user={editing} roles={roleOptions} onDone={() => setEditing(null)} /> : null}
      </Modal>
    </>
  );
}
