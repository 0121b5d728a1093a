import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../connect.js';

type AnyDb = Kysely<unknown>;

/**
 * A key rotation re-seals the audit signing key's private half under the new KEK (ADR 0005, 2026-12-08): a rotation
 * made because a KEK leaked must not leave the log's signing key under it. The guard on `audit_keys` refused any
 * change to `sealed_private`; it now lets that column be replaced, and still refuses every change to what identifies
 * and verifies a key (id, name, public key, creation time) and any change to a retired key but its re-sealing.
 * A replaced `sealed_private` that is not the same key only makes the log unable to sign (the public key, which
 * verification uses, cannot change), and producing one that opens at all needs the KEK.
 */
export function auditKeysResealMigration(dialect: DialectName): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      if (dialect === 'sqlite') {
        await sql`drop trigger if exists audit_keys_guard`.execute(db);
        await sql
          .raw(
            `create trigger audit_keys_guard before update on audit_keys when old.key_id is not new.key_id or old.name is not new.name or old.public_key is not new.public_key or old.created_at is not new.created_at or (old.retired_at is not null and old.retired_at is not new.retired_at) begin select raise(abort, 'SEPAR_AUDIT_APPEND_ONLY: audit_keys cannot be changed'); end`,
          )
          .execute(db);
        return;
      }
      await sql`
        create or replace function separ_audit_keys_guard() returns trigger language plpgsql as $$
        begin
          if tg_op = 'UPDATE' and new.key_id = old.key_id and new.name = old.name and new.public_key = old.public_key
             and new.created_at = old.created_at
             and (old.retired_at is null or new.retired_at is not distinct from old.retired_at) then
            return new;
          end if;
          raise exception 'SEPAR_AUDIT_APPEND_ONLY: % on % refused', tg_op, tg_table_name;
        end $$`.execute(db);
      await sql`drop trigger if exists audit_keys_append_only on audit_keys`.execute(db);
      await sql
        .raw(
          `create trigger audit_keys_append_only before update or delete on audit_keys for each row execute function separ_audit_keys_guard()`,
        )
        .execute(db);
      await sql.raw(`grant update (retired_at, sealed_private) on audit_keys to current_user`).execute(db);
    },
  };
}
