import { sql, type ColumnDataType, type Expression, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../connect.js';

type AnyDb = Kysely<unknown>;
type ColType = ColumnDataType | Expression<unknown>;

/**
 * Audit times are stored as the exact ISO-8601 text that was hashed (not timestamptz), so the bytes a
 * verifier recomputes are the bytes that were signed, on both dialects.
 */
function types(dialect: DialectName): { text: ColType; bigint: ColType; int: ColType } {
  return dialect === 'postgres'
    ? { text: sql`text collate "C"`, bigint: 'bigint', int: 'integer' }
    : { text: 'text', bigint: 'integer', int: 'integer' };
}

/** Tables the application may only append to. Entries and refs may be removed only once archived. */
const APPEND_ONLY = ['audit_entries', 'audit_refs', 'audit_tree_nodes', 'audit_checkpoints', 'audit_archives'] as const;
/** Entries per "who accessed this" bucket (src/security/audit: REF_BUCKET). */
const REF_BUCKET = 1024;
/** Once archived, a row may go: entries at or below the archive's end, whole reference buckets below it. */
const PRUNE_WHEN: Record<string, string> = {
  audit_entries: 'old.seq <= (select coalesce(max(to_seq), 0) from audit_archives)',
  audit_refs: `(old.bucket + 1) * ${REF_BUCKET} <= (select coalesce(max(to_seq), 0) from audit_archives) + 1`,
};

const GENESIS = '0'.repeat(64);

/**
 * Tamper-evident audit trail (issue 6): entries (hash-chained, Merkle leaves), the "who accessed this"
 * reference index, stored Merkle nodes (every 8th level, for proofs), signed checkpoints, archived segments,
 * the signing key (sealed under the key hierarchy), the append head (serialises sequence numbers across
 * instances) and SIEM delivery cursors. The database refuses UPDATE and DELETE on the log: triggers on both
 * dialects, plus revoked privileges on PostgreSQL. Rows at or below an archived segment's end may be deleted
 * (they live on in a signed archive file); nothing else.
 */
export function auditMigration(dialect: DialectName): Migration {
  const t = types(dialect);
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('audit_entries')
        .addColumn('seq', t.bigint, (c) => c.primaryKey())
        .addColumn('at', t.text, (c) => c.notNull())
        .addColumn('actor_type', t.text, (c) => c.notNull())
        .addColumn('actor_id', t.text)
        .addColumn('action', t.text, (c) => c.notNull())
        .addColumn('target_type', t.text)
        .addColumn('target_id', t.text)
        .addColumn('outcome', t.text, (c) => c.notNull())
        .addColumn('ip', t.text)
        .addColumn('user_agent', t.text)
        .addColumn('request_id', t.text)
        .addColumn('detail', t.text, (c) => c.notNull())
        .addColumn('prev_hash', t.text, (c) => c.notNull())
        .addColumn('hash', t.text, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_entries_actor_idx').on('audit_entries').columns(['actor_id', 'seq']).execute();
      await db.schema.createIndex('audit_entries_action_idx').on('audit_entries').columns(['action', 'seq']).execute();
      await db.schema.createIndex('audit_entries_at_idx').on('audit_entries').column('at').execute();

      await db.schema
        .createTable('audit_refs')
        // "Who accessed this": which 1,024-entry buckets mention a record (first mention per bucket only, so
        // reading the same records again writes nothing); the search then scans just those buckets.
        .addColumn('ref_id', t.text, (c) => c.notNull())
        .addColumn('bucket', t.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('audit_refs_pk', ['ref_id', 'bucket'])
        .$call((b) => (dialect === 'sqlite' ? b.modifyEnd(sql`without rowid`) : b))
        .execute();

      await db.schema
        .createTable('audit_tree_nodes')
        .addColumn('level', t.int, (c) => c.notNull())
        .addColumn('idx', t.bigint, (c) => c.notNull())
        .addColumn('hash', t.text, (c) => c.notNull())
        .addPrimaryKeyConstraint('audit_tree_nodes_pk', ['level', 'idx'])
        .$call((b) => (dialect === 'sqlite' ? b.modifyEnd(sql`without rowid`) : b))
        .execute();

      await db.schema
        .createTable('audit_checkpoints')
        .addColumn('tree_size', t.bigint, (c) => c.primaryKey())
        .addColumn('root_hash', t.text, (c) => c.notNull())
        .addColumn('at', t.text, (c) => c.notNull())
        .addColumn('key_id', t.text, (c) => c.notNull())
        .addColumn('note', t.text, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('audit_archives')
        .addColumn('to_seq', t.bigint, (c) => c.primaryKey())
        .addColumn('from_seq', t.bigint, (c) => c.notNull())
        .addColumn('last_hash', t.text, (c) => c.notNull())
        .addColumn('frontier', t.text, (c) => c.notNull())
        .addColumn('root_hash', t.text, (c) => c.notNull())
        .addColumn('file', t.text, (c) => c.notNull())
        .addColumn('file_sha256', t.text, (c) => c.notNull())
        .addColumn('created_at', t.text, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('audit_keys')
        .addColumn('key_id', t.text, (c) => c.primaryKey())
        .addColumn('name', t.text, (c) => c.notNull())
        .addColumn('public_key', t.text, (c) => c.notNull())
        .addColumn('sealed_private', t.text, (c) => c.notNull())
        .addColumn('created_at', t.text, (c) => c.notNull())
        .addColumn('retired_at', t.text)
        .execute();

      await db.schema
        .createTable('audit_head')
        .addColumn('id', t.int, (c) => c.primaryKey())
        .addColumn('tree_size', t.bigint, (c) => c.notNull())
        .addColumn('last_hash', t.text, (c) => c.notNull())
        .addColumn('frontier', t.text, (c) => c.notNull())
        .addColumn('checkpoint_size', t.bigint, (c) => c.notNull())
        .addColumn('checkpoint_at', t.text)
        .addColumn('updated_at', t.text, (c) => c.notNull())
        .execute();
      await sql`insert into audit_head (id, tree_size, last_hash, frontier, checkpoint_size, checkpoint_at, updated_at)
        values (1, 0, ${GENESIS}, '[]', 0, null, ${new Date(0).toISOString()})`.execute(db);

      await db.schema
        .createTable('audit_siem_cursors')
        .addColumn('sink', t.text, (c) => c.primaryKey())
        .addColumn('last_seq', t.bigint, (c) => c.notNull())
        .addColumn('owner', t.text)
        .addColumn('lease_until', t.text)
        .addColumn('updated_at', t.text, (c) => c.notNull())
        .execute();

      if (dialect === 'sqlite') await sqliteGuards(db);
      else await postgresGuards(db);
    },
  };
}

/** SQLite's refusal of UPDATE and DELETE (but pruning of archived rows) on one append-only table. */
export async function sqliteAppendOnly(db: AnyDb, table: (typeof APPEND_ONLY)[number]): Promise<void> {
  await sql
    .raw(
      `create trigger ${table}_no_update before update on ${table} begin select raise(abort, 'SEPAR_AUDIT_APPEND_ONLY: ${table} cannot be updated'); end`,
    )
    .execute(db);
  const prune = PRUNE_WHEN[table];
  const when = prune ? ` when not (${prune})` : '';
  await sql
    .raw(
      `create trigger ${table}_no_delete before delete on ${table}${when} begin select raise(abort, 'SEPAR_AUDIT_APPEND_ONLY: ${table} rows cannot be deleted'); end`,
    )
    .execute(db);
}

async function sqliteGuards(db: AnyDb): Promise<void> {
  for (const table of APPEND_ONLY) await sqliteAppendOnly(db, table);
  // The signing key's public half and its sealed private half never change; only retired_at may be set once.
  await sql
    .raw(
      `create trigger audit_keys_guard before update on audit_keys when old.key_id is not new.key_id or old.name is not new.name or old.public_key is not new.public_key or old.sealed_private is not new.sealed_private or old.created_at is not new.created_at or old.retired_at is not null begin select raise(abort, 'SEPAR_AUDIT_APPEND_ONLY: audit_keys cannot be changed'); end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger audit_keys_no_delete before delete on audit_keys begin select raise(abort, 'SEPAR_AUDIT_APPEND_ONLY: audit_keys rows cannot be deleted'); end`,
    )
    .execute(db);
}

async function postgresGuards(db: AnyDb): Promise<void> {
  await sql`
    create or replace function separ_audit_refuse() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        if tg_table_name = 'audit_entries' then
          if ${sql.raw(PRUNE_WHEN.audit_entries ?? 'false')} then
            return old;
          end if;
        elsif tg_table_name = 'audit_refs' then
          if ${sql.raw(PRUNE_WHEN.audit_refs ?? 'false')} then
            return old;
          end if;
        end if;
      elsif tg_op = 'UPDATE' then
        if tg_table_name = 'audit_keys' then
          if old.retired_at is null and new.key_id = old.key_id and new.name = old.name
             and new.public_key = old.public_key and new.sealed_private = old.sealed_private
             and new.created_at = old.created_at then
            return new;
          end if;
        end if;
      end if;
      raise exception 'SEPAR_AUDIT_APPEND_ONLY: % on % refused', tg_op, tg_table_name;
    end $$`.execute(db);
  for (const table of [...APPEND_ONLY, 'audit_keys']) {
    await sql
      .raw(
        `create trigger ${table}_append_only before update or delete on ${table} for each row execute function separ_audit_refuse()`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${table}_no_truncate before truncate on ${table} for each statement execute function separ_audit_refuse()`,
      )
      .execute(db);
    // Defence in depth: nobody but the owner may change these tables, and the owner gives up UPDATE and
    // TRUNCATE too (a deployment whose application role does not own the schema gets no UPDATE/DELETE at all).
    await sql.raw(`revoke update, delete, truncate on ${table} from public`).execute(db);
    await sql.raw(`revoke update, truncate on ${table} from current_user`).execute(db);
  }
  await sql.raw(`grant update (retired_at) on audit_keys to current_user`).execute(db);
}
