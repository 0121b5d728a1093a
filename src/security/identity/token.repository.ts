import type { Kysely } from 'kysely';
import { QueryShapes, type ApiTokensTable, type Database } from '../../db/index.js';
import { foldRoles } from './user-roles.js';

export type TokenRow = ApiTokensTable;

export interface TokenWithUser extends TokenRow {
  user_status: string;
  /** The user's roles, ordered by id (read with the token, on every request). */
  roles: string[];
}

export class TokenRepository {
  private readonly shapes: QueryShapes<Database>;

  constructor(private readonly db: Kysely<Database>) {
    this.shapes = new QueryShapes(db);
  }

  async insert(row: TokenRow): Promise<void> {
    await this.db.insertInto('api_tokens').values(row).execute();
  }

  /**
   * Read on every request made with a token, with its user's status and roles (revocation, disabling and role
   * changes apply at once): one query, compiled once.
   */
  async findByHashWithUser(tokenHash: string): Promise<TokenWithUser | undefined> {
    const rows = await this.shapes.rows('token-by-hash', [tokenHash], () =>
      this.db
        .selectFrom('api_tokens')
        .innerJoin('users', 'users.id', 'api_tokens.user_id')
        .leftJoin('user_roles', 'user_roles.user_id', 'api_tokens.user_id')
        // Named columns, not `api_tokens.*`: a prepared statement's result must not change when a column is added.
        .select([
          'api_tokens.id',
          'api_tokens.user_id',
          'api_tokens.name',
          'api_tokens.token_hash',
          'api_tokens.prefix',
          'api_tokens.scopes',
          'api_tokens.created_at',
          'api_tokens.last_used_at',
          'api_tokens.expires_at',
          'api_tokens.revoked_at',
        ])
        .select(['users.status as user_status', 'user_roles.role_id'])
        .where('api_tokens.token_hash', '=', tokenHash)
        .orderBy('user_roles.role_id')
        .compile(),
    );
    return foldRoles(rows);
  }

  findById(id: string): Promise<TokenRow | undefined> {
    return this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The user's tokens that are not revoked (expired ones included, so their owner sees them lapse), newest first. */
  listForUser(userId: string): Promise<TokenRow[]> {
    return this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
  }

  async touch(id: string, now: string): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
  }

  /** Revokes every live token of a user (account disabled, password reset by an administrator or by email). */
  async revokeAllForUser(userId: string, now: string): Promise<number> {
    const r = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async revoke(id: string, now: string): Promise<number> {
    const r = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }
}
