import { AppError } from '../../platform/app-error.js';
import type { Clock } from '../../platform/clock.js';
import { emailLookupKey, MAX_EMAIL_LENGTH } from '../../platform/formats/index.js';
import { anonymousContext, type CallerMeta, type IdentityEvents } from './identity-events.js';
import type { IdentityStore } from './identity.repository.js';
import type { PasswordHasher } from './password.js';
import type { NewSession, SessionService } from './session.service.js';
import { userView, type UserView } from './user.service.js';

export const INVALID_CREDENTIALS_DETAIL = 'Email or password is incorrect.';

export type LoginFailureReason = 'unknown-user' | 'no-password' | 'wrong-password' | 'disabled';

export interface LoginResult {
  user: UserView;
  session: NewSession;
}

export interface LoginOptions {
  /** The session cookie the browser already held, if any: it is ended, so every login starts a new session. */
  previousSessionToken?: string | null;
}

export interface LoginServiceDeps {
  store: IdentityStore;
  passwords: PasswordHasher;
  sessions: SessionService;
  clock: Clock;
  events: IdentityEvents;
}

/** The one answer for every failed sign-in, whatever the reason. */
export function invalidCredentials(): AppError {
  return new AppError('SEPAR_ERR_INVALID_CREDENTIALS', 'Invalid credentials', { detail: INVALID_CREDENTIALS_DETAIL });
}

/**
 * Password sign-in. An unknown email, an account without a password, a wrong password and a disabled account
 * give the same error after the same work (one argon2id verification, against a dummy hash when there is no
 * real one), so neither the answer nor its timing tells which accounts exist (ASVS 6.3.8).
 * Lockout and MFA attach here: a `pending` session instead of a full one when a second factor is due.
 */
export class LoginService {
  constructor(private readonly deps: LoginServiceDeps) {}

  async login(email: string, password: string, meta: CallerMeta, opts: LoginOptions = {}): Promise<LoginResult> {
    const { users } = this.deps.store.repos;
    const lookup = email.length <= MAX_EMAIL_LENGTH + 64 ? emailLookupKey(email) : '';
    const user = lookup === '' ? undefined : await users.findByEmailLookup(lookup);

    let failure: LoginFailureReason | null;
    if (!user || user.password_hash === null) {
      await this.deps.passwords.verifyDummy(password);
      failure = user ? 'no-password' : 'unknown-user';
    } else {
      const matches = await this.deps.passwords.verify(user.password_hash, password);
      failure = !matches ? 'wrong-password' : user.status !== 'active' ? 'disabled' : null;
    }
    if (failure !== null || !user || user.password_hash === null) {
      this.deps.events.emit({
        type: 'auth.login',
        outcome: 'failure',
        context: anonymousContext(meta),
        ...(user ? { target: { type: 'user', id: user.id } } : {}),
        detail: { reason: failure ?? 'unknown-user' },
      });
      throw invalidCredentials();
    }

    if (this.deps.passwords.needsRehash(user.password_hash)) {
      await users.upgradePasswordHash(user.id, user.password_hash, await this.deps.passwords.hash(password));
    }
    if (opts.previousSessionToken) await this.deps.sessions.revokeByToken(opts.previousSessionToken, 'replaced');
    const session = await this.deps.sessions.create(user.id, meta, 'full');
    const now = this.deps.clock.now().toISOString();
    await users.setLastLogin(user.id, now);
    this.deps.events.emit({
      type: 'auth.login',
      outcome: 'success',
      context: { ...anonymousContext(meta), actorId: user.id, actorType: 'user' },
      target: { type: 'user', id: user.id },
      detail: { session: session.publicId },
    });
    return { user: userView({ ...user, last_login_at: now }, await users.rolesOf(user.id)), session };
  }
}
