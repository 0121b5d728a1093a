import { Redis } from 'ioredis';

/**
 * One Redis connection for the defense counters (shared rate limits and lockouts across instances). Commands
 * fail fast instead of queueing while Redis is away, so callers can fall back to their in-process store.
 */
export function createRedisClient(url: string): Redis {
  const client = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    connectTimeout: 2000,
    commandTimeout: 1000,
    lazyConnect: false,
  });
  // Connection errors are retried by ioredis; callers see failed commands and fall back.
  client.on('error', () => undefined);
  return client;
}

export type { Redis };
