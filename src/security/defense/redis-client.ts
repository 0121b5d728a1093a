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

/**
 * Waits (bounded) until the connection is ready, so an instance that just started counts in Redis from its
 * first request instead of in its own memory. False when Redis did not answer in time (the caller warns; the
 * counters fall back to this process until it does).
 */
export async function redisReady(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return true;
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ok);
    };
    const onReady = (): void => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    timer.unref();
    client.on('ready', onReady);
  });
}

export type { Redis };
