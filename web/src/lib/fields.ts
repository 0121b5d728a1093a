import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from './api/client';
import type { Classification, CrmObject, FieldDef } from './api/types';

export const fieldsKey = (object: CrmObject) => ['fields', object] as const;

/** The field registry of one object: built-in and custom fields with their classification. */
export function useFields(object: CrmObject) {
  return useQuery({
    queryKey: fieldsKey(object),
    queryFn: async () =>
      (await unwrap(api.GET('/api/v1/fields', { params: { query: { object } } }))).items.sort(
        (a, b) => a.position - b.position,
      ),
    staleTime: 5 * 60_000,
  });
}

export const isSensitive = (c: Classification): boolean => c === 'restricted' || c === 'pci';

/** A field's label in the UI language: built-ins are translated, custom fields show what the admin named them. */
export function useFieldLabel() {
  const { t } = useTranslation();
  return (f: Pick<FieldDef, 'object' | 'key' | 'label' | 'builtin'>): string =>
    f.builtin ? t(`fields.${f.object}.${f.key}`, { defaultValue: f.label }) : f.label;
}
