import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/index.js';
import { RoleRepository } from './role.repository.js';
import { SessionRepository } from './session.repository.js';
import { TokenRepository } from './token.repository.js';
import { UserRepository } from './user.repository.js';

/** The identity tables, as repositories bound to one connection or one transaction. */
export interface IdentityRepositories {
  readonly users: UserRepository;
  readonly roles: RoleRepository;
  readonly sessions: SessionRepository;
  readonly tokens: TokenRepository;
}

function repositoriesFor(db: Kysely<Database>): IdentityRepositories {
  return {
    users: new UserRepository(db),
    roles: new RoleRepository(db),
    sessions: new SessionRepository(db),
    tokens: new TokenRepository(db),
  };
}

/**
 * Unit of work for identity: services read through `repos` and group writes that must succeed together
 * (a user and their roles; a role change and the end of that user's sessions) in `transaction`.
 */
export class IdentityStore {
  readonly repos: IdentityRepositories;

  constructor(private readonly db: Db) {
    this.repos = repositoriesFor(db.kysely);
  }

  transaction<T>(work: (repos: IdentityRepositories) => Promise<T>): Promise<T> {
    return this.db.kysely.transaction().execute((trx) => work(repositoriesFor(trx)));
  }
}
