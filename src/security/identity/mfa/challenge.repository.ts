import type { Kysely } from 'kysely';
import type { AuthChallengesTable, Database } from '../../../db/index.js';

export type ChallengeRow = AuthChallengesTable;

/** Short-lived single-use challenges (WebAuthn ceremonies, SSO state), looked up by a hashed key. */
export class ChallengeRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores a challenge, replacing an outstanding one with the same key, and sweeps expired ones. */
  async put(row: ChallengeRow, now: string): Promise<void> {
    await this.db.deleteFrom('auth_challenges').where('expires_at', '<', now).execute();
    await this.db.deleteFrom('auth_challenges').where('id', '=', row.id).execute();
    await this.db.insertInto('auth_challenges').values(row).execute();
  }

  /** Removes and returns the challenge with this key: each can be used once, even by concurrent requests. */
  take(id: string): Promise<ChallengeRow | undefined> {
    return this.db.deleteFrom('auth_challenges').where('id', '=', id).returningAll().executeTakeFirst();
  }
}
