import type { Kysely } from 'kysely';
import type { AccountTokensTable, Database } from '../../../db/index.js';

export type AccountTokenRow = AccountTokensTable;
export type AccountTokenPurpose = 'invitation' | 'password-reset';

/** Single-use links sent by email (invitation, password reset), stored as SHA-256 of the token. */
export class AccountTokenRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: AccountTokenRow): Promise<void> {
    await this.db.insertInto('account_tokens').values(row).execute();
  }

  findByHash(tokenHash: string): Promise<AccountTokenRow | undefined> {
    return this.db.selectFrom('account_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  /** Marks the token used if it still is not: the compare-and-set that makes it single-use. */
  async use(id: string, now: string): Promise<boolean> {
    const r = await this.db
      .updateTable('account_tokens')
      .set({ used_at: now })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /** Ends every unused token of this purpose for the user (a newer link replaces older ones). */
  async expireOutstanding(userId: string, purpose: AccountTokenPurpose, now: string): Promise<void> {
    await this.db
      .updateTable('account_tokens')
      .set({ used_at: now })
      .where('user_id', '=', userId)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .execute();
  }
}
