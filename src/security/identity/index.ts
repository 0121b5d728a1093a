import type { SeparConfig } from '../../config/config.js';
import type { Db } from '../../db/index.js';
import type { RouteModule } from '../../http/app.js';
import type { Authenticator } from '../../http/auth.js';
import type { Clock } from '../../platform/clock.js';
import type { EventBus } from '../../platform/events.js';
import type { Logger } from '../../platform/logger.js';
import { authRoutes } from './auth.routes.js';
import { IdentityAuthenticator } from './authenticator.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';
import { IdentityEvents } from './identity-events.js';
import { IdentityStore } from './identity.repository.js';
import { LoginService } from './login.service.js';
import { meRoutes } from './me.routes.js';
import { PasswordHasher } from './password.js';
import { SessionService } from './session.service.js';
import { tokenRoutes } from './token.routes.js';
import { TokenService } from './token.service.js';
import { userRoutes } from './user.routes.js';
import { UserService } from './user.service.js';

export interface IdentityDeps {
  config: SeparConfig;
  db: Db;
  clock: Clock;
  bus: EventBus;
  logger: Logger;
}

export interface Identity {
  /** For the HTTP auth hook: bearer token or session cookie → actor. */
  readonly authenticator: Authenticator;
  /** /auth, /me, /me/sessions, /me/tokens, /users, /roles (registered under /api/v1). */
  readonly routes: RouteModule[];
  readonly users: UserService;
  readonly sessions: SessionService;
  readonly tokens: TokenService;
  readonly logins: LoginService;
}

/** At most this many argon2 computations run at once (each holds ~19 MiB and a thread-pool thread). */
export const PASSWORD_HASH_CONCURRENCY = 2;
/** Beyond this many waiting, password work is refused with 503 + Retry-After. */
export const PASSWORD_HASH_QUEUE = 64;

export function createIdentity(deps: IdentityDeps): Identity {
  const { config, db, clock, bus } = deps;
  const store = new IdentityStore(db);
  const events = new IdentityEvents(bus, clock);
  const passwords = new PasswordHasher(
    new ConcurrencyLimiter({
      maxConcurrent: PASSWORD_HASH_CONCURRENCY,
      maxQueued: PASSWORD_HASH_QUEUE,
      retryAfterSeconds: 2,
      what: 'password checks',
    }),
  );
  passwords.warmUp();
  const sessions = new SessionService({ store, clock, events, settings: config.session });
  const tokens = new TokenService({ store, clock, events });
  const users = new UserService({ store, passwords, clock, events });
  const logins = new LoginService({ store, passwords, sessions, clock, events });
  const publicOrigin = new URL(config.publicUrl).origin;
  return {
    authenticator: new IdentityAuthenticator(store, sessions, tokens),
    routes: [
      authRoutes({ logins, sessions, publicOrigin }),
      meRoutes({ users, sessions }),
      tokenRoutes({ tokens }),
      userRoutes({ users, sessions }),
    ],
    users,
    sessions,
    tokens,
    logins,
  };
}

export { IdentityAuthenticator } from './authenticator.js';
export { ConcurrencyLimiter, type ConcurrencyLimiterOptions } from './concurrency-limiter.js';
export { LoginService, INVALID_CREDENTIALS_DETAIL, type LoginResult } from './login.service.js';
export { ARGON2_PARAMS, PasswordHasher } from './password.js';
export {
  assertPasswordAcceptable,
  passwordProblems,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
} from './password-policy.js';
export { SessionService, publicSessionId, type SessionView, type NewSession } from './session.service.js';
export {
  TokenService,
  API_TOKEN_PREFIX,
  type CreatedToken,
  type CreateTokenInput,
  type TokenView,
} from './token.service.js';
export {
  UserService,
  type CreateUserInput,
  type RoleView,
  type UpdateUserInput,
  type UserPage,
  type UserStatus,
  type UserView,
} from './user.service.js';
