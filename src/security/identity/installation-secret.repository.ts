import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';

/**
 * Per-installation random secrets kept in the `settings` table, the same for every instance of one
 * installation. Created on first use (insert-if-absent, so concurrent instances agree on one value).
 */
export class InstallationSecretRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async getOrCreate(key: string, bytes: number): Promise<Buffer> {
    await this.db
      .insertInto('settings')
      .values({ key, value: randomBytes(bytes).toString('base64') })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
    const secret = Buffer.from(row.value, 'base64');
    if (secret.length < bytes) throw new Error(`settings.${key} is shorter than ${bytes} bytes`);
    return secret;
  }
}
