import type { Db } from '../../db/index.js';
import type { FieldsTable } from '../../db/database.js';
import type {
  FieldDefinition,
  FieldSource,
  CrmObjectName,
  FieldType,
  Classification,
} from '../../security/classification/index.js';

export function toDefinition(r: FieldsTable): FieldDefinition {
  return {
    id: r.id,
    object: r.object as CrmObjectName,
    key: r.key,
    label: r.label,
    type: r.type as FieldType,
    classification: r.classification as Classification,
    builtin: r.builtin === 1,
    searchable: r.searchable === 1,
    required: r.required === 1,
    options: JSON.parse(r.options) as string[],
    position: r.position,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export class FieldRepository implements FieldSource {
  constructor(private readonly db: Db) {}

  async loadAll(): Promise<FieldDefinition[]> {
    const rows = await this.db.kysely.selectFrom('fields').selectAll().where('deleted_at', 'is', null).execute();
    return rows.map(toDefinition);
  }

  async byId(id: string): Promise<FieldsTable | undefined> {
    return this.db.kysely
      .selectFrom('fields')
      .selectAll()
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
  }

  async byKey(object: string, key: string): Promise<FieldsTable | undefined> {
    return this.db.kysely
      .selectFrom('fields')
      .selectAll()
      .where('object', '=', object)
      .where('key', '=', key)
      .executeTakeFirst();
  }

  async insert(row: FieldsTable): Promise<void> {
    await this.db.kysely.insertInto('fields').values(row).execute();
  }

  /** Insert the row unless (object, key) exists; built-in sync never overwrites an admin's choices. */
  async insertIfMissing(row: FieldsTable): Promise<void> {
    await this.db.kysely
      .insertInto('fields')
      .values(row)
      .onConflict((oc) => oc.columns(['object', 'key']).doNothing())
      .execute();
  }

  async update(id: string, version: number, changes: Partial<FieldsTable>): Promise<boolean> {
    const r = await this.db.kysely
      .updateTable('fields')
      .set({ ...changes, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async maxPosition(object: string): Promise<number> {
    const r = await this.db.kysely
      .selectFrom('fields')
      .select((eb) => eb.fn.max<number>('position').as('p'))
      .where('object', '=', object)
      .executeTakeFirst();
    return Number(r?.p ?? 0);
  }
}
