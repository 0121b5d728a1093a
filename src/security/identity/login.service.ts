import { AppError } from '../../platform/app-error.js';
import type { Clock } from '../../platform/clock.js';
import { emailLookupKey, hasControlChars, MAX_EMAIL_LENGTH } from '../../platform/formats/index.js';
import type { AuthDefense, LockScope } from './auth-defense.js';
import type { KnownDevices } from './devices/known-devices.service.js';
import { anonymousContext, type CallerMeta, type IdentityEvents } from './identity-events.js';
import type { IdentityStore } from './identity.repository.js';
import type { AccountLifecycle } from './lifecycle/account-lifecycle.service.js';
import type { PasswordHasher } from './password.js';
import type { SignInFlow, SignInResult } from './sign-in.service.js';

export const INVALID_CREDENTIALS_DETAIL = 'Email or password is incorrect.';

export type LoginFailureReason = 'unknown-user' | 'no-password' | 'wrong-password' | 'disabled' | 'locked' | 'idle';

export type LoginResult = SignInResult;

export interface LoginOptions {
  /** The session cookie the browser already held, if any: it is ended, so every login starts a new session. */
  previousSessionToken?: string | null;
  /** The device the request came from (its verified device cookie), if any. */
  deviceHash?: string | null;
}

export interface LoginServiceDeps {
  store: IdentityStore;
  passwords: PasswordHasher;
  signIn: SignInFlow;
  defense: AuthDefense;
  devices: KnownDevices;
  lifecycle: AccountLifecycle;
  clock: Clock;
  events: IdentityEvents;
}

/** The one answer for every failed sign-in, whatever the reason. */
export function invalidCredentials(): AppError {
  return new AppError('SEPAR_ERR_INVALID_CREDENTIALS', 'Invalid credentials', { detail: INVALID_CREDENTIALS_DETAIL });
}

/** A key that can never be a user's: lock checks for unknown users run against it, so every path does the same work. */
const NO_USER = '00000000-0000-0000-0000-000000000000';

/**
 * Password sign-in (the first factor). In order: the rate limits (per IP and global, or per known device), the
 * lock state of the counter this attempt belongs to, one argon2id verification — against a dummy hash when
 * there is no real one — and only then the verdict. An unknown email, an account without a password, a wrong
 * password, a disabled, idle or locked account all answer the same 401 after the same work (ASVS 6.3.8).
 *
 * Lockout spares the owner (OWASP device cookies): a device that signed in to this account before has its own,
 * stricter counter; every other device shares the account's counter, which locks them out for 30 minutes after
 * 10 consecutive failures while the owner's known device can still sign in.
 */
export class LoginService {
  constructor(private readonly deps: LoginServiceDeps) {}

  async login(email: string, password: string, meta: CallerMeta, opts: LoginOptions = {}): Promise<LoginResult> {
    const { users } = this.deps.store.repos;
    const deviceHash = opts.deviceHash ?? null;
    await this.deps.defense.admitLogin(meta.ip ?? 'unknown', deviceHash);

    const usable = email.length <= MAX_EMAIL_LENGTH + 64 && !hasControlChars(email);
    const lookup = usable ? emailLookupKey(email) : '';
    const user = lookup === '' ? undefined : await users.findByEmailLookup(lookup);

    // The counter this attempt belongs to: the device's own when it is known for this account and not itself
    // locked; otherwise the account's counter for unknown devices.
    const userId = user?.id ?? NO_USER;
    const known = await this.deps.devices.isKnown(userId, deviceHash);
    let scope: LockScope =
      known && deviceHash !== null ? { kind: 'device', userId, deviceHash } : { kind: 'account', userId };
    if (scope.kind === 'device' && (await this.deps.defense.isLocked(scope))) scope = { kind: 'account', userId };
    const locked = await this.deps.defense.isLocked(scope);

    let failure: LoginFailureReason | null;
    if (!user || user.password_hash === null) {
      await this.deps.passwords.verifyDummy(password);
      failure = user ? 'no-password' : 'unknown-user';
    } else {
      const matches = await this.deps.passwords.verify(user.password_hash, password);
      failure = locked ? 'locked' : !matches ? 'wrong-password' : user.status !== 'active' ? 'disabled' : null;
    }
    if (failure === null && user && (await this.deps.lifecycle.disableIfIdle(user.id, meta))) failure = 'idle';

    if (failure !== null || !user || user.password_hash === null) {
      // Every failure makes the same counter call (unknown users on a sink key; while locked it changes nothing),
      // so no kind of failure answers measurably faster than another.
      const lockedNow = (await this.deps.defense.fail(scope)).lockedNow && user !== undefined;
      this.deps.events.emit({
        type: 'auth.login',
        outcome: 'failure',
        context: anonymousContext(meta),
        ...(user ? { target: { type: 'user', id: user.id } } : {}),
        detail: { reason: failure ?? 'unknown-user', device: scope.kind === 'device' ? 'known' : 'unknown' },
      });
      if (user && lockedNow) {
        this.deps.events.emit({
          type: 'auth.lockout',
          outcome: 'success',
          context: anonymousContext(meta),
          target: { type: 'user', id: user.id },
          detail: {
            scope: scope.kind === 'device' ? 'known-device' : 'unknown-devices',
            minutes: Math.round((await this.deps.defense.lockedFor(scope)) / 60_000),
          },
        });
      }
      throw invalidCredentials();
    }

    await this.deps.defense.reset(scope);
    if (this.deps.passwords.needsRehash(user.password_hash)) {
      await users.upgradePasswordHash(user.id, user.password_hash, await this.deps.passwords.hash(password));
    }
    this.deps.events.emit({
      type: 'auth.login',
      outcome: 'success',
      context: { ...anonymousContext(meta), actorId: user.id, actorType: 'user' },
      target: { type: 'user', id: user.id },
      detail: { factor: 'pwd', device: scope.kind === 'device' ? 'known' : 'unknown' },
    });
    return this.deps.signIn.afterFirstFactor(user, 'pwd', {
      meta,
      deviceHash,
      previousSessionToken: opts.previousSessionToken ?? null,
    });
  }
}
