import type { Kysely } from 'kysely';
import type { Database, RolesTable } from '../../db/index.js';

export type RoleRow = RolesTable;

export class RoleRepository {
  constructor(private readonly db: Kysely<Database>) {}

  list(): Promise<RoleRow[]> {
    return this.db.selectFrom('roles').selectAll().orderBy('builtin', 'desc').orderBy('id').execute();
  }

  /**
   * Takes a row lock on a role until the transaction ends (a no-op write: portable, unlike SELECT … FOR UPDATE).
   * Changes that could remove the last holder of a role serialise on it, so two of them cannot both pass the
   * "someone else still holds it" check under READ COMMITTED.
   */
  async lock(id: string): Promise<void> {
    await this.db
      .updateTable('roles')
      .set((eb) => ({ updated_at: eb.ref('updated_at') }))
      .where('id', '=', id)
      .execute();
  }

  /** Which of `ids` exist. */
  async existing(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('roles')
      .select('id')
      .where('id', 'in', [...ids])
      .execute();
    return new Set(rows.map((r) => r.id));
  }
}
