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

type Mode = NonNullable<FieldDef['mode']>;

/**
 * How the signed-in person sees each field of an object (GET /fields tells, per field): lists offer only fields
 * the API would let them filter, sort or show. Keys as the list API names them: built-ins bare, custom
 * `custom.<key>`. Keys that are not fields (owner, stage …) and fields whose mode is not known yet pass.
 */
export function useFieldAccess(object: CrmObject) {
  const fields = useFields(object);
  const modes = new Map<string, Mode>();
  const queryModes = new Map<string, Mode>();
  const classes = new Map<string, Classification>();
  for (const f of fields.data ?? []) {
    const key = f.builtin ? f.key : `custom.${f.key}`;
    if (f.mode) modes.set(key, f.mode);
    if (f.queryMode ?? f.mode) queryModes.set(key, f.queryMode ?? f.mode ?? 'none');
    classes.set(key, f.classification);
  }
  const modeOf = (key: string): Mode | undefined => modes.get(key);
  const queryModeOf = (key: string): Mode | undefined => queryModes.get(key);
  return {
    /**
     * Personal or card data (or a custom field not known yet): a saved view leaves its filter value out, as the
     * server keeps preferences unencrypted and refuses them.
     */
    protectedData: (key: string) => {
      const c = classes.get(key);
      return c === undefined ? key.startsWith('custom.') : isSensitive(c);
    },
    /** Shown at least masked on some record (a column). */
    visible: (key: string) => modeOf(key) !== 'none',
    /** Seen at least masked on every record the person reads (an exact-match filter on a lookup field). */
    lookup: (key: string) => queryModeOf(key) !== 'none',
    /** Readable in clear on every record the person reads (sorting and open filters need it). */
    readable: (key: string) => {
      const m = queryModeOf(key);
      return m === undefined || m === 'read' || m === 'write';
    },
  };
}

export const isSensitive = (c: Classification): boolean => c === 'restricted' || c === 'pci';

/** A field's label in the UI language: built-ins are translated, custom fields show what the admin named them. */
export function useFieldLabel() {
  const { t } = useTranslation();
  return (f: Pick<FieldDef, 'object' | 'key' | 'label' | 'builtin'>): string =>
    f.builtin ? t(`fields.${f.object}.${f.key}`, { defaultValue: f.label }) : f.label;
}
