import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/index.js';
import type { ObjectDefinition } from './object-definition.js';
import type { FilterCondition } from './record-query.js';

/** A list condition, with what decides its SQL text (`shape`) and the values it binds, in order (`params`). */
export interface ShapedCondition {
  sql: RawBuilder<unknown>;
  shape: string;
  params: unknown[];
}

/** A custom field's stored value as SQL (number-typed for numeric fields on PostgreSQL, byte order for text). */
export function customValueSql(db: Db, key: string, fieldType: string): RawBuilder<unknown> {
  if (db.dialect === 'postgres') {
    const text = sql`(t.custom::jsonb ->> ${customValuePath(db, key)})`;
    return fieldType === 'number' ? sql`(${text})::numeric` : sql`${text} collate "C"`;
  }
  return sql`json_extract(t.custom, ${customValuePath(db, key)})`;
}

/** The value `customValueSql` binds for a key: the key itself (PostgreSQL) or a JSON path (SQLite). */
function customValuePath(db: Db, key: string): string {
  return db.dialect === 'postgres' ? key : `$."${key}"`;
}

/**
 * A filter of a list query as a condition on the record table `t`: every value bound, never spliced, and its
 * shape, so that a filtered page can be a query shape too (QueryShapes checks the params on first compile).
 */
export function filterCondition(db: Db, def: ObjectDefinition, f: FilterCondition): ShapedCondition {
  switch (f.kind) {
    case 'eq':
      return { sql: sql`${sql.ref(`t.${f.column}`)} = ${f.value}`, shape: `eq:${f.column}`, params: [f.value] };
    case 'null':
      return {
        sql: f.isNull ? sql`${sql.ref(`t.${f.column}`)} is null` : sql`${sql.ref(`t.${f.column}`)} is not null`,
        shape: `null:${f.column}:${f.isNull}`,
        params: [],
      };
    case 'range':
      return {
        sql: sql`${sql.ref(`t.${f.column}`)} ${sql.raw(f.op)} ${f.value}`,
        shape: `range:${f.column}:${f.op}`,
        params: [f.value],
      };
    case 'custom-eq': {
      const path = customValuePath(db, f.key);
      if (f.fieldType === 'boolean') {
        const v = db.dialect === 'postgres' ? String(f.value) : f.value ? 1 : 0;
        return { sql: sql`${customValueSql(db, f.key, 'text')} = ${v}`, shape: 'custom-eq:boolean', params: [path, v] };
      }
      return {
        sql: sql`${customValueSql(db, f.key, f.fieldType)} = ${f.value}`,
        shape: `custom-eq:${f.fieldType === 'number' ? 'number' : 'text'}`,
        params: [path, f.value],
      };
    }
    case 'tag':
      return {
        sql: sql`exists (select 1 from record_tags rt where rt.object = ${def.name} and rt.record_id = t.id and rt.tag = ${f.tag})`,
        shape: 'tag',
        params: [def.name, f.tag],
      };
    case 'deal-contact':
      return {
        sql: sql`exists (select 1 from deal_contacts dc where dc.deal_id = t.id and dc.contact_id = ${f.contactId})`,
        shape: 'deal-contact',
        params: [f.contactId],
      };
    case 'related':
      return {
        sql: sql`exists (select 1 from activity_links al where al.activity_id = t.id and al.object = ${f.object} and al.record_id = ${f.id})`,
        shape: 'related',
        params: [f.object, f.id],
      };
    case 'blind':
      return {
        sql: sql`t.id in (select bi.record_id from blind_indexes bi where bi.object = ${def.name} and bi.field = ${f.field} and bi.epoch = ${f.epoch} and bi.value = ${f.value})`,
        shape: 'blind',
        params: [def.name, f.field, f.epoch, f.value],
      };
    case 'match-none':
      return { sql: sql`1 = 0`, shape: 'none', params: [] };
  }
}

/** A list's filters as conditions, in one order whatever the order of the query's parameters (one shape). */
export function filterConditions(
  db: Db,
  def: ObjectDefinition,
  filters: readonly FilterCondition[],
): ShapedCondition[] {
  return filters
    .map((f) => filterCondition(db, def, f))
    .sort((a, b) => (a.shape < b.shape ? -1 : a.shape > b.shape ? 1 : 0));
}

/**
 * The cursor condition of a page sorted by a column (`sortExpr` binds nothing), with its shape and values: the
 * last row's (value, id) for a not-null column; for a nullable one, nulls sort last.
 */
export function afterCondition(
  sortExpr: RawBuilder<unknown>,
  desc: boolean,
  notNull: boolean,
  after: { value: string | number | null; id: string },
): ShapedCondition {
  const { value, id } = after;
  const cmp = desc ? sql`<` : sql`>`;
  if (notNull) return { sql: sql`(${sortExpr}, t.id) ${cmp} (${value}, ${id})`, shape: 'after', params: [value, id] };
  if (value === null)
    return { sql: sql`(${sortExpr} is null and t.id ${cmp} ${id})`, shape: 'after-null', params: [id] };
  return {
    sql: sql`(${sortExpr} ${cmp} ${value} or (${sortExpr} = ${value} and t.id ${cmp} ${id}) or ${sortExpr} is null)`,
    shape: 'after-value',
    params: [value, value, id],
  };
}
