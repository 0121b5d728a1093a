import type { Kysely } from 'kysely';
import type { Database, UserPreferencesTable } from '../../../db/index.js';

/** One row per user: the preferences document as JSON text (the same on SQLite and PostgreSQL). */
export class PreferencesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  find(userId: string): Promise<UserPreferencesTable | undefined> {
    return this.db.selectFrom('user_preferences').selectAll().where('user_id', '=', userId).executeTakeFirst();
  }

  async save(userId: string, document: string, now: string): Promise<void> {
    await this.db
      .insertInto('user_preferences')
      .values({ user_id: userId, document, updated_at: now })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ document, updated_at: now }))
      .execute();
  }
}
