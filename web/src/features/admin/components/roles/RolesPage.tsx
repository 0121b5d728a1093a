import { Badge, Button, Modal, Paper, Select, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { IconChevronRight, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ErrorAlert } from '../../../../components/ErrorAlert';
import { PageHeader } from '../../../../components/PageHeader';
import { EmptyState, LoadingState } from '../../../../components/States';
import type { Role } from '../../../../lib/api/types';
import { useMyAccess } from '../../../../lib/access';
import { collator } from '../../../../lib/collate';
import { useFormat } from '../../../../lib/format';
import { listRoles, listUsers } from '../../api/admin.api';
import { createRole, getRole } from '../../api/roles.api';
import { EMPTY_POLICY } from './policy-model';

const ROLE_ID = /^[a-z][a-z0-9-]{1,39}$/;
const BLANK = '';

function NewRoleForm({ roles, onDone }: { roles: Role[]; onDone: (id: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const form = useForm({
    initialValues: { id: '', name: '', description: '', from: BLANK },
    validate: { id: (v) => (ROLE_ID.test(v) ? null : t('rolesPage.idRule')) },
  });
  const create = useMutation({
    mutationFn: async (v: typeof form.values) =>
      createRole({
        id: v.id,
        name: v.name.trim(),
        ...(v.description.trim() ? { description: v.description.trim() } : {}),
        policy: v.from === BLANK ? EMPTY_POLICY : (await getRole(v.from)).policy,
      }),
    onSuccess: async (r) => {
      await qc.invalidateQueries({ queryKey: ['admin', 'roles'] });
      onDone(r.id);
    },
  });
  return (
    <form onSubmit={form.onSubmit((v) => create.mutate(v))}>
      <Stack>
        {create.isError ? <ErrorAlert error={create.error} /> : null}
        <TextInput label={t('admin.name')} required maxLength={100} data-autofocus {...form.getInputProps('name')} />
        <TextInput
          label={t('rolesPage.idLabel')}
          description={t('rolesPage.idRule')}
          required
          maxLength={40}
          classNames={{ input: 'ltr-value' }}
          {...form.getInputProps('id')}
        />
        <Textarea
          label={t('rolesPage.description')}
          maxLength={500}
          autosize
          minRows={2}
          {...form.getInputProps('description')}
        />
        <Select
          label={t('rolesPage.startFrom')}
          description={t('rolesPage.startFromHint')}
          allowDeselect={false}
          data={[
            { value: BLANK, label: t('rolesPage.startBlank') },
            ...roles.map((r) => ({
              value: r.id,
              label: t('rolesPage.copyOf', { name: t(`roles.${r.id}`, { defaultValue: r.name }) }),
            })),
          ]}
          {...form.getInputProps('from')}
        />
        <Button type="submit" loading={create.isPending}>
          {t('common.create')}
        </Button>
      </Stack>
    </form>
  );
}

/** Built-in and custom roles; each opens its permission matrix. */
export function RolesPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const access = useMyAccess();
  const roles = useQuery({ queryKey: ['admin', 'roles'], queryFn: listRoles });
  const users = useQuery({ queryKey: ['admin', 'users'], queryFn: listUsers, enabled: access.can('manage-users') });
  const [creating, create] = useDisclosure(false);
  const holders = (id: string) => (users.data ?? []).filter((u) => u.roles.includes(id)).length;
  const cmp = collator(fmt.lang);
  const sorted = [...(roles.data ?? [])].sort(
    (a, b) => Number(b.builtin) - Number(a.builtin) || cmp.compare(a.name, b.name),
  );

  return (
    <>
      <PageHeader
        title={t('nav.roles')}
        description={t('rolesPage.hint')}
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={create.open}>
            {t('rolesPage.newRole')}
          </Button>
        }
      />
      <Paper withBorder radius="md">
        {roles.isPending ? (
          <LoadingState />
        ) : roles.isError ? (
          <ErrorAlert error={roles.error} />
        ) : sorted.length === 0 ? (
          <EmptyState title={t('rolesPage.empty')} />
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('admin.name')}</Table.Th>
                  <Table.Th>{t('rolesPage.description')}</Table.Th>
                  <Table.Th>{t('admin.origin')}</Table.Th>
                  {users.data ? <Table.Th>{t('rolesPage.holders')}</Table.Th> : null}
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sorted.map((r) => (
                  <Table.Tr key={r.id} data-testid="role-row" data-role={r.id}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {r.builtin ? t(`roles.${r.id}`, { defaultValue: r.name }) : r.name}
                      </Text>
                      <Text size="xs" c="dimmed" className="ltr-value">
                        {r.id}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed" lineClamp={2}>
                        {r.builtin ? t(`roleHints.${r.id}`, { defaultValue: r.description }) : r.description || '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={r.builtin ? 'gray' : 'grape'}>
                        {r.builtin ? t('admin.builtin') : t('admin.custom')}
                      </Badge>
                    </Table.Td>
                    {users.data ? <Table.Td>{fmt.number(holders(r.id))}</Table.Td> : null}
                    <Table.Td ta="end">
                      <Button
                        component={Link}
                        to={`/admin/roles/${r.id}`}
                        size="xs"
                        variant="subtle"
                        rightSection={<IconChevronRight size={14} className="mirror-rtl" />}
                        aria-label={t('rolesPage.openRole', {
                          name: r.builtin ? t(`roles.${r.id}`, { defaultValue: r.name }) : r.name,
                        })}
                      >
                        {t('rolesPage.permissions')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      <Modal opened={creating} onClose={create.close} title={t('rolesPage.newRole')}>
        <NewRoleForm
          roles={sorted}
          onDone={(id) => {
            create.close();
            void navigate(`/admin/roles/${id}`);
          }}
        />
      </Modal>
    </>
  );
}
