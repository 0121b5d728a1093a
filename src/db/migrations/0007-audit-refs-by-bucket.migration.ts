import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../connect.js';
import { sqliteAppendOnly } from './0004-audit.migration.js';

type AnyDb = Kysely<unknown>;

/**
 * The "who accessed this" index keyed bucket first: `(bucket, ref_id)` instead of `(ref_id, bucket)`. With the
 * record id first, every record newly named in a bucket landed on a random page of the index, and each such
 * page cost the audit writer a WAL write and a checkpoint copy; bucket first, a batch's rows share the few
 * pages of the current bucket. Searches seek each bucket instead (ADR 0006). Same rows, same guards.
 */
export function auditRefsByBucketMigration(dialect: DialectName): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      if (dialect === 'postgres') {
        await sql`alter table audit_refs drop constraint audit_refs_pk`.execute(db);
        await sql`alter table audit_refs add constraint audit_refs_pk primary key (bucket, ref_id)`.execute(db);
        return;
      }
      // SQLite cannot change a primary key in place: copy into the new shape, then re-create the guards. Kysely
      // runs SQLite migrations outside a transaction, so this one opens its own: a crash or a failed statement
      // leaves the old table as it was, and from the first statement on it holds the write lock, so no index
      // row appended by a running instance can fall between the copy and the drop.
      await db.transaction().execute(async (trx) => {
        await sql`drop table if exists audit_refs_by_bucket`.execute(trx);
        await sql`create table audit_refs_by_bucket (ref_id text not null, bucket integer not null,
          constraint audit_refs_pk primary key (bucket, ref_id)) without rowid`.execute(trx);
        await sql`insert into audit_refs_by_bucket (ref_id, bucket) select ref_id, bucket from audit_refs order by bucket, ref_id`.execute(
          trx,
        );
        await sql`drop table audit_refs`.execute(trx);
        await sql`alter table audit_refs_by_bucket rename to audit_refs`.execute(trx);
        await sqliteAppendOnly(trx, 'audit_refs');
      });
    },
  };
}
