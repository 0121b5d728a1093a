import { randomBytes } from 'node:crypto';
import type { Db } from '../db/index.js';

/** Installation-wide secrets and settings kept in the database (shared by every instance). */
export class SettingsRepository {
  constructor(private readonly db: Db) {}

  /** A random secret created once per installation, the same for every instance. */
  async secret(key: string, bytes = 32): Promise<Buffer> {
    await this.db.kysely
      .insertInto('settings')
      .values({ key, value: randomBytes(bytes).toString('base64') })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const row = await this.db.kysely
      .selectFrom('settings')
      .select('value')
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    return Buffer.from(row.value, 'base64');
  }

  async get(key: string): Promise<string | null> {
    const row = await this.db.kysely.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value ?? null;
  }

  async put(key: string, value: string): Promise<void> {
    await this.db.kysely
      .insertInto('settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }
}
