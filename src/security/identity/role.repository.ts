import type { Kysely } from 'kysely';
import type { Database, RolesTable } from '../../db/index.js';

export type RoleRow = RolesTable;

export class RoleRepository {
  constructor(private readonly db: Kysely<Database>) {}

  list(): Promise<RoleRow[]> {
    return this.db.selectFrom('roles').selectAll().orderBy('builtin', 'desc').orderBy('id').execute();
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
