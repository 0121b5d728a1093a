import type { Kysely } from 'kysely';
import { QueryShapes, type Database, type UsersTable } from '../../db/index.js';
import { isUniqueViolation } from './unique-violation.js';

export type UserRow = UsersTable;

export interface UserPatch {
  name?: string;
  status?: string;
  status_changed_at?: string;
  disabled_reason?: string | null;
}

export class UserRepository {
  private readonly shapes: QueryShapes<Database>;

  constructor(private readonly db: Kysely<Database>) {
    this.shapes = new QueryShapes(db);
  }

  findById(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByEmailLookup(emailLookup: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('email_lookup', '=', emailLookup).executeTakeFirst();
  }

  /** Inserts a user; 'duplicate' when the email (lookup key) or id is taken. */
  async insert(row: UserRow): Promise<'inserted' | 'duplicate'> {
    try {
      await this.db.insertInto('users').values(row).execute();
      return 'inserted';
    } catch (err) {
      if (isUniqueViolation(err)) return 'duplicate';
      throw err;
    }
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Users in id order (UUIDv7: creation order), after `afterId` when given. */
  list(opts: { afterId: string | null; limit: number }): Promise<UserRow[]> {
    let q = this.db.selectFrom('users').selectAll().orderBy('id').limit(opts.limit);
    if (opts.afterId !== null) q = q.where('id', '>', opts.afterId);
    return q.execute();
  }

  /** Applies `patch` when the stored version is `expectedVersion`; false when it is not (or the user is gone). */
  async updateIfVersion(id: string, expectedVersion: number, patch: UserPatch, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('users')
      .set((eb) => ({ ...patch, updated_at: now, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async setPasswordHash(id: string, passwordHash: string, mustChange: boolean, now: string): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ password_hash: passwordHash, must_change_password: mustChange ? 1 : 0, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  /** Replaces a hash with a stronger one of the same password, unless the password changed meanwhile. */
  async upgradePasswordHash(id: string, oldHash: string, newHash: string): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ password_hash: newHash })
      .where('id', '=', id)
      .where('password_hash', '=', oldHash)
      .execute();
  }

  /**
   * Active users idle since before `cutoff`: no sign-in (or, never signed in, created), no re-enabling and no
   * API token use since then. With `userId`, only that user is considered.
   */
  async findIdle(cutoff: string, opts: { userId?: string; limit?: number } = {}): Promise<string[]> {
    let q = this.db
      .selectFrom('users')
      .select('users.id')
      .where('users.status', '=', 'active')
      .where((eb) => eb(eb.fn.coalesce('users.last_login_at', 'users.created_at'), '<', cutoff))
      .where((eb) => eb.or([eb('users.status_changed_at', 'is', null), eb('users.status_changed_at', '<', cutoff)]))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('api_tokens')
              .select('api_tokens.id')
              .whereRef('api_tokens.user_id', '=', 'users.id')
              .where('api_tokens.last_used_at', '>=', cutoff),
          ),
        ),
      )
      .orderBy('users.id')
      .limit(opts.limit ?? 1000);
    if (opts.userId !== undefined) q = q.where('users.id', '=', opts.userId);
    const rows = await q.execute();
    return rows.map((r) => r.id);
  }

  /** Disables an active user (bumping the version); false when they were not active. */
  async disable(id: string, reason: string, now: string): Promise<boolean> {
    const r = await this.db
      .updateTable('users')
      .set((eb) => ({
        status: 'disabled',
        disabled_reason: reason,
        status_changed_at: now,
        updated_at: now,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', id)
      .where('status', '=', 'active')
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /** Restarts the idle clock of an account that was just made usable (an invitation accepted). */
  async markActivated(id: string, now: string): Promise<void> {
    await this.db.updateTable('users').set({ status_changed_at: now }).where('id', '=', id).execute();
  }

  async setLastLogin(id: string, now: string): Promise<void> {
    await this.db.updateTable('users').set({ last_login_at: now }).where('id', '=', id).execute();
  }

  /** Read on every authenticated request (a role change applies at once): compiled once. */
  async rolesOf(userId: string): Promise<string[]> {
    const rows = await this.shapes.rows('roles-of', [userId], () =>
      this.db.selectFrom('user_roles').select('role_id').where('user_id', '=', userId).orderBy('role_id').compile(),
    );
    return rows.map((r) => r.role_id);
  }

  async rolesOfMany(userIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(userIds.map((id) => [id, []]));
    if (userIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('user_roles')
      .select(['user_id', 'role_id'])
      .where('user_id', 'in', [...userIds])
      .orderBy('user_id')
      .orderBy('role_id')
      .execute();
    for (const r of rows) out.get(r.user_id)?.push(r.role_id);
    return out;
  }

  async replaceRoles(userId: string, roleIds: readonly string[]): Promise<void> {
    await this.db.deleteFrom('user_roles').where('user_id', '=', userId).execute();
    if (roleIds.length === 0) return;
    await this.db
      .insertInto('user_roles')
      .values(roleIds.map((role_id) => ({ user_id: userId, role_id })))
      .execute();
  }

  /** Active users holding `roleId`, other than `exceptUserId`. */
  async countActiveWithRole(roleId: string, exceptUserId: string): Promise<number> {
    const row = await this.db
      .selectFrom('user_roles')
      .innerJoin('users', 'users.id', 'user_roles.user_id')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('user_roles.role_id', '=', roleId)
      .where('users.status', '=', 'active')
      .where('users.id', '<>', exceptUserId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
