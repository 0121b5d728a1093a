import { Type, type TSchema } from 'typebox';
import type { BuiltinFieldSpec, ObjectDefinition } from './object-definition.js';
import { extraFiltersOf } from './record-query.js';

/**
 * TypeBox schemas of a CRM object's routes, derived from its definition: what the body may contain
 * (unknown fields are an error), what a response carries (nothing unlisted), and which query
 * parameters exist. Custom fields travel in `custom` and are checked against the registry.
 */
const Id = Type.String({ format: 'uuid', description: 'UUID' });
const Nullable = (t: TSchema): TSchema => Type.Union([t, Type.Null()]);
const Timestamp = Type.String({ format: 'date-time' });
const CustomValue = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);
const RelatedItem = Type.Object(
  { type: Type.Union([Type.Literal('companies'), Type.Literal('contacts'), Type.Literal('deals')]), id: Id },
  { additionalProperties: false },
);
export const TagsSchema = Type.Array(
  Type.String({ minLength: 1, maxLength: 64, pattern: '^[^\\u0000-\\u001f\\u007f]*$' }),
  { maxItems: 50 },
);

function inputType(f: BuiltinFieldSpec): TSchema {
  switch (f.type) {
    case 'text':
    case 'longtext':
      return Type.String({ maxLength: (f.maxLength ?? 500) * 2 });
    case 'email':
    case 'phone':
    case 'national-id':
    case 'iban':
    case 'card':
    case 'url':
    case 'domain':
      return Type.String({ maxLength: 2048 });
    case 'date':
      return Type.String({ maxLength: 10, description: 'YYYY-MM-DD' });
    case 'datetime':
      return Type.String({ maxLength: 40, description: 'ISO 8601 date-time with offset' });
    case 'money':
      return Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'integer minor units' });
    case 'currency':
      return Type.String({ minLength: 3, maxLength: 3, description: 'ISO 4217 code' });
    case 'enum':
      return Type.Union((f.enumValues ?? []).map((v) => Type.Literal(v)));
    case 'ref':
      return Id;
    case 'refs':
      return Type.Array(Id, { maxItems: 100, uniqueItems: true });
    case 'related':
      return Type.Array(RelatedItem, { maxItems: 20 });
  }
}

function outputType(f: BuiltinFieldSpec): TSchema {
  switch (f.type) {
    case 'money':
      return Type.Integer();
    case 'refs':
      return Type.Array(Type.String());
    case 'related':
      return Type.Array(Type.Object({ type: Type.String(), id: Type.String() }));
    case 'enum':
    case 'text':
    case 'longtext':
    case 'email':
    case 'phone':
    case 'national-id':
    case 'iban':
    case 'card':
    case 'url':
    case 'domain':
    case 'date':
    case 'datetime':
    case 'currency':
    case 'ref':
      return f.notNull ? Type.String() : Nullable(Type.String());
  }
}

export function recordResponseSchema(def: ObjectDefinition): TSchema {
  const props: Record<string, TSchema> = { id: Type.String() };
  // a field the caller may not read is absent, so every field is optional in responses
  for (const f of def.fields) props[f.key] = Type.Optional(outputType(f));
  Object.assign(props, {
    ownerId: Type.String(),
    tags: Type.Array(Type.String()),
    custom: Type.Record(Type.String(), CustomValue),
    version: Type.Integer(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
    deletedAt: Nullable(Type.String()),
  });
  return Type.Object(props, { additionalProperties: false, title: def.singular });
}

export function createBodySchema(def: ObjectDefinition): TSchema {
  const props: Record<string, TSchema> = {};
  for (const f of def.fields) {
    const t = f.required ? inputType(f) : Nullable(inputType(f));
    props[f.key] = f.required ? t : Type.Optional(t);
  }
  props.ownerId = Type.Optional(Id);
  props.tags = Type.Optional(TagsSchema);
  props.custom = Type.Optional(Type.Record(Type.String({ maxLength: 64 }), CustomValue, { maxProperties: 200 }));
  return Type.Object(props, { additionalProperties: false });
}

export function updateBodySchema(def: ObjectDefinition): TSchema {
  const props: Record<string, TSchema> = {};
  for (const f of def.fields) props[f.key] = Type.Optional(f.required ? inputType(f) : Nullable(inputType(f)));
  props.ownerId = Type.Optional(Id);
  props.tags = Type.Optional(TagsSchema);
  props.custom = Type.Optional(Type.Record(Type.String({ maxLength: 64 }), CustomValue, { maxProperties: 200 }));
  props.version = Type.Optional(
    Type.Integer({ minimum: 1, maximum: 2147483647, description: 'The version you read (or send If-Match)' }),
  );
  return Type.Object(props, { additionalProperties: false, minProperties: 1 });
}

export function listQuerySchema(def: ObjectDefinition): TSchema {
  return queryObject({
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 2048 })),
    ...queryFilters(def),
  });
}

/** An export takes the list's query (filters, search, sort) without paging, and the file's format. */
export function exportQuerySchema(def: ObjectDefinition): TSchema {
  return queryObject({
    format: Type.Optional(
      Type.Union([Type.Literal('csv'), Type.Literal('ndjson')], {
        default: 'csv',
        description: 'csv (spreadsheet-safe, UTF-8 with BOM) or ndjson (one JSON record per line)',
      }),
    ),
    ...queryFilters(def),
  });
}

function queryObject(props: Record<string, TSchema>): TSchema {
  return Type.Object(props, {
    additionalProperties: false,
    patternProperties: { '^custom\\.[a-z][a-zA-Z0-9_]{0,62}$': Type.String({ maxLength: 500 }) },
  });
}

function queryFilters(def: ObjectDefinition): Record<string, TSchema> {
  const props: Record<string, TSchema> = {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Full-text search over non-restricted text fields' })),
    sort: Type.Optional(Type.String({ maxLength: 80, description: 'Field key, prefix with - for descending' })),
    deleted: Type.Optional(Type.Boolean({ description: 'List the trash (soft-deleted records) instead' })),
    ownerId: Type.Optional(Id),
    tag: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    createdAfter: Type.Optional(Timestamp),
    createdBefore: Type.Optional(Timestamp),
    updatedAfter: Type.Optional(Timestamp),
  };
  for (const f of def.fields) {
    if (f.lookupColumn) props[f.key] = Type.Optional(Type.String({ minLength: 1, maxLength: 320 }));
    else if (f.filterable) props[f.key] = Type.Optional(f.type === 'ref' ? Id : Type.String({ maxLength: 500 }));
  }
  for (const extra of extraFiltersOf(def.name)) props[extra.key] = Type.Optional(extra.schema);
  return props;
}

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

export const listResponseSchema = (item: TSchema): TSchema =>
  Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) }, { additionalProperties: false });
