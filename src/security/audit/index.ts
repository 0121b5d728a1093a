import { readFileSync } from 'node:fs';
import type { SeparConfig } from '../../config/config.js';
import type { Db } from '../../db/index.js';
import type { RouteModule } from '../../http/app.js';
import type { Clock } from '../../platform/clock.js';
import type { EventBus } from '../../platform/events.js';
import type { Logger } from '../../platform/logger.js';
import type { CryptoService, SecretResealer } from '../crypto/index.js';
import { signingKeyResealer } from './signing-key.js';
import { systemActor } from '../access/actor.js';
import { AuditOperations } from './audit-operations.js';
import { AuditReader } from './audit-reader.js';
import { auditRoutes } from './audit.routes.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';
import { SensitiveChangeChannel } from './change-channel.js';
import { SiemForwarder } from './siem/siem-forwarder.js';
import { createTransport } from './siem/siem-transport.js';

const ARCHIVE_EVERY_MS = 24 * 3600 * 1000;

export interface AuditDeps {
  config: SeparConfig;
  db: Db;
  clock: Clock;
  bus: EventBus;
  logger: Logger;
  crypto: CryptoService;
  /** SQLite: append on a thread of its own (servers; ADR 0012). */
  appendThread?: boolean;
}

export interface Audit {
  readonly service: AuditService;
  readonly reader: AuditReader;
  readonly operations: AuditOperations;
  /** For the record service: sensitive before/after values travel here, never on the bus. */
  readonly changes: SensitiveChangeChannel;
  readonly siem: SiemForwarder | null;
  /** The signing keys' sealed private halves, for a key rotation to re-seal. */
  readonly secrets: SecretResealer;
  readonly routes: RouteModule[];
  start(processKind: string): Promise<void>;
  stop(): Promise<void>;
}

/** The SIEM sink's name: its URL without credentials, and the format. */
export function siemSink(url: string, format: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return `${u.toString()}#${format}`;
}

export function createAudit(deps: AuditDeps): Audit {
  const { config } = deps;
  const repo = new AuditRepository(deps.db);
  const changes = new SensitiveChangeChannel();
  const service = new AuditService({
    repo,
    crypto: deps.crypto,
    clock: deps.clock,
    bus: deps.bus,
    logger: deps.logger,
    channel: changes,
    config: config.audit,
    originHost: new URL(config.publicUrl).hostname,
    appendThread: deps.appendThread ?? false,
  });
  const reader = new AuditReader(service);
  const operations = new AuditOperations(service, config.audit.archiveDir);
  let siem: SiemForwarder | null = null;
  if (config.siemUrl) {
    const transport = createTransport(config.siemUrl, {
      ca: config.audit.siemCaFile ? readFileSync(config.audit.siemCaFile, 'utf8') : null,
      token: config.audit.siemToken,
    });
    siem = new SiemForwarder(repo, transport, deps.logger, {
      sink: siemSink(config.siemUrl, config.siemFormat),
      format: config.siemFormat,
      ackMs: config.audit.siemAckMs,
      retryMs: config.audit.siemRetryMs,
    });
  }
  let unhook: (() => void) | null = null;
  const timers: NodeJS.Timeout[] = [];
  // Retention: once a day (first a minute after start), move entries older than the retention period into
  // signed archive segments. Short-lived processes (CLI) never get there; `separ audit archive` does it by hand.
  const archive = (): void => {
    operations
      .archive(systemActor('audit retention'))
      .catch((err: unknown) => deps.logger.error({ err }, 'audit archiving failed; entries stay online'));
  };
  return {
    service,
    reader,
    operations,
    changes,
    siem,
    secrets: signingKeyResealer(repo, deps.crypto),
    routes: [auditRoutes({ reader, operations })],
    async start(processKind) {
      await service.start(processKind);
      timers.push(setTimeout(archive, 60_000), setInterval(archive, ARCHIVE_EVERY_MS));
      for (const t of timers) t.unref();
      if (siem) {
        const forwarder = siem;
        unhook = service.onCommit(() => forwarder.poke());
        forwarder.start();
      }
    },
    async stop() {
      for (const t of timers) clearTimeout(t);
      timers.length = 0;
      await service.stop();
      unhook?.();
      await siem?.stop();
    },
  };
}

export { AuditService } from './audit.service.js';
export { AuditReader, type AuditEventView, type AuditSearchQuery } from './audit-reader.js';
export { AuditOperations, type ArchiveResult } from './audit-operations.js';
export { AuditRepository } from './audit.repository.js';
export {
  SensitiveChangeChannel,
  type SensitiveChange,
  type SensitiveChangeSink,
  type SubjectKey,
} from './change-channel.js';
export type { VerifyReport, VerifyProblem } from './audit-verifier.js';
export type { BundleResult } from './audit-bundle.js';
export { canReadAudit, requireAuditRead } from './audit-access.js';
