import type { FieldDefinition } from '../../security/classification/index.js';
import type { SensitiveChange } from '../../security/audit/index.js';
import type { ObjectDefinition } from './object-definition.js';
import type { Row } from './record.repository.js';

/** A record's logical content, before or after a write (sensitive values in clear: handle with care). */
export interface RecordState {
  builtin: Row;
  custom: Record<string, unknown>;
  tags: readonly string[];
  ownerId: unknown;
}

export interface RecordChanges {
  /** Field-level before/after of public and internal fields: safe on the event bus, in the log and at the SIEM. */
  clear: Record<string, { before: unknown; after: unknown }>;
  /** Confidential/restricted/pci fields that changed: for the audit trail's sealed channel only, never the bus. */
  sensitive: SensitiveChange[];
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * What a write changed, field by field (API keys; custom fields as `custom.<key>`), split by the field
 * registry's classification: confidential, restricted and pci values never go where other subscribers could read
 * them. Confidential values (a company's IBAN and tax ID) are stored in clear for the people who may read them, but
 * the audit trail goes further — to auditors and a SIEM — and outlives the record: it keeps them sealed under the
 * record's key, as it does restricted ones.
 */
export function diffRecord(
  def: ObjectDefinition,
  fields: readonly FieldDefinition[],
  before: RecordState | null,
  after: RecordState,
): RecordChanges {
  const out: RecordChanges = { clear: {}, sensitive: [] };
  const sensitive = (f: FieldDefinition | undefined): boolean =>
    f?.classification === 'confidential' || f?.classification === 'restricted' || f?.classification === 'pci';
  const put = (
    key: string,
    f: FieldDefinition | undefined,
    b: unknown,
    a: unknown,
    unknownIsSensitive = false,
  ): void => {
    if (same(b, a)) return;
    if (sensitive(f) || (unknownIsSensitive && !f))
      out.sensitive.push({ field: key, before: b ?? null, after: a ?? null });
    else out.clear[key] = { before: b ?? null, after: a ?? null };
  };
  for (const spec of def.fields) {
    const f = fields.find((x) => x.builtin && x.key === spec.key);
    put(spec.key, f, before?.builtin[spec.column], after.builtin[spec.column]);
  }
  const customKeys = new Set([...Object.keys(before?.custom ?? {}), ...Object.keys(after.custom)]);
  for (const key of customKeys) {
    const f = fields.find((x) => !x.builtin && x.key === key);
    // A custom field no longer in the registry may have been restricted: treat it as sensitive.
    put(`custom.${key}`, f, before?.custom[key], after.custom[key], true);
  }
  put('tags', undefined, before?.tags ?? [], after.tags);
  put('ownerId', undefined, before?.ownerId, after.ownerId);
  return out;
}
