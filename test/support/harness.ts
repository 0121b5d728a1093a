import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig, type SeparConfig } from '../../src/config/index.js';
import { createRuntime, buildHttpApp, type Runtime } from '../../src/runtime/index.js';
import { createLogger } from '../../src/platform/logger.js';
import type { ManualClock } from '../../src/platform/clock.js';
import { type Clock } from '../../src/platform/clock.js';
import { freshPgDatabase, type TestDialect } from './dialects.js';

export interface Harness {
  dialect: TestDialect;
  config: SeparConfig;
  rt: Runtime;
  app: FastifyInstance;
  clock: Clock;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  clock?: ManualClock;
  /** How long a key rotation waits for other servers to notice new keys (none here; default as `serve`). */
  rotationSettleMs?: number;
}

/** A real runtime (real database, migrations applied) and its Fastify app, for app.inject tests. */
export async function startHarness(dialect: TestDialect, opts: HarnessOptions = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'separ-test-'));
  const pgDb = dialect === 'postgres' ? await freshPgDatabase() : null;
  const config = loadConfig({
    SEPAR_DATA_DIR: dataDir,
    SEPAR_LOG_LEVEL: 'silent',
    SEPAR_PUBLIC_URL: 'https://localhost:8443',
    // Every app.inject request comes from 127.0.0.1: one suite's sign-ins would share the per-IP login budget.
    // Suites that test the rate limits set their own value.
    SEPAR_LOGIN_RATE_PER_IP: '10000',
    ...(pgDb ? { DATABASE_URL: pgDb.url } : {}),
    ...opts.env,
  });
  const clock = opts.clock ?? { now: () => new Date() };
  // As `separ serve` runs: on SQLite, the write-ahead log is checkpointed, and the audit log appended, by threads
  // of their own.
  const rt = await createRuntime(config, {
    migrate: true,
    clock,
    logger: createLogger('silent'),
    backgroundCheckpoints: true,
    auditThread: true,
    ...(opts.rotationSettleMs === undefined ? {} : { rotationSettleMs: opts.rotationSettleMs }),
  });
  const app = await buildHttpApp(rt);
  await app.ready();
  return {
    dialect,
    config,
    rt,
    app,
    clock,
    close: async () => {
      await app.close();
      await rt.close();
      if (pgDb) await pgDb.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const json = (res: LightMyRequestResponse): unknown => JSON.parse(res.body) as unknown;
