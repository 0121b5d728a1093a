import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../connect.js';

type AnyDb = Kysely<unknown>;

const RECORD_TABLES = ['companies', 'contacts', 'deals', 'activities'] as const;

/**
 * Least-privilege access: role policies as data, teams (managers see their team's records),
 * write-time masks of sensitive values (so masked roles never need decryption), and access reviews.
 */
export function accessMigration(dialect: DialectName): Migration {
  const text = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  const ts = dialect === 'postgres' ? sql`timestamptz` : sql`text`;
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema.alterTable('roles').addColumn('policy', text).execute();
      await db.schema
        .alterTable('roles')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      for (const table of RECORD_TABLES) {
        await db.schema.alterTable(table).addColumn('masks', text).execute();
      }

      await db.schema
        .createTable('teams')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('name', text, (c) => c.notNull().unique())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .createTable('team_members')
        .addColumn('team_id', text, (c) => c.notNull().references('teams.id').onDelete('cascade'))
        .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('role', text, (c) => c.notNull().defaultTo('member'))
        .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'user_id'])
        .execute();
      await db.schema.createIndex('team_members_user_idx').on('team_members').columns(['user_id']).execute();

      await db.schema
        .createTable('access_reviews')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('name', text, (c) => c.notNull())
        .addColumn('state', text, (c) => c.notNull())
        .addColumn('reviewer_id', text)
        .addColumn('created_by', text)
        .addColumn('due_at', ts, (c) => c.notNull())
        .addColumn('escalate_at', ts, (c) => c.notNull())
        .addColumn('last_reminder_at', ts)
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('closed_at', ts)
        .addColumn('evidence', text)
        .execute();
      await db.schema
        .createTable('access_review_items')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('review_id', text, (c) => c.notNull().references('access_reviews.id').onDelete('cascade'))
        .addColumn('user_id', text, (c) => c.notNull())
        .addColumn('snapshot', text, (c) => c.notNull())
        .addColumn('decision', text)
        .addColumn('decided_by', text)
        .addColumn('decided_at', ts)
        .addColumn('comment', text)
        .addColumn('escalated_at', ts)
        .execute();
      await db.schema
        .createIndex('access_review_items_review_idx')
        .on('access_review_items')
        .columns(['review_id'])
        .execute();
    },
  };
}
