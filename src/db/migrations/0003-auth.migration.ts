import { sql, type ColumnDataType, type Expression, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../connect.js';

type AnyDb = Kysely<unknown>;
type ColType = ColumnDataType | Expression<unknown>;

function types(dialect: DialectName): { text: ColType; ts: ColType; bigint: ColType; int: ColType } {
  return dialect === 'postgres'
    ? { text: sql`text collate "C"`, ts: 'timestamptz', bigint: 'bigint', int: 'integer' }
    : { text: 'text', ts: 'text', bigint: 'integer', int: 'integer' };
}

/**
 * Authentication hardening (issue 4): MFA factors (TOTP, WebAuthn, recovery codes), challenges, one-time
 * account links (invitation, password reset), known devices and networks (new-device notice, lockout that
 * spares the owner), SSO identities, and what sessions need for MFA and step-up.
 */
export function authMigration(dialect: DialectName): Migration {
  const t = types(dialect);
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema.alterTable('users').addColumn('status_changed_at', t.ts).execute();
      await db.schema.alterTable('users').addColumn('disabled_reason', t.text).execute();

      await db.schema.alterTable('sessions').addColumn('authenticated_at', t.ts).execute();
      await db.schema
        .alterTable('sessions')
        .addColumn('auth_methods', t.text, (c) => c.notNull().defaultTo('[]'))
        .execute();
      await db.schema.alterTable('sessions').addColumn('device_id', t.text).execute();
      await db.schema
        .alterTable('sessions')
        .addColumn('mfa_failures', t.int, (c) => c.notNull().defaultTo(0))
        .execute();

      await db.schema
        .createTable('mfa_totp')
        .addColumn('user_id', t.text, (c) => c.primaryKey().references('users.id').onDelete('cascade'))
        .addColumn('secret_sealed', t.text)
        .addColumn('pending_secret_sealed', t.text)
        .addColumn('pending_created_at', t.ts)
        .addColumn('last_counter', t.bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('confirmed_at', t.ts)
        .addColumn('updated_at', t.ts, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('webauthn_credentials')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('user_id', t.text, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('public_key', t.text, (c) => c.notNull())
        .addColumn('counter', t.bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('transports', t.text, (c) => c.notNull().defaultTo('[]'))
        .addColumn('device_type', t.text)
        .addColumn('backed_up', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('aaguid', t.text)
        .addColumn('name', t.text, (c) => c.notNull())
        .addColumn('created_at', t.ts, (c) => c.notNull())
        .addColumn('last_used_at', t.ts)
        .execute();
      await db.schema
        .createIndex('webauthn_credentials_user_idx')
        .on('webauthn_credentials')
        .column('user_id')
        .execute();

      await db.schema
        .createTable('recovery_codes')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('user_id', t.text, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('code_hash', t.text, (c) => c.notNull().unique())
        .addColumn('created_at', t.ts, (c) => c.notNull())
        .addColumn('used_at', t.ts)
        .execute();
      await db.schema.createIndex('recovery_codes_user_idx').on('recovery_codes').column('user_id').execute();

      await db.schema
        .createTable('auth_challenges')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('purpose', t.text, (c) => c.notNull())
        .addColumn('user_id', t.text, (c) => c.references('users.id').onDelete('cascade'))
        .addColumn('session_id', t.text)
        .addColumn('challenge', t.text, (c) => c.notNull())
        .addColumn('data', t.text, (c) => c.notNull().defaultTo('{}'))
        .addColumn('created_at', t.ts, (c) => c.notNull())
        .addColumn('expires_at', t.ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('auth_challenges_expiry_idx').on('auth_challenges').column('expires_at').execute();

      await db.schema
        .createTable('account_tokens')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('user_id', t.text, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('purpose', t.text, (c) => c.notNull())
        .addColumn('token_hash', t.text, (c) => c.notNull().unique())
        .addColumn('created_by', t.text)
        .addColumn('created_at', t.ts, (c) => c.notNull())
        .addColumn('expires_at', t.ts, (c) => c.notNull())
        .addColumn('used_at', t.ts)
        .execute();
      await db.schema.createIndex('account_tokens_user_idx').on('account_tokens').column('user_id').execute();

      await db.schema
        .createTable('known_devices')
        .addColumn('user_id', t.text, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('device_hash', t.text, (c) => c.notNull())
        .addColumn('first_seen_at', t.ts, (c) => c.notNull())
        .addColumn('last_seen_at', t.ts, (c) => c.notNull())
        .addColumn('ip', t.text)
        .addColumn('user_agent', t.text)
        .addPrimaryKeyConstraint('known_devices_pk', ['user_id', 'device_hash'])
        .execute();

      await db.schema
        .createTable('known_networks')
        .addColumn('user_id', t.text, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('network', t.text, (c) => c.notNull())
        .addColumn('first_seen_at', t.ts, (c) => c.notNull())
        .addColumn('last_seen_at', t.ts, (c) => c.notNull())
        .addPrimaryKeyConstraint('known_networks_pk', ['user_id', 'network'])
        .execute();

      await db.schema
        .createTable('user_identities')
        .addColumn('issuer', t.text, (c) => c.notNull())
        .addColumn('subject', t.text, (c) => c.notNull())
        .addColumn('user_id', t.text, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('provisioned', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', t.ts, (c) => c.notNull())
        .addColumn('last_login_at', t.ts)
        .addPrimaryKeyConstraint('user_identities_pk', ['issuer', 'subject'])
        .execute();
      await db.schema.createIndex('user_identities_user_idx').on('user_identities').column('user_id').execute();
    },
  };
}
