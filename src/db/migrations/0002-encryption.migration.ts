import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../connect.js';

type AnyDb = Kysely<unknown>;

const RECORD_TABLES = ['companies', 'contacts', 'deals', 'activities'] as const;

/**
 * Field-level encryption: a sealed envelope per record (all its restricted/pci values in one AEAD
 * call) and the key store: KEKs wrapped by the root, per-subject DEKs wrapped by a KEK, blind-index
 * epochs and rows, and resumable rotation state.
 */
export function encryptionMigration(dialect: DialectName): Migration {
  const text = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  const ts = dialect === 'postgres' ? sql`timestamptz` : sql`text`;
  return {
    async up(db: AnyDb): Promise<void> {
      for (const table of RECORD_TABLES) {
        await db.schema.alterTable(table).addColumn('sealed', text).execute();
        await db.schema.alterTable(table).addColumn('sealed_kid', text).execute();
      }

      await db.schema
        .createTable('keks')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('version', 'integer', (c) => c.notNull().unique())
        .addColumn('root_key_id', text, (c) => c.notNull())
        .addColumn('wrapped', text, (c) => c.notNull())
        .addColumn('status', text, (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('retired_at', ts)
        .execute();

      await db.schema
        .createTable('subject_keys')
        .addColumn('dek_id', text, (c) => c.primaryKey())
        .addColumn('subject_type', text, (c) => c.notNull())
        .addColumn('subject_id', text, (c) => c.notNull())
        .addColumn('kek_id', text, (c) => c.notNull().references('keks.id'))
        .addColumn('wrapped', text)
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('destroyed_at', ts)
        .execute();
      await db.schema
        .createIndex('subject_keys_subject_idx')
        .on('subject_keys')
        .columns(['subject_type', 'subject_id'])
        .execute();
      await db.schema.createIndex('subject_keys_kek_idx').on('subject_keys').columns(['kek_id']).execute();

      await db.schema
        .createTable('index_epochs')
        .addColumn('epoch', 'integer', (c) => c.primaryKey())
        .addColumn('kek_id', text, (c) => c.notNull().references('keks.id'))
        .addColumn('bits', 'integer', (c) => c.notNull())
        .addColumn('status', text, (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('blind_indexes')
        .addColumn('object', text, (c) => c.notNull())
        .addColumn('field', text, (c) => c.notNull())
        .addColumn('epoch', 'integer', (c) => c.notNull())
        .addColumn('value', 'integer', (c) => c.notNull())
        .addColumn('record_id', text, (c) => c.notNull())
        .addPrimaryKeyConstraint('blind_indexes_pk', ['object', 'field', 'epoch', 'value', 'record_id'])
        .execute();
      await db.schema
        .createIndex('blind_indexes_record_idx')
        .on('blind_indexes')
        .columns(['object', 'record_id'])
        .execute();

      await db.schema
        .createTable('key_rotations')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('state', text, (c) => c.notNull())
        .addColumn('from_kek_id', text, (c) => c.notNull())
        .addColumn('to_kek_id', text, (c) => c.notNull())
        .addColumn('to_epoch', 'integer', (c) => c.notNull())
        .addColumn('progress', text, (c) => c.notNull().defaultTo('{}'))
        .addColumn('started_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .addColumn('finished_at', ts)
        .execute();

      if (dialect === 'sqlite') {
        // Deleted plaintext must not linger in free pages of the database file.
        await sql`pragma secure_delete = on`.execute(db);
      }
    },
  };
}
