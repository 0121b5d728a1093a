import type { Kysely } from 'kysely';
import type { Database, UserIdentitiesTable } from '../../../db/index.js';

export type UserIdentityRow = UserIdentitiesTable;

/** Links between an identity provider's subject (issuer + sub) and a Separ user. */
export class UserIdentityRepository {
  constructor(private readonly db: Kysely<Database>) {}

  find(issuer: string, subject: string): Promise<UserIdentityRow | undefined> {
    return this.db
      .selectFrom('user_identities')
      .selectAll()
      .where('issuer', '=', issuer)
      .where('subject', '=', subject)
      .executeTakeFirst();
  }

  async insert(row: UserIdentityRow): Promise<void> {
    await this.db.insertInto('user_identities').values(row).execute();
  }

  async touch(issuer: string, subject: string, now: string): Promise<void> {
    await this.db
      .updateTable('user_identities')
      .set({ last_login_at: now })
      .where('issuer', '=', issuer)
      .where('subject', '=', subject)
      .execute();
  }
}
