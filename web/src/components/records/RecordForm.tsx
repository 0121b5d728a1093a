import { Button, Checkbox, Group, NumberInput, Select, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../lib/api/problem';
import { createRecord, updateRecord, type RecordBody } from '../../lib/api/records';
import type { CrmObject, CrmRecord, FieldDef } from '../../lib/api/types';
import { useFieldLabel } from '../../lib/fields';
import { minorUnits, parseAmount, useFormat } from '../../lib/format';
import { checkFormat, isCheckedKind } from '../../lib/validation';
import { useValidationText } from '../../lib/validation-text';
import { DateField, DateTimeField } from '../DateField';
import { ErrorAlert } from '../ErrorAlert';
import { RefSelect } from './RefSelect';

type Values = Record<string, string | boolean>;

export const CURRENCIES = ['IRR', 'USD', 'EUR', 'GBP', 'AED', 'TRY', 'CAD', 'JPY'];
const ENUMS: Record<string, string[]> = {
  type: ['note', 'call', 'meeting', 'email', 'task'],
};
const LTR = new Set(['email', 'phone', 'url', 'domain', 'national-id', 'iban', 'card']);
const WIDE = new Set(['longtext', 'address', 'related']);

export interface FieldOverride {
  render: (props: { value: string; onChange: (v: string) => void; error?: ReactNode; label: string }) => ReactNode;
}

const formKey = (f: FieldDef) => (f.builtin ? f.key : `custom.${f.key}`);

function initialValue(f: FieldDef, record: CrmRecord | undefined, preset: Record<string, string>): string | boolean {
  const key = formKey(f);
  if (preset[key] !== undefined) return preset[key];
  const raw = record
    ? f.builtin
      ? (record as unknown as Record<string, unknown>)[f.key]
      : record.custom[f.key]
    : undefined;
  if (f.type === 'boolean') return raw === true;
  if (f.type === 'money' && typeof raw === 'number') {
    const cur = (record as unknown as { currency?: string } | undefined)?.currency ?? 'USD';
    return String(raw / 10 ** minorUnits(cur));
  }
  return typeof raw === 'string' || typeof raw === 'number' ? String(raw) : '';
}

/** Create or edit a record from its field registry: labels, types and custom fields come from the server. */
export function RecordForm({
  object,
  fields,
  record,
  hidden = [],
  preset = {},
  extraBody = {},
  overrides = {},
  onSaved,
  onCancel,
}: {
  object: CrmObject;
  fields: FieldDef[];
  record?: CrmRecord;
  hidden?: string[];
  preset?: Record<string, string>;
  extraBody?: RecordBody;
  overrides?: Record<string, FieldOverride>;
  onSaved: (r: CrmRecord) => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const labelOf = useFieldLabel();
  const reasonText = useValidationText();
  const shown = fields.filter((f) => !hidden.includes(f.key) && f.type !== 'related' && f.type !== 'refs');
  const form = useForm<Values>({
    initialValues: Object.fromEntries(shown.map((f) => [formKey(f), initialValue(f, record, preset)])),
    validate: Object.fromEntries(
      shown.map((f) => [
        formKey(f),
        (v: string | boolean) => {
          const label = labelOf(f);
          if (f.required && (v === '' || v === undefined)) return reasonText(label, 'is required');
          if (typeof v === 'string' && isCheckedKind(f.type)) {
            const reason = checkFormat(f.type, v);
            if (reason) return reasonText(label, reason);
          }
          return null;
        },
      ]),
    ),
  });

  const save = useMutation({
    mutationFn: (values: Values) => {
      const body: RecordBody = { ...extraBody };
      const custom: Record<string, unknown> = {};
      const currency = typeof values.currency === 'string' && values.currency ? values.currency : 'USD';
      for (const f of shown) {
        const v = values[formKey(f)];
        let out: unknown = v === '' ? null : v;
        if (f.type === 'money' && typeof v === 'string') out = v === '' ? 0 : (parseAmount(v, currency) ?? v);
        if (f.type === 'number' && typeof v === 'string' && v !== '') out = Number(v);
        if (f.builtin) body[f.key] = out;
        else custom[f.key] = out;
      }
      if (Object.keys(custom).length > 0) body.custom = custom;
      if (record) {
        const changed: RecordBody = {};
        const before = record as unknown as Record<string, unknown>;
        for (const [k, v] of Object.entries(body)) if (k === 'custom' || before[k] !== v) changed[k] = v;
        return updateRecord(object, record.id, record.version, changed);
      }
      return createRecord(object, body);
    },
    onSuccess: onSaved,
    onError: (e) => {
      if (!isApiError(e)) return;
      for (const fe of e.errors) {
        const f = shown.find((x) => formKey(x) === fe.field);
        if (f) form.setFieldError(fe.field, reasonText(labelOf(f), fe.message));
      }
    },
  });

  const input = (f: FieldDef) => {
    const key = formKey(f);
    const label = labelOf(f);
    const props = form.getInputProps(key);
    const str = typeof form.values[key] === 'string' ? form.values[key] : '';
    const set = (v: string) => form.setFieldValue(key, v);
    const err = form.errors[key];
    const override = overrides[f.key];
    if (override) return override.render({ value: str, onChange: set, error: err, label });
    switch (f.type) {
      case 'longtext':
        return <Textarea label={label} autosize minRows={2} required={f.required} {...props} />;
      case 'date':
        return <DateField label={label} value={str} onChange={set} error={err} required={f.required} />;
      case 'datetime':
        return <DateTimeField label={label} value={str} onChange={set} error={err} />;
      case 'boolean':
        return <Checkbox mt="lg" label={label} {...form.getInputProps(key, { type: 'checkbox' })} />;
      case 'number':
        return (
          <NumberInput label={label} value={str} onChange={(v) => set(String(v))} error={err} required={f.required} />
        );
      case 'currency':
        return (
          <Select label={label} data={CURRENCIES} searchable required={f.required} {...props} allowDeselect={false} />
        );
      case 'enum':
      case 'select': {
        const options = f.options.length > 0 ? f.options : (ENUMS[f.key] ?? []);
        return (
          <Select
            label={label}
            data={options.map((o) => ({ value: o, label: t(`enums.${f.key}.${o}`, { defaultValue: o }) }))}
            clearable={!f.required}
            required={f.required}
            {...props}
          />
        );
      }
      case 'ref':
        if (f.key === 'companyId') {
          return (
            <RefSelect
              object="companies"
              label={label}
              value={str || null}
              onChange={(v) => set(v ?? '')}
              error={typeof err === 'string' ? err : undefined}
            />
          );
        }
        return <TextInput label={label} {...props} />;
      case 'money':
        return (
          <TextInput
            label={label}
            inputMode="decimal"
            classNames={{ input: 'ltr-value' }}
            description={
              str && parseAmount(str, String(form.values.currency || 'USD')) !== null
                ? fmt.money(
                    parseAmount(str, String(form.values.currency || 'USD')) ?? 0,
                    String(form.values.currency || 'USD'),
                  )
                : undefined
            }
            {...props}
          />
        );
      default:
        return (
          <TextInput
            label={label}
            required={f.required}
            type={f.type === 'email' ? 'email' : f.type === 'url' ? 'url' : 'text'}
            classNames={LTR.has(f.type) ? { input: 'ltr-value' } : undefined}
            autoComplete="off"
            {...props}
          />
        );
    }
  };

  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
      <Stack gap="md">
        {save.isError ? <ErrorAlert error={save.error} /> : null}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
          {shown.map((f) => (
            <div key={f.id} style={WIDE.has(f.type) || WIDE.has(f.key) ? { gridColumn: '1 / -1' } : undefined}>
              {input(f)}
            </div>
          ))}
        </SimpleGrid>
        <Group justify="flex-end" gap="sm">
          {onCancel ? (
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
          ) : null}
          <Button type="submit" loading={save.isPending}>
            {record ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
