import type { Clock } from '../../platform/clock.js';
import type { Redis } from './redis-client.js';

/** One key's state: failures since the last success or lock, and until when it is locked (epoch ms; 0: not). */
export interface LockState {
  failures: number;
  lockedUntil: number;
}

export interface FailureOutcome extends LockState {
  /** This failure reached the threshold and started a lock. */
  lockedNow: boolean;
}

/** Where lock states live: this process, or Redis for several instances. Times come from the caller's clock. */
export interface LockoutStore {
  get(key: string): Promise<LockState | null>;
  /** Counts a failure at `now`; at `threshold` the key locks for `lockMs`. `ttlMs` only bounds storage. */
  fail(key: string, now: number, threshold: number, lockMs: number, ttlMs: number): Promise<FailureOutcome>;
  reset(key: string): Promise<void>;
}

/** A failure while locked changes nothing; the first failure after a lock expired starts a new count. */
function nextState(prev: LockState, now: number, threshold: number, lockMs: number): FailureOutcome {
  if (prev.lockedUntil > now) return { ...prev, lockedNow: false };
  const failures = (prev.lockedUntil > 0 ? 0 : prev.failures) + 1;
  if (failures >= threshold) return { failures: 0, lockedUntil: now + lockMs, lockedNow: true };
  return { failures, lockedUntil: 0, lockedNow: false };
}

export class MemoryLockoutStore implements LockoutStore {
  private readonly entries = new Map<string, LockState & { gcAt: number }>();

  get(key: string): Promise<LockState | null> {
    const e = this.entries.get(key);
    return Promise.resolve(e ? { failures: e.failures, lockedUntil: e.lockedUntil } : null);
  }

  fail(key: string, now: number, threshold: number, lockMs: number, ttlMs: number): Promise<FailureOutcome> {
    this.collect(now);
    const prev = this.entries.get(key);
    const next = nextState(prev && prev.gcAt > now ? prev : { failures: 0, lockedUntil: 0 }, now, threshold, lockMs);
    this.entries.set(key, { failures: next.failures, lockedUntil: next.lockedUntil, gcAt: now + ttlMs });
    return Promise.resolve(next);
  }

  reset(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }

  private collect(now: number): void {
    if (this.entries.size < 10_000) return;
    for (const [k, v] of this.entries) if (v.gcAt <= now) this.entries.delete(k);
  }
}

/** Atomic read-modify-write of one lock state (a hash: f = failures, u = locked until). */
const FAIL_SCRIPT = `
local now = tonumber(ARGV[1])
local threshold = tonumber(ARGV[2])
local f = tonumber(redis.call('HGET', KEYS[1], 'f') or '0')
local u = tonumber(redis.call('HGET', KEYS[1], 'u') or '0')
if u > now then return {f, tostring(u), 0} end
if u > 0 then f = 0 end
f = f + 1
local locked = 0
u = 0
if f >= threshold then
  f = 0
  u = now + tonumber(ARGV[3])
  locked = 1
end
redis.call('HSET', KEYS[1], 'f', f, 'u', tostring(u))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return {f, tostring(u), locked}
`;

export class RedisLockoutStore implements LockoutStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<LockState | null> {
    const h = await this.redis.hgetall(this.prefix + key);
    if (h.f === undefined) return null;
    return { failures: Number(h.f), lockedUntil: Number(h.u ?? 0) };
  }

  async fail(key: string, now: number, threshold: number, lockMs: number, ttlMs: number): Promise<FailureOutcome> {
    const r = (await this.redis.eval(FAIL_SCRIPT, 1, this.prefix + key, now, threshold, lockMs, ttlMs)) as [
      number,
      string,
      number,
    ];
    return { failures: Number(r[0]), lockedUntil: Number(r[1]), lockedNow: Number(r[2]) === 1 };
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}

export interface LockoutRule {
  threshold: number;
  lockMs: number;
}

/** Consecutive failures are remembered this long without a new one. */
const FAILURE_MEMORY_MS = 24 * 3_600_000;

/**
 * Consecutive-failure lockout (PCI DSS 8.3.4): after `threshold` failures a key is locked for `lockMs`, measured
 * with the injected clock. Redis, when configured, shares the state across instances; if Redis fails, the
 * in-process store answers (per instance) rather than failing open or blocking sign-in everywhere.
 */
export class Lockout {
  private readonly fallback = new MemoryLockoutStore();

  constructor(
    private readonly store: LockoutStore,
    private readonly clock: Clock,
    private readonly onStoreError: (err: unknown) => void = () => undefined,
  ) {}

  async isLocked(key: string): Promise<boolean> {
    const s = await this.guard((st) => st.get(key));
    return s !== null && s.lockedUntil > this.clock.now().getTime();
  }

  /** Milliseconds until `key` unlocks (0 when it is not locked). */
  async remainingMs(key: string): Promise<number> {
    const s = await this.guard((st) => st.get(key));
    return s === null ? 0 : Math.max(0, s.lockedUntil - this.clock.now().getTime());
  }

  async fail(key: string, rule: LockoutRule): Promise<FailureOutcome> {
    const now = this.clock.now().getTime();
    return this.guard((st) => st.fail(key, now, rule.threshold, rule.lockMs, Math.max(rule.lockMs, FAILURE_MEMORY_MS)));
  }

  async reset(key: string): Promise<void> {
    await this.guard((st) => st.reset(key));
  }

  private async guard<T>(op: (store: LockoutStore) => Promise<T>): Promise<T> {
    if (this.store === this.fallback) return op(this.fallback);
    try {
      return await op(this.store);
    } catch (err) {
      this.onStoreError(err);
      return op(this.fallback);
    }
  }
}
