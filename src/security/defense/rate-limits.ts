import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../../platform/app-error.js';
import type { Redis } from './redis-client.js';

export interface RateLimitRule {
  /** Requests allowed per window. */
  points: number;
  /** Window length in seconds. */
  seconds: number;
  /** What the caller was doing, for the refusal message ("sign-in attempts"). */
  what: string;
}

export interface RateLimitsOptions<Name extends string> {
  rules: Record<Name, RateLimitRule>;
  /** Shared counters across instances; null keeps them in this process. */
  redis: Redis | null;
  keyPrefix: string;
  /**
   * Tarpit: a client past twice its limit (a flood, not someone retrying) gets its 429 only after this long (at
   * most until its window resets), so a flooder with bounded concurrency is slowed to a trickle and the server
   * spends almost nothing on it. 0 disables it.
   */
  tarpitMs?: number;
  /** At most this many refused requests are held at once; beyond, refusals are immediate. */
  tarpitMaxHeld?: number;
}

/**
 * Named request rate limits (per IP, per device, global…) on rate-limiter-flexible: in-process memory by
 * default, Redis when configured (with an in-memory insurance limiter if Redis is unreachable). Over the limit:
 * 429 SEPAR_ERR_RATE_LIMITED with Retry-After. Windows follow the store's clock (real time), which is right
 * for throughput limits; the lockout rules, which tests move through time, live in Lockout.
 */
export class RateLimits<Name extends string> {
  private readonly limiters = new Map<Name, RateLimiterAbstract>();
  private held = 0;

  constructor(private readonly options: RateLimitsOptions<Name>) {
    for (const [name, rule] of Object.entries(options.rules) as [Name, RateLimitRule][]) {
      const base = { points: rule.points, duration: rule.seconds, keyPrefix: `${options.keyPrefix}rl:${name}` };
      const memory = new RateLimiterMemory(base);
      this.limiters.set(
        name,
        options.redis
          ? new RateLimiterRedis({
              ...base,
              storeClient: options.redis,
              insuranceLimiter: memory,
              rejectIfRedisNotReady: true,
            })
          : memory,
      );
    }
  }

  /** Counts one request against `name` for `key`; throws 429 when the limit is spent. */
  async consume(name: Name, key: string): Promise<void> {
    const limiter = this.limiters.get(name);
    if (!limiter) throw new Error(`unknown rate limit '${name}'`);
    try {
      await limiter.consume(key);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      const rule = this.options.rules[name];
      await this.tarpit(err, rule);
      throw tooMany(rule.what, err.msBeforeNext);
    }
  }

  private async tarpit(res: RateLimiterRes, rule: RateLimitRule): Promise<void> {
    const delay = Math.min(this.options.tarpitMs ?? 0, res.msBeforeNext);
    if (delay <= 0 || res.consumedPoints <= 2 * rule.points) return;
    if (this.held >= (this.options.tarpitMaxHeld ?? 256)) return;
    this.held++;
    try {
      await new Promise((resolve) => setTimeout(resolve, delay));
    } finally {
      this.held--;
    }
  }

  /**
   * Refuses (429) when `key` has already spent `name`'s limit, without counting this request: for limits on an
   * outcome (a lookup that found nothing) rather than on requests, checked before the work and counted after it.
   */
  async check(name: Name, key: string): Promise<void> {
    const limiter = this.limiters.get(name);
    if (!limiter) throw new Error(`unknown rate limit '${name}'`);
    const res = await limiter.get(key);
    const rule = this.options.rules[name];
    if (res !== null && res.consumedPoints >= rule.points) throw tooMany(rule.what, res.msBeforeNext);
  }

  /** Counts one against `key` without refusing anything: the next `check` or `consume` refuses once it is spent. */
  async count(name: Name, key: string): Promise<void> {
    const limiter = this.limiters.get(name);
    if (!limiter) throw new Error(`unknown rate limit '${name}'`);
    await limiter.penalty(key, 1);
  }

  /** Forgets `key`'s count (e.g. a per-account reset limit after success). */
  async reset(name: Name, key: string): Promise<void> {
    await this.limiters.get(name)?.delete(key);
  }
}

export function tooMany(what: string, msBeforeNext: number): AppError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError('SEPAR_ERR_RATE_LIMITED', 'Too many requests', {
    detail: `Too many ${what}; try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
    headers: { 'retry-after': String(seconds) },
  });
}
