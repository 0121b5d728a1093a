import type { AppError } from '../../platform/app-error.js';
import { validationError } from '../../platform/app-error.js';
import { hasControlChars, searchTokens } from '../../platform/formats/index.js';
import { isSensitive, type FieldDefinition } from '../../security/classification/index.js';
import type { ObjectDefinition } from './object-definition.js';
import type { ExactMatch, FilterCondition, ListPlan, SortSpec } from './record-query.js';
import { checkDateTime, lookupKey, type ValueContext } from './field-values.js';

export type ListQuery = Record<string, unknown> & {
  limit?: number;
  cursor?: string;
  q?: string;
  sort?: string;
  deleted?: boolean;
};

const COMMON_SORTS: ReadonlyMap<string, string> = new Map([
  ['createdAt', 'created_at'],
  ['updatedAt', 'updated_at'],
]);
const PAGING_KEYS = new Set(['limit', 'cursor', 'q', 'sort', 'deleted']);

const refuse = (field: string, message: string): AppError => validationError(field, message);

function registryField(
  registry: readonly FieldDefinition[],
  key: string,
  builtin: boolean,
): FieldDefinition | undefined {
  return registry.find((f) => f.key === key && f.builtin === builtin);
}

/**
 * A page of records in creation or update order, nothing more: no search, no filter, no sort by a field. Such a
 * query names no field, so what the field registry says about fields matters only for showing the records, as it
 * does for a read by id.
 */
export function isPlainListQuery(query: ListQuery): boolean {
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || key === 'limit' || key === 'cursor' || key === 'deleted') continue;
    if (key === 'sort' && typeof value === 'string' && COMMON_SORTS.has(value.replace(/^[-+]/, ''))) continue;
    return false;
  }
  return true;
}

export function parseSort(
  def: ObjectDefinition,
  registry: readonly FieldDefinition[],
  raw: string | undefined,
): SortSpec {
  const s = raw ?? def.defaultSort;
  const direction = s.startsWith('-') ? 'desc' : 'asc';
  const key = s.replace(/^[-+]/, '');
  const common = COMMON_SORTS.get(key);
  if (common) return { key, direction, target: { kind: 'column', column: common, notNull: true } };
  if (key.startsWith('custom.')) {
    const f = registryField(registry, key.slice(7), false);
    if (!f) throw refuse('sort', `cannot sort by '${key}': no such field`);
    if (isSensitive(f.classification))
      throw refuse('sort', `cannot sort by '${key}': it is a ${f.classification} field`);
    return { key, direction, target: { kind: 'custom', key: f.key, fieldType: f.type } };
  }
  const spec = def.fields.find((f) => f.key === key);
  const reg = registryField(registry, key, true);
  if (!spec || !reg || !spec.sortable) throw refuse('sort', `cannot sort by '${key}'`);
  if (isSensitive(reg.classification))
    throw refuse('sort', `cannot sort by '${key}': it is a ${reg.classification} field`);
  return { key, direction, target: { kind: 'column', column: spec.column, notNull: spec.notNull === true } };
}

/** Turn validated query parameters into filter conditions; a filter on a sensitive field is refused. */
export type BlindLookup = (field: string, normalized: string) => { epoch: number; value: number };

export function parseFilters(
  def: ObjectDefinition,
  registry: readonly FieldDefinition[],
  query: ListQuery,
  ctx: ValueContext,
  blind: BlindLookup,
  exact: ExactMatch[] = [],
): FilterCondition[] {
  const out: FilterCondition[] = [];
  const blindFilter = (key: string, type: string, normalized: string): void => {
    const e = blind(key, normalized);
    out.push({ kind: 'blind', field: key, epoch: e.epoch, value: e.value });
    exact.push({ key, type, normalized });
  };
  for (const [key, raw] of Object.entries(query)) {
    if (raw === undefined || PAGING_KEYS.has(key)) continue;
    const value = typeof raw === 'string' ? raw : JSON.stringify(raw);
    if (hasControlChars(value)) throw refuse(key, 'contains control characters');
    switch (key) {
      case 'ownerId':
        out.push({ kind: 'eq', column: 'owner_id', value });
        continue;
      case 'tag':
        out.push({ kind: 'tag', tag: value.normalize('NFC').trim() });
        continue;
      case 'createdAfter':
        out.push({ kind: 'range', column: 'created_at', op: '>', value: checkDateTime(key, value) });
        continue;
      case 'createdBefore':
        out.push({ kind: 'range', column: 'created_at', op: '<', value: checkDateTime(key, value) });
        continue;
      case 'updatedAfter':
        out.push({ kind: 'range', column: 'updated_at', op: '>', value: checkDateTime(key, value) });
        continue;
      case 'contactId':
        out.push({ kind: 'deal-contact', contactId: value });
        continue;
      case 'relatedType':
      case 'relatedId': {
        if (key === 'relatedId') continue;
        const id = query.relatedId;
        if (typeof id !== 'string') throw refuse('relatedId', 'is required with relatedType');
        out.push({ kind: 'related', object: value, id });
        continue;
      }
      case 'status':
        out.push({ kind: 'null', column: 'completed_at', isNull: value === 'open' });
        continue;
      case 'dueBefore':
        out.push({ kind: 'range', column: 'due_at', op: '<', value: checkDateTime(key, value) });
        continue;
      case 'dueAfter':
        out.push({ kind: 'range', column: 'due_at', op: '>=', value: checkDateTime(key, value) });
        continue;
    }
    if (key.startsWith('custom.')) {
      const f = registryField(registry, key.slice(7), false);
      if (!f) throw refuse(key, 'is not a known field');
      if (isSensitive(f.classification)) {
        if (!f.searchable) {
          throw refuse(key, `cannot be used as a filter: it is a ${f.classification} field that is not searchable`);
        }
        blindFilter(key, f.type, lookupKey(key, f.type, value, ctx));
        continue;
      }
      out.push({ kind: 'custom-eq', key: f.key, fieldType: f.type, value: customFilterValue(key, f, value) });
      continue;
    }
    const spec = def.fields.find((f) => f.key === key);
    const reg = registryField(registry, key, true);
    if (!spec || !reg) throw refuse(key, 'is not a filter');
    if (spec.lookupColumn) {
      const normalized = lookupKey(key, spec.type, value, ctx);
      if (isSensitive(reg.classification)) blindFilter(key, spec.type, normalized);
      else out.push({ kind: 'eq', column: spec.lookupColumn, value: normalized });
      continue;
    }
    if (isSensitive(reg.classification))
      throw refuse(key, `cannot be used as a filter: it is a ${reg.classification} field`);
    if (spec.enumValues && !spec.enumValues.includes(value)) {
      throw refuse(key, `must be one of: ${spec.enumValues.join(', ')}`);
    }
    out.push({ kind: 'eq', column: spec.column, value });
  }
  if (query.relatedId !== undefined && query.relatedType === undefined) {
    throw refuse('relatedType', 'is required with relatedId');
  }
  return out;
}

function customFilterValue(key: string, f: FieldDefinition, value: string): string | number | boolean {
  switch (f.type) {
    case 'number': {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) throw refuse(key, 'must be a number');
      return n;
    }
    case 'boolean':
      if (value !== 'true' && value !== 'false') throw refuse(key, 'must be true or false');
      return value === 'true';
    default:
      return value;
  }
}

/** Search tokens of `q`, or null when there is no search. A `q` with no searchable token matches nothing. */
export function parseSearch(q: string | undefined): string[] | null {
  if (q === undefined || q.trim() === '') return null;
  return searchTokens(q);
}

export function emptyPlanParts(plan: Omit<ListPlan, 'after'>): unknown {
  return {
    s: `${plan.sort.direction}:${plan.sort.key}`,
    f: plan.filters,
    x: plan.exact,
    q: plan.searchTokens,
    d: plan.deleted,
  };
}
