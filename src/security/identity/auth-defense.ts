import type { AuthConfig } from '../../config/config.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import {
  Lockout,
  MemoryLockoutStore,
  RateLimits,
  RedisLockoutStore,
  tooMany,
  type FailureOutcome,
  type Redis,
} from '../defense/index.js';

/** The request rate limits identity applies (per minute unless noted). */
export type AuthRateLimit =
  'login-ip' | 'login-global' | 'login-device' | 'mfa-ip' | 'public-ip' | 'reset-ip' | 'reset-account';

/** Which failure counter an attempt belongs to: an account (for unknown devices) or one known device. */
export type LockScope =
  | { kind: 'account'; userId: string }
  | { kind: 'device'; userId: string; deviceHash: string }
  | { kind: 'mfa'; userId: string; deviceHash: string | null };

/**
 * Identity's use of src/security/defense: the login rate limits (per IP and global for unknown clients, per
 * device for holders of a valid device cookie) and the lockout rules (PCI DSS 8.3.4 with OWASP device cookies:
 * unknown devices share an account-wide counter; each known device has its own, stricter one).
 */
export class AuthDefense {
  private readonly limits: RateLimits<AuthRateLimit>;
  private readonly lockout: Lockout;

  constructor(
    private readonly auth: AuthConfig,
    clock: Clock,
    redis: Redis | null,
    logger: Logger,
  ) {
    const perIp = auth.loginRatePerIp;
    this.limits = new RateLimits<AuthRateLimit>({
      redis,
      keyPrefix: auth.redisKeyPrefix,
      tarpitMs: 1000,
      tarpitMaxHeld: 512,
      rules: {
        'login-ip': { points: perIp, seconds: 60, what: 'sign-in attempts from your address' },
        'login-global': { points: auth.loginRateGlobal, seconds: 60, what: 'sign-in attempts right now' },
        'login-device': { points: perIp, seconds: 60, what: 'sign-in attempts from this device' },
        'mfa-ip': { points: Math.max(perIp, 30), seconds: 60, what: 'second-factor attempts from your address' },
        'public-ip': { points: Math.max(perIp, 30), seconds: 60, what: 'requests from your address' },
        'reset-ip': { points: 10, seconds: 900, what: 'password reset requests from your address' },
        'reset-account': { points: 3, seconds: 3600, what: 'password reset requests' },
      },
    });
    this.lockout = new Lockout(
      redis ? new RedisLockoutStore(redis, `${auth.redisKeyPrefix}lock:`) : new MemoryLockoutStore(),
      clock,
      (err) => logger.error({ err }, 'lockout store unavailable; counting in this process'),
    );
  }

  /** The login rate limits: a known-device holder is counted per device, anyone else per IP and globally. */
  async admitLogin(ip: string, deviceHash: string | null): Promise<void> {
    if (deviceHash !== null) {
      await this.limits.consume('login-device', deviceHash);
      return;
    }
    await this.limits.consume('login-ip', ip);
    await this.limits.consume('login-global', 'all');
  }

  consume(limit: AuthRateLimit, key: string): Promise<void> {
    return this.limits.consume(limit, key);
  }

  isLocked(scope: LockScope): Promise<boolean> {
    return this.lockout.isLocked(this.key(scope));
  }

  async lockedFor(scope: LockScope): Promise<number> {
    return this.lockout.remainingMs(this.key(scope));
  }

  fail(scope: LockScope): Promise<FailureOutcome> {
    const lockMs = this.auth.lockoutMinutes * 60_000;
    const threshold =
      scope.kind === 'account' || (scope.kind === 'mfa' && scope.deviceHash === null)
        ? this.auth.lockoutThreshold
        : this.auth.deviceLockoutThreshold;
    return this.lockout.fail(this.key(scope), { threshold, lockMs });
  }

  reset(scope: LockScope): Promise<void> {
    return this.lockout.reset(this.key(scope));
  }

  /** 429 for a locked second factor (the password was right, so this reveals nothing new). */
  static mfaLocked(ms: number): Error {
    return tooMany('failed second-factor attempts', ms);
  }

  private key(scope: LockScope): string {
    switch (scope.kind) {
      case 'account':
        return `acct:${scope.userId}`;
      case 'device':
        return `dev:${scope.userId}:${scope.deviceHash}`;
      case 'mfa':
        return scope.deviceHash === null ? `mfa:${scope.userId}` : `mfadev:${scope.userId}:${scope.deviceHash}`;
    }
  }
}
