export { createRedisClient, redisReady, type Redis } from './redis-client.js';
export { RateLimits, tooMany, type RateLimitRule, type RateLimitsOptions } from './rate-limits.js';
export {
  Lockout,
  MemoryLockoutStore,
  RedisLockoutStore,
  type FailureOutcome,
  type LockoutRule,
  type LockoutStore,
  type LockState,
} from './lockout.js';
