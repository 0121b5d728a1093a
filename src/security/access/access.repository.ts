import { sql } from 'kysely';
import type { Db } from '../../db/index.js';
import type { RolesTable, TeamsTable } from '../../db/database.js';

/** Roles with their policies, and team memberships. */
export class AccessRepository {
  constructor(private readonly db: Db) {}

  roles(): Promise<RolesTable[]> {
    return this.db.kysely.selectFrom('roles').selectAll().orderBy('id').execute();
  }

  role(id: string): Promise<RolesTable | undefined> {
    return this.db.kysely.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertRole(row: RolesTable): Promise<void> {
    await this.db.kysely.insertInto('roles').values(row).execute();
  }

  async updateRole(id: string, version: number, changes: Partial<RolesTable>): Promise<boolean> {
    const r = await this.db.kysely
      .updateTable('roles')
      .set({ ...changes, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async deleteRole(id: string): Promise<void> {
    await this.db.kysely.deleteFrom('roles').where('id', '=', id).execute();
  }

  async roleHolders(id: string): Promise<string[]> {
    const r = await this.db.kysely.selectFrom('user_roles').select('user_id').where('role_id', '=', id).execute();
    return r.map((x) => x.user_id);
  }

  /** Users whose records a team manager sees: every member of the teams they manage, and themselves. */
  async managedUserIds(userId: string): Promise<string[]> {
    const r = await sql<{
      user_id: string;
    }>`select distinct m.user_id from team_members me join team_members m on m.team_id = me.team_id where me.user_id = ${userId} and me.role = 'manager'`.execute(
      this.db.kysely,
    );
    const ids = new Set(r.rows.map((x) => x.user_id));
    ids.add(userId);
    return [...ids];
  }

  teams(): Promise<TeamsTable[]> {
    return this.db.kysely.selectFrom('teams').selectAll().orderBy('name').execute();
  }

  team(id: string): Promise<TeamsTable | undefined> {
    return this.db.kysely.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
  }

  members(teamIds: readonly string[]): Promise<{ team_id: string; user_id: string; role: string }[]> {
    if (teamIds.length === 0) return Promise.resolve([]);
    return this.db.kysely
      .selectFrom('team_members')
      .selectAll()
      .where('team_id', 'in', teamIds)
      .orderBy('user_id')
      .execute();
  }

  async teamsOfUser(userId: string): Promise<{ team_id: string; role: string }[]> {
    return this.db.kysely
      .selectFrom('team_members')
      .select(['team_id', 'role'])
      .where('user_id', '=', userId)
      .execute();
  }

  async createTeam(row: TeamsTable, members: { user_id: string; role: string }[]): Promise<void> {
    await this.db.kysely.transaction().execute(async (trx) => {
      await trx.insertInto('teams').values(row).execute();
      if (members.length > 0) {
        await trx
          .insertInto('team_members')
          .values(members.map((m) => ({ team_id: row.id, ...m })))
          .execute();
      }
    });
  }

  async updateTeam(
    id: string,
    version: number,
    name: string | undefined,
    members: { user_id: string; role: string }[] | undefined,
    now: string,
  ): Promise<boolean> {
    return this.db.kysely.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('teams')
        .set({ ...(name !== undefined ? { name } : {}), updated_at: now, version: version + 1 })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      if (members) {
        await trx.deleteFrom('team_members').where('team_id', '=', id).execute();
        if (members.length > 0)
          await trx
            .insertInto('team_members')
            .values(members.map((m) => ({ team_id: id, ...m })))
            .execute();
      }
      return true;
    });
  }

  async deleteTeam(id: string): Promise<void> {
    await this.db.kysely.deleteFrom('teams').where('id', '=', id).execute();
  }

  async existingUserIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const r = await this.db.kysely.selectFrom('users').select('id').where('id', 'in', ids).execute();
    return new Set(r.map((x) => x.id));
  }
}
