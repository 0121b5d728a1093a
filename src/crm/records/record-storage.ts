import { maskCard } from '../../platform/formats/index.js';
import { maskValue } from '../../security/access/masking.js';
import { isSensitive, type FieldDefinition } from '../../security/classification/index.js';
import type { CryptoService, Dek, IndexEntry, SealedValues } from '../../security/crypto/index.js';
import type { BuiltinFieldSpec, ObjectDefinition } from './object-definition.js';
import type { Row } from './record.repository.js';
import { lookupNormal } from './field-values.js';

/**
 * Classification decides storage. Values of restricted/pci fields (built-in and custom) leave their
 * plaintext columns and travel in one sealed envelope per record; fields that can be looked up get
 * blind-index entries instead of a plaintext index. Card columns keep only the PCI-permitted mask
 * (first 6 + last 4). Everything else is stored as is.
 */
export interface StoragePlan {
  /** Columns to write (plaintext fields; sensitive ones cleared). */
  columns: Row;
  /** Custom values that may be stored in plaintext JSON. */
  plainCustom: Record<string, unknown>;
  /** The record's complete sensitive values (built-in by key, custom as `custom.<key>`). */
  sensitive: SealedValues;
  /** Blind-index entries: field → entries. */
  indexes: { field: string; entries: IndexEntry[] }[];
  /** Write-time masks of the sensitive values (JSON for the `masks` column), null when none. */
  masks: string | null;
}

const SEALED_CUSTOM = 'custom.';

export function sensitiveSpecs(def: ObjectDefinition, registry: readonly FieldDefinition[]): BuiltinFieldSpec[] {
  return def.fields.filter((s) => {
    const reg = registry.find((r) => r.builtin && r.key === s.key);
    return reg !== undefined && isSensitive(reg.classification);
  });
}

/** Is this field looked up exactly (`?email=`, searchable restricted custom fields, card matching)? */
export function isLookupField(spec: BuiltinFieldSpec | undefined, custom: FieldDefinition | undefined): boolean {
  if (spec) return spec.lookupColumn !== undefined || spec.type === 'card';
  return custom !== undefined && custom.searchable;
}

/**
 * Split a record's full logical content into what is stored where.
 * `builtinValues` maps columns → values for every built-in column (merged with the existing row on update);
 * `sensitiveNow` carries sensitive values already known (decrypted existing envelope, or new input).
 */
export function planStorage(
  def: ObjectDefinition,
  registry: readonly FieldDefinition[],
  builtinValues: Row,
  custom: Record<string, unknown>,
  crypto: CryptoService,
): StoragePlan {
  const columns: Row = { ...builtinValues };
  const sensitive: SealedValues = {};
  const indexes: StoragePlan['indexes'] = [];
  for (const spec of sensitiveSpecs(def, registry)) {
    const value = builtinValues[spec.column];
    if (value !== null && value !== undefined) {
      sensitive[spec.key] = value;
      if (isLookupField(spec, undefined) && typeof value === 'string') {
        indexes.push({
          field: spec.key,
          entries: crypto.indexEntries(def.name, spec.key, lookupNormal(spec.type, value)),
        });
      }
    }
    columns[spec.column] =
      spec.type === 'card' && typeof value === 'string' ? maskCard(value) : spec.notNull ? '' : null;
    if (spec.lookupColumn && spec.lookupColumn !== spec.column) columns[spec.lookupColumn] = null;
  }
  const plainCustom: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(custom)) {
    const f = registry.find((r) => !r.builtin && r.key === key);
    if (!f) continue;
    if (!isSensitive(f.classification)) {
      plainCustom[key] = value;
      continue;
    }
    sensitive[SEALED_CUSTOM + key] = value;
    if (isLookupField(undefined, f) && (typeof value === 'string' || typeof value === 'number')) {
      indexes.push({
        field: SEALED_CUSTOM + key,
        entries: crypto.indexEntries(def.name, SEALED_CUSTOM + key, lookupNormal(f.type, String(value))),
      });
    }
  }
  const masks: Record<string, string> = {};
  for (const [key, value] of Object.entries(sensitive)) {
    const type = key.startsWith(SEALED_CUSTOM)
      ? registry.find((r) => !r.builtin && r.key === key.slice(SEALED_CUSTOM.length))?.type
      : def.fields.find((f) => f.key === key)?.type;
    if (type) masks[key] = maskValue(type, value);
  }
  return {
    columns,
    plainCustom,
    sensitive,
    indexes,
    masks: Object.keys(masks).length > 0 ? JSON.stringify(masks) : null,
  };
}

/** The logical values of a stored row: plaintext columns overlaid with its opened envelope. */
export function mergeSealed(
  def: ObjectDefinition,
  row: Row,
  opened: SealedValues | null,
): { builtin: Row; custom: Record<string, unknown> } {
  const builtin: Row = {};
  for (const spec of def.fields) builtin[spec.column] = row[spec.column] ?? null;
  for (const spec of def.fields)
    if (spec.lookupColumn && spec.lookupColumn !== spec.column)
      builtin[spec.lookupColumn] = row[spec.lookupColumn] ?? null;
  const custom = { ...(JSON.parse(typeof row.custom === 'string' ? row.custom : '{}') as Record<string, unknown>) };
  if (opened) {
    for (const [k, v] of Object.entries(opened)) {
      if (k.startsWith(SEALED_CUSTOM)) custom[k.slice(SEALED_CUSTOM.length)] = v;
      else {
        const spec = def.fields.find((s) => s.key === k);
        if (spec) builtin[spec.column] = v;
      }
    }
  }
  return { builtin, custom };
}

/** Seal a plan's sensitive values (null when there are none). */
export function sealPlan(
  crypto: CryptoService,
  table: string,
  recordId: string,
  dek: Dek,
  plan: StoragePlan,
): string | null {
  return Object.keys(plan.sensitive).length > 0 ? crypto.seal(table, recordId, dek, plan.sensitive) : null;
}
