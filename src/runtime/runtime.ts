import type { FastifyInstance } from 'fastify';
import type { ServerOptions as HttpsServerOptions } from 'node:https';
import type { SeparConfig } from '../config/config.js';
import { openDb, migrateToLatest, type Db } from '../db/index.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { EventBus } from '../platform/events.js';
import { buildApp } from '../http/app.js';
import { createIdentity, type Identity } from '../security/identity/index.js';
import { createCrm, type Crm } from '../crm/index.js';
import { createCrypto, openCryptoRoot, RotationService, type CryptoService } from '../security/crypto/index.js';

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
  close(): Promise<void>;
}

export interface RuntimeOptions {
  clock?: Clock;
  logger?: Logger;
  /** Apply migrations before use (serve, tests). */
  migrate?: boolean;
  /** How long a rotation waits for other instances to notice new keys (they refresh every KEY_REFRESH_MS). */
  rotationSettleMs?: number;
}

/** Running servers pick up keys created by another process (rotation) this often. */
export const KEY_REFRESH_MS = 5000;

export async function createRuntime(config: SeparConfig, opts: RuntimeOptions = {}): Promise<Runtime> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const clock = opts.clock ?? systemClock;
  const db = openDb({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, poolSize: config.dbPoolSize });
  try {
    const root = await openCryptoRoot({ config, db, logger });
    if (opts.migrate) await migrateToLatest(db);
    const bus = new EventBus((err, event) => logger.error({ err, eventType: event.type }, 'event handler failed'));
    const crypto = await createCrypto({ config, db, clock, logger, root });
    const identity = createIdentity({ config, db, clock, bus, logger });
    const crm = await createCrm({ config, db, clock, bus, logger, crypto });
    const rotation = new RotationService(
      crypto,
      crm.storage,
      clock,
      bus,
      opts.rotationSettleMs ?? KEY_REFRESH_MS * 2 + 1000,
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
      close: async () => {
        await crm.storage.idle();
        await crypto.close();
        await db.close();
      },
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}

export async function buildHttpApp(rt: Runtime, https?: HttpsServerOptions): Promise<FastifyInstance> {
  return buildApp({
    config: rt.config,
    logger: rt.logger,
    auth: rt.identity.authenticator,
    ping: () => rt.db.ping(),
    modules: [...rt.identity.routes, ...rt.crm.routes],
    ...(https ? { https } : {}),
  });
}
