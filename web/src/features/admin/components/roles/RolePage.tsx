import { Alert, Badge, Button, Group, Modal, Paper, Stack, Tabs, Text, Textarea, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconAlertTriangle, IconArrowLeft, IconDeviceFloppy, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ErrorAlert } from '../../../../components/ErrorAlert';
import { PageHeader } from '../../../../components/PageHeader';
import { LoadingState } from '../../../../components/States';
import { isApiError } from '../../../../lib/api/problem';
import { notify } from '../../../../lib/notify';
import { deleteRole, getRole, roleKey, updateRole, type RoleDetail, type RolePolicy } from '../../api/roles.api';
import { ClassificationModes } from './ClassificationModes';
import { FieldExceptions } from './FieldExceptions';
import { GrantsPanel } from './GrantsPanel';
import { IpAllowList } from './IpAllowList';
import { ObjectMatrix } from './ObjectMatrix';
import { samePolicy } from './policy-model';

const isConflict = (e: unknown) =>
  isApiError(e) && (e.code === 'SEPAR_ERR_PRECONDITION_FAILED' || e.code === 'SEPAR_ERR_VERSION_CONFLICT');

function RoleEditor({ role: loaded }: { role: RoleDetail }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  // The version this draft is based on: a stale save is refused (If-Match) instead of overwriting someone else.
  const [role, setBase] = useState(loaded);
  const [name, setName] = useState(role.name);
  const [description, setDescription] = useState(role.description);
  const [policy, setPolicy] = useState<RolePolicy>(role.policy);
  const [confirmDelete, del] = useDisclosure(false);
  const title = role.builtin ? t(`roles.${role.id}`, { defaultValue: role.name }) : role.name;
  const dirty = name !== role.name || description !== role.description || !samePolicy(policy, role.policy);

  const reset = (r: RoleDetail) => {
    setBase(r);
    setName(r.name);
    setDescription(r.description);
    setPolicy(r.policy);
  };
  const save = useMutation({
    mutationFn: () =>
      updateRole(role.id, role.version, {
        ...(name !== role.name ? { name } : {}),
        ...(description !== role.description ? { description } : {}),
        policy,
      }),
    onSuccess: (r) => {
      qc.setQueryData(roleKey(role.id), r);
      void qc.invalidateQueries({ queryKey: ['admin', 'roles'] });
      reset(r);
      notify({ color: 'green', message: t('rolesPage.saved') });
    },
  });
  const remove = useMutation({
    mutationFn: () => deleteRole(role.id),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['admin', 'roles'] });
      notify({ color: 'green', message: t('rolesPage.deleted', { name: role.name }) });
      await navigate('/admin/roles');
    },
  });
  const reloadLatest = async () => {
    const latest = await qc.fetchQuery({ queryKey: roleKey(role.id), queryFn: () => getRole(role.id), staleTime: 0 });
    reset(latest);
    save.reset();
  };
  const ipError = isApiError(save.error)
    ? save.error.errors.find((e) => e.field.startsWith('policy.ipAllow'))?.message
    : undefined;

  return (
    <>
      <Button
        component={Link}
        to="/admin/roles"
        variant="subtle"
        size="xs"
        mb="xs"
        px={4}
        leftSection={<IconArrowLeft size={14} className="mirror-rtl" />}
      >
        {t('rolesPage.allRoles')}
      </Button>
      <PageHeader
        title={title}
        description={t('rolesPage.roleHint')}
        badge={
          <Group gap={6}>
            <Badge variant="light" color={role.builtin ? 'gray' : 'grape'}>
              {role.builtin ? t('admin.builtin') : t('admin.custom')}
            </Badge>
            {dirty ? (
              <Badge variant="dot" color="orange" data-testid="unsaved">
                {t('rolesPage.unsaved')}
              </Badge>
            ) : null}
          </Group>
        }
        actions={
          <>
            {role.builtin ? null : (
              <Button variant="subtle" color="red" leftSection={<IconTrash size={16} />} onClick={del.open}>
                {t('common.delete')}
              </Button>
            )}
            <Button variant="default" disabled={!dirty || save.isPending} onClick={() => reset(role)}>
              {t('rolesPage.discard')}
            </Button>
            <Button
              leftSection={<IconDeviceFloppy size={16} />}
              disabled={!dirty}
              loading={save.isPending}
              onClick={() => save.mutate()}
            >
              {t('rolesPage.saveChanges')}
            </Button>
          </>
        }
      />
      <Stack gap="md">
        {save.isError && isConflict(save.error) ? (
          <Alert
            color="orange"
            variant="light"
            icon={<IconAlertTriangle size={18} />}
            title={t('rolesPage.conflictTitle')}
            role="alert"
          >
            <Text size="sm" mb="sm">
              {t('rolesPage.conflictText')}
            </Text>
            <Button size="xs" variant="white" color="orange" onClick={() => void reloadLatest()}>
              {t('rolesPage.reloadLatest')}
            </Button>
          </Alert>
        ) : save.isError ? (
          <ErrorAlert error={save.error} />
        ) : null}
        <Paper withBorder radius="md" p="md">
          <Group align="flex-start" grow wrap="wrap">
            <TextInput
              label={t('admin.name')}
              required
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
            />
            <Textarea
              label={t('rolesPage.description')}
              maxLength={500}
              autosize
              minRows={1}
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
            />
          </Group>
          <Text size="xs" c="dimmed" mt="xs">
            {t('rolesPage.idLabel')}: <span className="ltr-value">{role.id}</span>
          </Text>
        </Paper>
        <Paper withBorder radius="md">
          <Tabs defaultValue="records" keepMounted={false}>
            <Tabs.List px="md" pt="xs">
              <Tabs.Tab value="records">{t('rolesPage.tabs.records')}</Tabs.Tab>
              <Tabs.Tab value="fields">{t('rolesPage.tabs.fields')}</Tabs.Tab>
              <Tabs.Tab value="grants">{t('rolesPage.tabs.grants')}</Tabs.Tab>
              <Tabs.Tab value="network">{t('rolesPage.tabs.network')}</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="records">
              <Text size="sm" c="dimmed" px="md" pt="md">
                {t('rolesPage.recordsHint')}
              </Text>
              <ObjectMatrix policy={policy} onChange={setPolicy} />
            </Tabs.Panel>
            <Tabs.Panel value="fields">
              <Text size="sm" c="dimmed" px="md" pt="md" pb="xs">
                {t('rolesPage.fieldsHint')}
              </Text>
              <ClassificationModes policy={policy} onChange={setPolicy} />
              <Text fw={600} px="md" pt="lg">
                {t('rolesPage.exceptions')}
              </Text>
              <FieldExceptions policy={policy} onChange={setPolicy} />
            </Tabs.Panel>
            <Tabs.Panel value="grants">
              <GrantsPanel policy={policy} onChange={setPolicy} />
            </Tabs.Panel>
            <Tabs.Panel value="network">
              <IpAllowList policy={policy} onChange={setPolicy} serverError={ipError} />
            </Tabs.Panel>
          </Tabs>
        </Paper>
      </Stack>
      <Modal opened={confirmDelete} onClose={del.close} title={t('rolesPage.deleteTitle', { name: role.name })}>
        <Stack>
          <Text size="sm">{t('rolesPage.deleteText')}</Text>
          {remove.isError ? <ErrorAlert error={remove.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={del.close}>
              {t('common.cancel')}
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
              {t('common.delete')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** One role: its record permissions, field-permission matrix, reveal and capabilities, IP allowlist. */
export function RolePage() {
  const { id = '' } = useParams();
  const role = useQuery({ queryKey: roleKey(id), queryFn: () => getRole(id), refetchOnWindowFocus: false });
  if (role.isPending) return <LoadingState />;
  if (role.isError) return <ErrorAlert error={role.error} />;
  return <RoleEditor key={id} role={role.data} />;
}
