import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/index.js';
import { DeviceRepository } from './devices/device.repository.js';
import { InstallationSecretRepository } from './installation-secret.repository.js';
import { AccountTokenRepository } from './lifecycle/account-token.repository.js';
import { ChallengeRepository } from './mfa/challenge.repository.js';
import { MfaRepository } from './mfa/mfa.repository.js';
import { RoleRepository } from './role.repository.js';
import { SessionRepository } from './session.repository.js';
import { TokenRepository } from './token.repository.js';
import { UserIdentityRepository } from './sso/user-identity.repository.js';
import { UserRepository } from './user.repository.js';

/** The identity tables, as repositories bound to one connection or one transaction. */
export interface IdentityRepositories {
  readonly users: UserRepository;
  readonly roles: RoleRepository;
  readonly sessions: SessionRepository;
  readonly tokens: TokenRepository;
  readonly mfa: MfaRepository;
  readonly challenges: ChallengeRepository;
  readonly devices: DeviceRepository;
  readonly accountTokens: AccountTokenRepository;
  readonly identities: UserIdentityRepository;
  readonly secrets: InstallationSecretRepository;
}

function repositoriesFor(db: Kysely<Database>): IdentityRepositories {
  return {
    users: new UserRepository(db),
    roles: new RoleRepository(db),
    sessions: new SessionRepository(db),
    tokens: new TokenRepository(db),
    mfa: new MfaRepository(db),
    challenges: new ChallengeRepository(db),
    devices: new DeviceRepository(db),
    accountTokens: new AccountTokenRepository(db),
    identities: new UserIdentityRepository(db),
    secrets: new InstallationSecretRepository(db),
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
