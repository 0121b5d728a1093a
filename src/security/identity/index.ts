import { availableParallelism } from 'node:os';
import type { SeparConfig } from '../../config/config.js';
import type { Db } from '../../db/index.js';
import type { RouteModule } from '../../http/app.js';
import type { Authenticator } from '../../http/auth.js';
import type { Clock } from '../../platform/clock.js';
import type { EventBus } from '../../platform/events.js';
import type { Logger } from '../../platform/logger.js';
import type { Redis } from '../defense/index.js';
import { AuthDefense } from './auth-defense.js';
import { authRoutes } from './auth.routes.js';
import { IdentityAuthenticator } from './authenticator.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';
import { DeviceCookies } from './devices/device-cookie.js';
import { KnownDevices } from './devices/known-devices.service.js';
import { IdentityEvents } from './identity-events.js';
import { IdentityStore } from './identity.repository.js';
import { InstallationKeys } from './installation-keys.js';
import { AccountLifecycle } from './lifecycle/account-lifecycle.service.js';
import { lifecycleRoutes } from './lifecycle/lifecycle.routes.js';
import { LoginService } from './login.service.js';
import { createMailer, type Mailer } from './mail/mailer.js';
import { meRoutes } from './me.routes.js';
import { mfaRoutes } from './mfa/mfa.routes.js';
import { MfaService } from './mfa/mfa.service.js';
import { RecoveryCodeService } from './mfa/recovery.service.js';
import { TotpService } from './mfa/totp.service.js';
import { WebauthnService } from './mfa/webauthn.service.js';
import { PasswordHasher } from './password.js';
import { PreferencesRepository } from './preferences/preferences.repository.js';
import { preferencesRoutes } from './preferences/preferences.routes.js';
import { PreferencesService, type FieldClassifier } from './preferences/preferences.service.js';
import { PasskeySignIn, SecondFactorService } from './second-factor.service.js';
import { LocalSecretSealer, type SecretSealer } from './secret-sealer.js';
import { HierarchySecretSealer } from './hierarchy-secret-sealer.js';
import { totpResealer } from './mfa/totp-resealer.js';
import type { CryptoService, SecretResealer } from '../crypto/index.js';
import { SessionService } from './session.service.js';
import { SignInFlow } from './sign-in.service.js';
import { OidcClient } from './sso/oidc-client.js';
import { oidcRoutes } from './sso/oidc.routes.js';
import { OidcService } from './sso/oidc.service.js';
import { tokenRoutes } from './token.routes.js';
import { TokenService } from './token.service.js';
import { userRoutes } from './user.routes.js';
import { UserService } from './user.service.js';

export interface IdentityDeps {
  /** The key hierarchy: identity secrets are sealed under it. */
  crypto?: CryptoService;
  config: SeparConfig;
  db: Db;
  clock: Clock;
  bus: EventBus;
  logger: Logger;
  /** Shared counters across instances (login limits, lockout); null keeps them in this process. Owned by the caller. */
  redis: Redis | null;
  /**
   * The field registry (read lazily: the CRM is built after identity), so saved list views never keep a filter
   * value on a restricted or card field in the clear.
   */
  fields?: () => FieldClassifier;
}

export interface Identity {
  /** TOTP seeds sealed under the key hierarchy, for a key rotation to re-seal (none without the hierarchy). */
  readonly secrets: SecretResealer | null;
  /** For the HTTP auth hook: bearer token or session cookie → actor. */
  readonly authenticator: Authenticator;
  /** /auth, /me, /me/mfa, /me/sessions, /me/tokens, /me/preferences, /users, /roles (registered under /api/v1). */
  readonly routes: RouteModule[];
  readonly users: UserService;
  readonly sessions: SessionService;
  readonly tokens: TokenService;
  readonly logins: LoginService;
  readonly mfa: MfaService;
  readonly lifecycle: AccountLifecycle;
  readonly oidc: OidcService;
  /** Password hashing (argon2id under its concurrency limit); `stats` shows the work done, for tests and metrics. */
  readonly passwords: PasswordHasher;
  /** Releases what identity holds open (Redis connection, SMTP pool). */
  close(): Promise<void>;
}

/**
 * At most this many argon2 computations run at once (each holds ~19 MiB and a thread-pool thread, and a CPU core
 * while it works): half the cores, at least one, so a login flood always leaves cores for everything else.
 */
export const PASSWORD_HASH_CONCURRENCY = Math.max(1, Math.floor(availableParallelism() / 2));
/** Beyond this many waiting, password work is refused with 503 + Retry-After. */
export const PASSWORD_HASH_QUEUE = 64;

export function createIdentity(deps: IdentityDeps): Identity {
  const { config, db, clock, bus, logger } = deps;
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
  const publicOrigin = new URL(config.publicUrl).origin;
  const keys = new InstallationKeys(store.repos.secrets);
  // Secrets are sealed under the key hierarchy; the installation-key sealer only opens older values.
  const local = new LocalSecretSealer(keys);
  const hierarchySealer = deps.crypto ? new HierarchySecretSealer(deps.crypto, local) : null;
  const sealer: SecretSealer = hierarchySealer ?? local;
  const redis = deps.redis;
  const mailer: Mailer = createMailer(config.mail, logger);
  const defense = new AuthDefense(config.auth, clock, redis, logger);
  const deviceCookies = new DeviceCookies(keys);

  const sessions = new SessionService({
    store,
    clock,
    events,
    settings: { ...config.session, stepUpMinutes: config.auth.stepUpMinutes },
  });
  const tokens = new TokenService({ store, clock, events });
  const users = new UserService({ store, passwords, clock, events });
  const devices = new KnownDevices({ store, clock, events, mailer, logger, publicUrl: config.publicUrl });
  const totp = new TotpService({ store, sealer, clock });
  const recovery = new RecoveryCodeService({ store, clock });
  const webauthn = new WebauthnService({
    store,
    clock,
    settings: { rpId: new URL(config.publicUrl).hostname, rpName: 'Separ', origin: publicOrigin },
  });
  const signIn = new SignInFlow({ store, sessions, devices, deviceCookies, events, clock, auth: config.auth });
  const lifecycle = new AccountLifecycle({
    store,
    passwords,
    defense,
    mailer,
    clock,
    events,
    logger,
    publicUrl: config.publicUrl,
    idleAccountDays: config.auth.idleAccountDays,
  });
  const isIdle = (userId: string, meta: Parameters<AccountLifecycle['disableIfIdle']>[1]) =>
    lifecycle.disableIfIdle(userId, meta);
  const logins = new LoginService({ store, passwords, signIn, defense, devices, lifecycle, clock, events });
  const secondFactor = new SecondFactorService({
    store,
    sessions,
    signIn,
    defense,
    totp,
    webauthn,
    recovery,
    passwords,
    events,
    clock,
  });
  const passkeys = new PasskeySignIn({ store, webauthn, signIn, defense, events, isIdle });
  const preferences = new PreferencesService(new PreferencesRepository(db.kysely), clock, deps.fields);
  const mfa = new MfaService({ store, totp, webauthn, recovery, sessions, signIn, events, clock });
  const oidcClient = config.oidc ? new OidcClient(config.oidc, `${config.publicUrl}/api/v1/auth/oidc/callback`) : null;
  const oidc = new OidcService({
    config: config.oidc,
    client: oidcClient,
    store,
    signIn,
    defense,
    events,
    clock,
    logger,
    isIdle,
  });

  return {
    secrets: hierarchySealer ? totpResealer(store.repos.mfa, hierarchySealer) : null,
    authenticator: new IdentityAuthenticator(sessions, tokens),
    routes: [
      authRoutes({ logins, sessions, signIn, secondFactor, passkeys, deviceCookies, publicOrigin }),
      meRoutes({ users, sessions, signIn, deviceCookies }),
      preferencesRoutes({ preferences }),
      mfaRoutes({ mfa, sessions, signIn, deviceCookies }),
      lifecycleRoutes({ lifecycle, publicOrigin }),
      oidcRoutes({ oidc, deviceCookies, publicUrl: config.publicUrl }),
      tokenRoutes({ tokens }),
      userRoutes({ users, sessions }),
    ],
    users,
    sessions,
    tokens,
    logins,
    mfa,
    lifecycle,
    oidc,
    passwords,
    close: async () => {
      mailer.close();
    },
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
export { type SecretSealer, LocalSecretSealer } from './secret-sealer.js';
export { totpCode, totpStep, TOTP_PERIOD_SECONDS } from './mfa/totp.js';
export type { MfaStatus } from './mfa/mfa.service.js';
export type { SignInResult, SecondFactor, SetupStep } from './sign-in.service.js';
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
