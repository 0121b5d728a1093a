import type { FastifyInstance } from 'fastify';
import type { ServerOptions as HttpsServerOptions } from 'node:https';
import type { SeparConfig } from '../config/config.js';
import { openDb, migrateToLatest, type Db } from '../db/index.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { EventBus } from '../platform/events.js';
import { buildApp } from '../http/app.js';
import { clientIp } from '../http/client-ip.js';
import { createIdentity, type Identity } from '../security/identity/index.js';
import { createCrm, type Crm } from '../crm/index.js';
import {
  createCrypto,
  keyStatusRoutes,
  openCryptoRoot,
  RotationService,
  type CryptoService,
} from '../security/crypto/index.js';
import { createAudit, type Audit } from '../security/audit/index.js';
import { createAccess, type Access } from '../security/access/index.js';
import { createRedisClient, redisReady, type Redis } from '../security/defense/index.js';

/** How long start-up waits for Redis before counting in-process (and saying so). */
const REDIS_READY_MS = 3000;

/** Everything a process needs, built once from config: the composition root. */
export interface Runtime {
  readonly config: SeparConfig;
  readonly logger: Logger;
  readonly db: Db;
  readonly clock: Clock;
  readonly bus: EventBus;
  readonly identity: Identity;
  readonly crm: Crm;
  readonly crypto: CryptoService;
  readonly rotation: RotationService;
  /** Tamper-evident audit trail: records every bus event from before identity and the CRM start. */
  readonly audit: Audit;
  /** Role policies, teams and the per-request permission resolver. */
  readonly access: Access;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  clock?: Clock;
  logger?: Logger;
  /** Apply migrations before use (serve, tests). */
  migrate?: boolean;
  /** How long a rotation waits for other instances to notice new keys (they refresh every KEY_REFRESH_MS). */
  rotationSettleMs?: number;
  /** Named in the audit log's start/stop entries (e.g. 'serve', 'cli'). */
  processKind?: string;
  /**
   * SQLite: checkpoint the write-ahead log on a thread of its own, not inside commits on the event loop (servers;
   * a one-shot command leaves it to SQLite).
   */
  backgroundCheckpoints?: boolean;
  /** SQLite: the audit log's append transactions on a thread of their own, off the event loop (servers; ADR 0012). */
  auditThread?: boolean;
  /**
   * Re-write masks stored under older mask rules, in the background (servers: a one-shot command must not sit
   * re-writing the whole database before it exits).
   */
  maskRefresh?: boolean;
}

/** Running servers pick up keys created by another process (rotation) this often. */
export const KEY_REFRESH_MS = 5000;

export async function createRuntime(config: SeparConfig, opts: RuntimeOptions = {}): Promise<Runtime> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const clock = opts.clock ?? systemClock;
  const db = openDb({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    poolSize: config.dbPoolSize,
    ...(opts.backgroundCheckpoints
      ? { backgroundCheckpoints: { onError: (message) => logger.error({ message }, 'WAL checkpoint failed') } }
      : {}),
  });
  // One Redis connection (when configured) for every counter instances must share.
  let redis: Redis | null = null;
  const closeRedis = async (): Promise<void> => {
    const r = redis;
    redis = null;
    if (r) await r.quit().catch(() => r.disconnect());
  };
  try {
    const root = await openCryptoRoot({ config, db, logger });
    if (opts.migrate) await migrateToLatest(db);
    const bus = new EventBus((err, event) => logger.error({ err, eventType: event.type }, 'event handler failed'));
    const crypto = await createCrypto({ config, db, clock, logger, root });
    const audit = createAudit({ config, db, clock, bus, logger, crypto, appendThread: opts.auditThread ?? false });
    try {
      await audit.start(opts.processKind ?? 'separ');
    } catch (err) {
      await crypto.close();
      throw err;
    }
    const access = createAccess({
      db,
      clock,
      bus,
      // Access reviews change roles and status through identity's user service (built just below).
      users: () => identity.users,
      fields: () => crm.registry,
      dormantAfterDays: config.auth.idleAccountDays,
    });
    redis = config.redisUrl ? createRedisClient(config.redisUrl) : null;
    if (redis && !(await redisReady(redis, REDIS_READY_MS))) {
      logger.warn('Redis did not answer in time: rate limits and lockouts count in this process until it does');
    }
    const identity = createIdentity({ config, db, clock, bus, logger, crypto, redis, fields: () => crm.registry });
    const crm = await createCrm({
      config,
      db,
      clock,
      bus,
      logger,
      crypto,
      redis,
      auditChanges: audit.changes,
      maskRefresh: opts.maskRefresh ?? false,
    });
    const rotation = new RotationService(
      crypto,
      crm.storage,
      clock,
      bus,
      opts.rotationSettleMs ?? KEY_REFRESH_MS * 2 + 1000,
      [audit.secrets, ...(identity.secrets ? [identity.secrets] : [])],
    );
    return {
      config,
      logger,
      db,
      clock,
      bus,
      identity,
      crm,
      crypto,
      rotation,
      audit,
      access,
      close: async () => {
        await crm.storage.idle();
        await audit.stop();
        await crypto.close();
        await identity.close();
        await closeRedis();
        await db.close();
      },
    };
  } catch (err) {
    await closeRedis();
    await db.close();
    throw err;
  }
}

export async function buildHttpApp(rt: Runtime, https?: HttpsServerOptions): Promise<FastifyInstance> {
  return buildApp({
    config: rt.config,
    logger: rt.logger,
    auth: rt.identity.authenticator,
    resolveAccess: (actor) => rt.access.resolver.resolve(actor),
    onRefused: (req, err) =>
      rt.bus.emit({
        type: 'access.denied',
        at: rt.clock.now().toISOString(),
        outcome: 'failure',
        context: {
          actorId: req.actor?.userId ?? null,
          actorType: req.actor?.kind ?? 'anonymous',
          ip: clientIp(req),
          userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'].slice(0, 512) : null,
          requestId: req.id,
        },
        detail: {
          code: err.code,
          method: req.method,
          route: req.routeOptions.url ?? null,
          reason: err.detail ?? err.message,
        },
      }),
    ping: () => rt.db.ping(),
    modules: [
      ...rt.identity.routes,
      ...rt.access.routes,
      ...rt.crm.routes,
      ...rt.audit.routes,
      keyStatusRoutes({ rotation: rt.rotation }),
    ],
    ...(https ? { https } : {}),
  });
}
