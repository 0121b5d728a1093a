import {
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  Tabs,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { notify } from '../../../lib/notify';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, useErrorText } from '../../../components/ErrorAlert';
import { PageHeader } from '../../../components/PageHeader';
import { LoadingState } from '../../../components/States';
import type { Classification, CrmObject, FieldDef } from '../../../lib/api/types';
import { fieldsKey, useFieldLabel, useFields } from '../../../lib/fields';
import { createField, CUSTOM_FIELD_TYPES, updateField, type CustomFieldType } from '../api/admin.api';

const OBJECTS: CrmObject[] = ['contacts', 'companies', 'deals', 'activities'];
const CLASSIFICATIONS: Classification[] = ['public', 'internal', 'confidential', 'restricted', 'pci'];

function NewFieldForm({ object, onDone }: { object: CrmObject; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const form = useForm({
    initialValues: {
      label: '',
      key: '',
      type: 'text' as CustomFieldType,
      classification: 'internal' as Classification,
      options: [] as string[],
    },
    validate: { key: (v) => (/^[a-z][a-zA-Z0-9_]{0,62}$/.test(v) ? null : t('admin.keyHint')) },
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) =>
      createField({
        object,
        key: v.key,
        label: v.label,
        type: v.type,
        classification: v.classification,
        ...(v.type === 'select' ? { options: v.options } : {}),
      }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: fieldsKey(object) });
      onDone();
    },
  });
  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
      <Stack>
        {save.isError ? <ErrorAlert error={save.error} /> : null}
        <TextInput label={t('admin.fieldLabel')} required {...form.getInputProps('label')} />
        <TextInput
          label={t('admin.fieldKey')}
          description={t('admin.keyHint')}
          required
          classNames={{ input: 'ltr-value' }}
          {...form.getInputProps('key')}
        />
        <Select
          label={t('admin.fieldType')}
          data={CUSTOM_FIELD_TYPES.map((x) => ({ value: x, label: t(`fieldTypes.${x}`) }))}
          allowDeselect={false}
          {...form.getInputProps('type')}
        />
        {form.values.type === 'select' ? (
          <TagsInput label={t('admin.options')} {...form.getInputProps('options')} />
        ) : null}
        <Select
          label={t('admin.classification')}
          description={t('admin.classificationHint')}
          data={CLASSIFICATIONS.map((c) => ({ value: c, label: t(`classification.${c}`) }))}
          allowDeselect={false}
          {...form.getInputProps('classification')}
        />
        <Button type="submit" loading={save.isPending}>
          {t('common.create')}
        </Button>
      </Stack>
    </form>
  );
}

function FieldRow({ field }: { field: FieldDef }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const labelOf = useFieldLabel();
  const errorText = useErrorText();
  const change = useMutation({
    mutationFn: (c: Classification) => updateField(field.id, field.version, { classification: c }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: fieldsKey(field.object as CrmObject) });
      notify({ color: 'green', message: t('record.saved') });
    },
    onError: (e) => {
      const text = errorText(e);
      notify({ color: 'red', title: text.title, message: text.detail });
    },
  });
  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm" fw={500}>
          {labelOf(field)}
        </Text>
        <Text size="xs" c="dimmed" className="ltr-value">
          {field.key}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{t(`fieldTypes.${field.type}`, { defaultValue: field.type })}</Text>
      </Table.Td>
      <Table.Td>
        <Badge variant="light" color={field.builtin ? 'gray' : 'grape'}>
          {field.builtin ? t('admin.builtin') : t('admin.custom')}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Select
          aria-label={t('admin.classificationOf', { field: labelOf(field) })}
          size="xs"
          w={170}
          data={CLASSIFICATIONS.map((c) => ({ value: c, label: t(`classification.${c}`) }))}
          value={field.classification}
          onChange={(v) => v && v !== field.classification && change.mutate(v)}
          allowDeselect={false}
          disabled={change.isPending}
        />
      </Table.Td>
    </Table.Tr>
  );
}

/** The field registry per object: classification of built-in and custom fields, and new custom fields. */
export function FieldsPage() {
  const { t } = useTranslation();
  const [object, setObject] = useState<CrmObject>('contacts');
  const [opened, { open, close }] = useDisclosure(false);
  const fields = useFields(object);
  return (
    <>
      <PageHeader
        title={t('nav.fields')}
        description={t('admin.fieldsHint')}
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={open}>
            {t('admin.newField')}
          </Button>
        }
      />
      <Paper withBorder radius="md">
        <Tabs value={object} onChange={(v) => v && setObject(v as CrmObject)}>
          <Tabs.List px="md" pt="xs">
            {OBJECTS.map((o) => (
              <Tabs.Tab key={o} value={o}>
                {t(`nav.${o}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
        </Tabs>
        {fields.isPending ? (
          <LoadingState />
        ) : fields.isError ? (
          <ErrorAlert error={fields.error} />
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="sm" horizontalSpacing="md">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('admin.field')}</Table.Th>
                  <Table.Th>{t('admin.fieldType')}</Table.Th>
                  <Table.Th>{t('admin.origin')}</Table.Th>
                  <Table.Th>{t('admin.classification')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {fields.data.map((f) => (
                  <FieldRow key={f.id} field={f} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      <Modal opened={opened} onClose={close} title={t('admin.newField')}>
        <Group mb="sm">
          <Badge variant="light">{t(`nav.${object}`)}</Badge>
        </Group>
        <NewFieldForm object={object} onDone={close} />
      </Modal>
    </>
  );
}
