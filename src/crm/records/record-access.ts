import { fieldMode, forbiddenField, queryFieldMode, type Actor } from '../../security/access/index.js';
import { isPlainIndexable, type FieldDefinition } from '../../security/classification/index.js';
import type { ObjectDefinition } from './object-definition.js';
import type { ListQuery } from './record-list.js';

const COMMON_KEYS = new Set(['id', 'ownerId', 'tags', 'custom', 'version', 'createdAt', 'updatedAt', 'deletedAt']);
const QUERY_KEYS = new Set([
  'limit',
  'cursor',
  'q',
  'sort',
  'deleted',
  'ownerId',
  'tag',
  'createdAfter',
  'createdBefore',
  'updatedAfter',
  'contactId',
  'relatedType',
  'relatedId',
  'status',
  'dueBefore',
  'dueAfter',
]);

/**
 * Query parameters that filter by a field under another name: they need the same mode as a filter on that field
 * (a date range on a hidden due date would otherwise find the date by bisection).
 */
const FILTERS_BY_FIELD: Readonly<Record<string, string>> = {
  dueBefore: 'dueAt',
  dueAfter: 'dueAt',
  status: 'completedAt',
  contactId: 'contactIds',
  relatedType: 'related',
  relatedId: 'related',
};

const keyOf = (f: FieldDefinition): string => (f.builtin ? f.key : `custom.${f.key}`);
/** The field a query key names (`email`, `custom.tier`), as keyOf spells it. */
const fieldOfKey = (fields: readonly FieldDefinition[], key: string): FieldDefinition | undefined =>
  key.startsWith('custom.')
    ? fields.find((x) => !x.builtin && x.key === key.slice('custom.'.length))
    : fields.find((x) => x.builtin && x.key === key);

/** Writing a field needs 'write' on it for a record of this owner; anything else is refused (403), not ignored. */
export function requireWritable(
  actor: Actor,
  def: ObjectDefinition,
  fields: readonly FieldDefinition[],
  body: Record<string, unknown>,
  ownerId: string,
): void {
  const check = (f: FieldDefinition): void => {
    const m = fieldMode(actor, def.name, keyOf(f), f.classification, ownerId);
    if (m !== 'write' && m !== 'masked-write') throw forbiddenField(keyOf(f), 'change');
  };
  for (const key of Object.keys(body)) {
    if (COMMON_KEYS.has(key)) continue;
    const f = fields.find((x) => x.builtin && x.key === key);
    if (f) check(f);
  }
  const custom = body.custom;
  if (custom && typeof custom === 'object') {
    for (const key of Object.keys(custom)) {
      const f = fields.find((x) => !x.builtin && x.key === key);
      if (f) check(f);
    }
  }
}

/**
 * Filtering, sorting or searching by a field the actor may not read is refused (403), never
 * silently ignored: otherwise the answer becomes an oracle for the hidden value. Exact lookups
 * (email, phone, national ID, searchable restricted fields) work for roles that see the field masked.
 */
export function requireQueryable(
  actor: Actor,
  def: ObjectDefinition,
  fields: readonly FieldDefinition[],
  query: ListQuery,
): void {
  const mode = (f: FieldDefinition): string => queryFieldMode(actor, def.name, keyOf(f), f.classification);
  for (const key of Object.keys(query)) {
    if (query[key] === undefined) continue;
    const byField = Object.hasOwn(FILTERS_BY_FIELD, key) ? FILTERS_BY_FIELD[key] : undefined;
    if (byField !== undefined) {
      const f = fields.find((x) => x.builtin && x.key === byField);
      const m = f ? mode(f) : 'read';
      if (m !== 'read' && m !== 'write') throw forbiddenField(key, 'filter by');
      continue;
    }
    if (QUERY_KEYS.has(key)) continue;
    const f = fieldOfKey(fields, key);
    if (!f) continue;
    const spec = def.fields.find((s) => s.key === f.key);
    const lookup = f.builtin ? spec?.lookupColumn !== undefined : f.searchable;
    const m = mode(f);
    const masked = m === 'masked' || m === 'masked-write';
    if (m === 'none' || (masked && !lookup)) throw forbiddenField(key, 'filter by');
  }
  if (typeof query.sort === 'string') {
    const key = query.sort.replace(/^[-+]/, '');
    const f = fieldOfKey(fields, key);
    if (f && mode(f) !== 'read' && mode(f) !== 'write') throw forbiddenField(key, 'sort by');
  }
  if (typeof query.q === 'string' && query.q.trim() !== '') {
    const hidden = fields.find(
      (f) => f.searchable && isPlainIndexable(f.classification) && mode(f) !== 'read' && mode(f) !== 'write',
    );
    if (hidden) throw forbiddenField(keyOf(hidden), 'search');
  }
}

/**
 * The fields a query filters by exact value that the actor sees only masked (as the query names them): each such
 * filter confirms or denies the value typed, so these lookups are rationed (masked-lookups.ts). requireQueryable has
 * already refused every other filter on a field the actor does not read in clear.
 */
export function maskedFilters(
  actor: Actor,
  def: ObjectDefinition,
  fields: readonly FieldDefinition[],
  query: ListQuery,
): string[] {
  const out: string[] = [];
  for (const key of Object.keys(query)) {
    if (query[key] === undefined || QUERY_KEYS.has(key) || Object.hasOwn(FILTERS_BY_FIELD, key)) continue;
    const f = fieldOfKey(fields, key);
    if (!f) continue;
    const m = queryFieldMode(actor, def.name, keyOf(f), f.classification);
    if (m === 'masked' || m === 'masked-write') out.push(keyOf(f));
  }
  return out;
}
