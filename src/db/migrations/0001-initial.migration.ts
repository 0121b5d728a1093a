import { sql, type Kysely, type Migration, type ColumnDataType, type Expression } from 'kysely';
import type { DialectName } from '../connect.js';
import { newId } from '../../platform/ids.js';

type AnyDb = Kysely<unknown>;
type ColType = ColumnDataType | Expression<unknown>;

/** Column types that mean the same on both dialects (text sorts by code point on both). */
function types(dialect: DialectName): { text: ColType; ts: ColType; bigint: ColType; int: ColType } {
  return dialect === 'postgres'
    ? { text: sql`text collate "C"`, ts: 'timestamptz', bigint: 'bigint', int: 'integer' }
    : { text: 'text', ts: 'text', bigint: 'integer', int: 'integer' };
}

const RECORD_TABLES = ['companies', 'contacts', 'deals', 'activities'] as const;

const BUILTIN_ROLES: [string, string, string][] = [
  ['admin', 'Administrator', 'Manages users, roles, fields and settings; all records.'],
  [
    'security-officer',
    'Security officer',
    'Security settings, audit, incidents, access reviews and keys; reads all records.',
  ],
  ['sales-manager', 'Sales manager', 'All records, pipelines and team reports.'],
  ['sales-rep', 'Sales representative', 'Own records.'],
  ['support', 'Support', 'Reads all records and adds activities.'],
  ['auditor', 'Auditor', 'Reads records without personal data, and the audit log.'],
  ['read-only', 'Read-only', 'Reads records without personal data.'],
];

const DEFAULT_STAGES: [string, number, string][] = [
  ['Lead', 10, 'open'],
  ['Qualified', 25, 'open'],
  ['Proposal', 50, 'open'],
  ['Negotiation', 75, 'open'],
  ['Won', 100, 'won'],
  ['Lost', 0, 'lost'],
];

export function initialMigration(dialect: DialectName): Migration {
  const t = types(dialect);
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('settings')
        .addColumn('key', t.text, (c) => c.primaryKey())
        .addColumn('value', t.text, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('users')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('email', t.text, (c) => c.notNull())
        .addColumn('email_lookup', t.text, (c) => c.notNull().unique())
        .addColumn('name', t.text, (c) => c.notNull())
        .addColumn('password_hash', t.text)
        .addColumn('status', t.text, (c) => c.notNull().defaultTo('active'))
        .addColumn('must_change_password', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('last_login_at', t.ts)
        .addColumn('created_at', t.ts, (c) => c.notNull())
        .addColumn('updated_at', t.ts, (c) => c.notNull())
        .addColumn('version', t.int, (c) => c.notNull().defaultTo(1))
        .execute();

      await db.schema
        .createTable('roles')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('name', t.text, (c) => c.notNull())
        .addColumn('description', t.text, (c) => c.notNull().defaultTo(''))
        .addColumn('builtin', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', t.ts, (c) => c.notNull())
        .addColumn('updated_at', t.ts, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('user_roles')
        .addColumn('user_id', t.text, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('role_id', t.text, (c) => c.notNull().references('roles.id'))
        .addPrimaryKeyConstraint('user_roles_pk', ['user_id', 'role_id'])
        .execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('user_id', t.text, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('kind', t.text, (c) => c.notNull().defaultTo('full'))
        .addColumn('csrf_token', t.text, (c) => c.notNull())
        .addColumn('created_at', t.ts, (c) => c.notNull())
        .addColumn('last_seen_at', t.ts, (c) => c.notNull())
        .addColumn('absolute_expires_at', t.ts, (c) => c.notNull())
        .addColumn('ip', t.text)
        .addColumn('user_agent', t.text)
        .addColumn('revoked_at', t.ts)
        .addColumn('revoke_reason', t.text)
        .execute();
      await db.schema.createIndex('sessions_user_idx').on('sessions').columns(['user_id']).execute();

      await db.schema
        .createTable('api_tokens')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('user_id', t.text, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', t.text, (c) => c.notNull())
        .addColumn('token_hash', t.text, (c) => c.notNull().unique())
        .addColumn('prefix', t.text, (c) => c.notNull())
        .addColumn('scopes', t.text, (c) => c.notNull().defaultTo('[]'))
        .addColumn('created_at', t.ts, (c) => c.notNull())
        .addColumn('last_used_at', t.ts)
        .addColumn('expires_at', t.ts)
        .addColumn('revoked_at', t.ts)
        .execute();
      await db.schema.createIndex('api_tokens_user_idx').on('api_tokens').columns(['user_id']).execute();

      await db.schema
        .createTable('fields')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('object', t.text, (c) => c.notNull())
        .addColumn('key', t.text, (c) => c.notNull())
        .addColumn('label', t.text, (c) => c.notNull())
        .addColumn('type', t.text, (c) => c.notNull())
        .addColumn('classification', t.text, (c) => c.notNull())
        .addColumn('builtin', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('searchable', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('required', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('options', t.text, (c) => c.notNull().defaultTo('[]'))
        .addColumn('position', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', t.ts, (c) => c.notNull())
        .addColumn('updated_at', t.ts, (c) => c.notNull())
        .addColumn('version', t.int, (c) => c.notNull().defaultTo(1))
        .addColumn('deleted_at', t.ts)
        .addUniqueConstraint('fields_object_key_uq', ['object', 'key'])
        .execute();

      await db.schema
        .createTable('pipelines')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('name', t.text, (c) => c.notNull())
        .addColumn('position', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('is_default', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('version', t.int, (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', t.ts, (c) => c.notNull())
        .addColumn('updated_at', t.ts, (c) => c.notNull())
        .addColumn('deleted_at', t.ts)
        .execute();

      await db.schema
        .createTable('pipeline_stages')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('pipeline_id', t.text, (c) => c.notNull().references('pipelines.id').onDelete('cascade'))
        .addColumn('name', t.text, (c) => c.notNull())
        .addColumn('position', t.int, (c) => c.notNull())
        .addColumn('probability', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('kind', t.text, (c) => c.notNull().defaultTo('open'))
        .addColumn('created_at', t.ts, (c) => c.notNull())
        .addColumn('updated_at', t.ts, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('pipeline_stages_pipeline_idx')
        .on('pipeline_stages')
        .columns(['pipeline_id', 'position'])
        .execute();

      for (const table of RECORD_TABLES) {
        let b = db.schema.createTable(table);
        b =
          dialect === 'postgres'
            ? b.addColumn('seq', 'bigint', (c) => c.generatedAlwaysAsIdentity().primaryKey())
            : b.addColumn('seq', 'integer', (c) => c.primaryKey());
        b = b
          .addColumn('id', t.text, (c) => c.notNull().unique())
          .addColumn('owner_id', t.text, (c) => c.notNull().references('users.id'))
          .addColumn('tags', t.text, (c) => c.notNull().defaultTo('[]'))
          .addColumn('custom', t.text, (c) => c.notNull().defaultTo('{}'))
          .addColumn('search_text', t.text, (c) => c.notNull().defaultTo(''))
          .addColumn('version', t.int, (c) => c.notNull().defaultTo(1))
          .addColumn('created_at', t.ts, (c) => c.notNull())
          .addColumn('updated_at', t.ts, (c) => c.notNull())
          .addColumn('created_by', t.text)
          .addColumn('updated_by', t.text)
          .addColumn('deleted_at', t.ts);
        switch (table) {
          case 'companies':
            b = b
              .addColumn('name', t.text, (c) => c.notNull())
              .addColumn('domain', t.text)
              .addColumn('industry', t.text)
              .addColumn('size', t.text)
              .addColumn('tax_id', t.text)
              .addColumn('iban', t.text)
              .addColumn('address', t.text);
            break;
          case 'contacts':
            b = b
              .addColumn('first_name', t.text, (c) => c.notNull().defaultTo(''))
              .addColumn('last_name', t.text, (c) => c.notNull().defaultTo(''))
              .addColumn('email', t.text)
              .addColumn('email_lookup', t.text)
              .addColumn('phone', t.text)
              .addColumn('title', t.text)
              .addColumn('company_id', t.text, (c) => c.references('companies.id'))
              .addColumn('national_id', t.text)
              .addColumn('birth_date', t.text)
              .addColumn('address', t.text)
              .addColumn('payment_card', t.text);
            break;
          case 'deals':
            b = b
              .addColumn('title', t.text, (c) => c.notNull())
              .addColumn('amount', t.bigint, (c) => c.notNull().defaultTo(0))
              .addColumn('currency', t.text, (c) => c.notNull())
              .addColumn('pipeline_id', t.text, (c) => c.notNull().references('pipelines.id'))
              .addColumn('stage_id', t.text, (c) => c.notNull().references('pipeline_stages.id'))
              .addColumn('close_date', t.text)
              .addColumn('company_id', t.text, (c) => c.references('companies.id'))
              .addColumn('contact_ids', t.text, (c) => c.notNull().defaultTo('[]'))
              .addColumn('stage_changed_at', t.ts, (c) => c.notNull());
            break;
          case 'activities':
            b = b
              .addColumn('type', t.text, (c) => c.notNull())
              .addColumn('subject', t.text, (c) => c.notNull())
              .addColumn('body', t.text)
              .addColumn('due_at', t.ts)
              .addColumn('completed_at', t.ts)
              .addColumn('related', t.text, (c) => c.notNull().defaultTo('[]'));
            break;
        }
        await b.execute();
        const idx = async (name: string, cols: string[]): Promise<void> => {
          await db.schema.createIndex(`${table}_${name}_idx`).on(table).columns(cols).execute();
        };
        await idx('created', ['created_at', 'id']);
        await idx('updated', ['updated_at', 'id']);
        await idx('owner', ['owner_id', 'created_at']);
        switch (table) {
          case 'companies':
            await idx('name', ['name', 'id']);
            await idx('domain', ['domain']);
            break;
          case 'contacts':
            await idx('last_name', ['last_name', 'id']);
            await idx('first_name', ['first_name', 'id']);
            await idx('company', ['company_id']);
            await idx('email_lookup', ['email_lookup']);
            await idx('phone', ['phone']);
            await idx('national_id', ['national_id']);
            break;
          case 'deals':
            await idx('stage', ['pipeline_id', 'stage_id']);
            await idx('company', ['company_id']);
            await idx('close_date', ['close_date']);
            await idx('amount', ['amount', 'id']);
            break;
          case 'activities':
            await idx('due', ['due_at']);
            await idx('type', ['type']);
            break;
        }
        if (dialect === 'postgres') {
          await sql`alter table ${sql.table(table)} add column search_vector tsvector generated always as (to_tsvector('simple', search_text)) stored`.execute(
            db,
          );
          await sql`create index ${sql.id(`${table}_search_idx`)} on ${sql.table(table)} using gin (search_vector)`.execute(
            db,
          );
        } else {
          const fts = `${table}_fts`;
          await sql`create virtual table ${sql.table(fts)} using fts5(search_text, content=${sql.lit(table)}, content_rowid='seq', tokenize='unicode61 remove_diacritics 2', prefix='2 3')`.execute(
            db,
          );
          await sql`create trigger ${sql.id(`${table}_fts_ai`)} after insert on ${sql.table(table)} begin
              insert into ${sql.table(fts)}(rowid, search_text) values (new.seq, new.search_text); end`.execute(db);
          await sql`create trigger ${sql.id(`${table}_fts_ad`)} after delete on ${sql.table(table)} begin
              insert into ${sql.table(fts)}(${sql.table(fts)}, rowid, search_text) values ('delete', old.seq, old.search_text); end`.execute(
            db,
          );
          await sql`create trigger ${sql.id(`${table}_fts_au`)} after update of search_text on ${sql.table(table)} begin
              insert into ${sql.table(fts)}(${sql.table(fts)}, rowid, search_text) values ('delete', old.seq, old.search_text);
              insert into ${sql.table(fts)}(rowid, search_text) values (new.seq, new.search_text); end`.execute(db);
        }
      }

      await db.schema
        .createTable('deal_contacts')
        .addColumn('deal_id', t.text, (c) => c.notNull().references('deals.id').onDelete('cascade'))
        .addColumn('contact_id', t.text, (c) => c.notNull().references('contacts.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('deal_contacts_pk', ['deal_id', 'contact_id'])
        .execute();
      await db.schema.createIndex('deal_contacts_contact_idx').on('deal_contacts').columns(['contact_id']).execute();

      await db.schema
        .createTable('activity_links')
        .addColumn('activity_id', t.text, (c) => c.notNull().references('activities.id').onDelete('cascade'))
        .addColumn('object', t.text, (c) => c.notNull())
        .addColumn('record_id', t.text, (c) => c.notNull())
        .addPrimaryKeyConstraint('activity_links_pk', ['activity_id', 'object', 'record_id'])
        .execute();
      await db.schema
        .createIndex('activity_links_record_idx')
        .on('activity_links')
        .columns(['object', 'record_id'])
        .execute();

      await db.schema
        .createTable('record_tags')
        .addColumn('object', t.text, (c) => c.notNull())
        .addColumn('record_id', t.text, (c) => c.notNull())
        .addColumn('tag', t.text, (c) => c.notNull())
        .addPrimaryKeyConstraint('record_tags_pk', ['object', 'record_id', 'tag'])
        .execute();
      await db.schema.createIndex('record_tags_tag_idx').on('record_tags').columns(['object', 'tag']).execute();

      const now = new Date().toISOString();
      await sql`insert into roles (id, name, description, builtin, created_at, updated_at) values ${sql.join(
        BUILTIN_ROLES.map(([id, name, desc]) => sql`(${id}, ${name}, ${desc}, 1, ${now}, ${now})`),
      )}`.execute(db);
      const pipelineId = newId();
      await sql`insert into pipelines (id, name, position, is_default, version, created_at, updated_at) values (${pipelineId}, 'Sales', 0, 1, 1, ${now}, ${now})`.execute(
        db,
      );
      await sql`insert into pipeline_stages (id, pipeline_id, name, position, probability, kind, created_at, updated_at) values ${sql.join(
        DEFAULT_STAGES.map(
          ([name, p, kind], i) => sql`(${newId()}, ${pipelineId}, ${name}, ${i}, ${p}, ${kind}, ${now}, ${now})`,
        ),
      )}`.execute(db);
    },
  };
}
