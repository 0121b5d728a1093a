import type { Kysely } from 'kysely';
import { QueryShapes, type Database, type SessionsTable } from '../../db/index.js';
import type { SessionKind } from '../../http/auth.js';
import { foldRoles } from './user-roles.js';

export type SessionRow = SessionsTable;
export type { SessionKind };

export interface SessionWithUser extends SessionRow {
  user_status: string;
  /** The user's roles, ordered by id (read with the session, on every request). */
  roles: string[];
}

export class SessionRepository {
  private readonly shapes: QueryShapes<Database>;

  constructor(private readonly db: Kysely<Database>) {
    this.shapes = new QueryShapes(db);
  }

  async insert(row: SessionRow): Promise<void> {
    await this.db.insertInto('sessions').values(row).execute();
  }

  /**
   * Read on every request made with a session, with its user's status and roles (ending it, disabling the user
   * and role changes apply at once, on every instance): one query, compiled once.
   */
  async findWithUser(id: string): Promise<SessionWithUser | undefined> {
    const rows = await this.shapes.rows('session-with-user', [id], () =>
      this.db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .leftJoin('user_roles', 'user_roles.user_id', 'sessions.user_id')
        // Named columns, not `sessions.*`: a prepared statement's result must not change when a column is added.
        .select([
          'sessions.id',
          'sessions.user_id',
          'sessions.kind',
          'sessions.csrf_token',
          'sessions.created_at',
          'sessions.last_seen_at',
          'sessions.absolute_expires_at',
          'sessions.ip',
          'sessions.user_agent',
          'sessions.revoked_at',
          'sessions.revoke_reason',
          'sessions.authenticated_at',
          'sessions.auth_methods',
          'sessions.device_id',
          'sessions.mfa_failures',
        ])
        .select(['users.status as user_status', 'user_roles.role_id'])
        .where('sessions.id', '=', id)
        .orderBy('user_roles.role_id')
        .compile(),
    );
    return foldRoles(rows);
  }

  async touch(id: string, now: string): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ last_seen_at: now })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /** Ends one session; the number of sessions ended (0 when it was already over). */
  async revoke(id: string, now: string, reason: string): Promise<number> {
    const r = await this.db
      .updateTable('sessions')
      .set({ revoked_at: now, revoke_reason: reason })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async revokeAllForUser(userId: string, now: string, reason: string, exceptId: string | null): Promise<number> {
    let q = this.db
      .updateTable('sessions')
      .set({ revoked_at: now, revoke_reason: reason })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null);
    if (exceptId !== null) q = q.where('id', '<>', exceptId);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Counts one wrong second-factor answer; the new count (0 when the session is gone or ended). */
  async addMfaFailure(id: string): Promise<number> {
    await this.db
      .updateTable('sessions')
      .set((eb) => ({ mfa_failures: eb('mfa_failures', '+', 1) }))
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
    const row = await this.db
      .selectFrom('sessions')
      .select(['mfa_failures', 'revoked_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    return row && row.revoked_at === null ? row.mfa_failures : 0;
  }

  /** Sessions not revoked, not past their absolute expiry and seen after `idleCutoff`, newest first. */
  listLiveForUser(userId: string, now: string, idleCutoff: string): Promise<SessionRow[]> {
    return this.db
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('absolute_expires_at', '>', now)
      .where('last_seen_at', '>', idleCutoff)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
  }
}
