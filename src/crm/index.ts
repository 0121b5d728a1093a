import type { SeparConfig } from '../config/config.js';
import type { CryptoService } from '../security/crypto/index.js';
import type { Db } from '../db/index.js';
import type { Clock } from '../platform/clock.js';
import type { EventBus } from '../platform/events.js';
import type { Logger } from '../platform/logger.js';
import type { RouteModule } from '../http/app.js';
import { FieldRegistry, type CrmObjectName } from '../security/classification/index.js';
import { contactDefinition } from './contacts/contact.definition.js';
import { companyDefinition } from './companies/company.definition.js';
import { dealDefinition } from './deals/deal.definition.js';
import { activityDefinition } from './activities/activity.definition.js';
import { dealHooks } from './deals/deal.hooks.js';
import type { ObjectDefinition } from './records/object-definition.js';
import { RecordRepository } from './records/record.repository.js';
import { RecordService, type RecordHooks } from './records/record.service.js';
import { recordRoutes } from './records/record.routes.js';
import { CursorCodec } from './records/cursor.js';
import { StorageSweeper } from './records/storage-sweeper.js';
import { refreshStoredMasks } from './records/mask-refresh.js';
import { FieldRepository } from './fields/field.repository.js';
import { FieldService } from './fields/field.service.js';
import { RegistryStateRepository } from './fields/registry-state.repository.js';
import { fieldRoutes } from './fields/field.routes.js';
import { syncBuiltinFields } from './fields/builtin-fields.js';
import { PipelineRepository } from './pipelines/pipeline.repository.js';
import { PipelineService } from './pipelines/pipeline.service.js';
import { pipelineRoutes } from './pipelines/pipeline.routes.js';
import { TimelineService } from './timeline/timeline.service.js';
import { RevealService, revealLimits } from './records/reveal.service.js';
import { exportLimits } from './records/record-export.js';
import { ProbeBudget } from './records/masked-lookups.js';
import type { Redis } from '../security/defense/index.js';
import { SettingsRepository } from './settings.repository.js';
import type { SensitiveChangeSink } from '../security/audit/index.js';

export type { ApiRecord } from './records/record-mapper.js';
export type { RecordService } from './records/record.service.js';
export type { ObjectDefinition } from './records/object-definition.js';

export const OBJECT_DEFINITIONS: Record<CrmObjectName, ObjectDefinition> = {
  companies: companyDefinition,
  contacts: contactDefinition,
  deals: dealDefinition,
  activities: activityDefinition,
};

export interface CrmDeps {
  crypto: CryptoService;
  config: SeparConfig;
  db: Db;
  clock: Clock;
  bus: EventBus;
  logger: Logger;
  /** Shared counters across instances (reveal limits); null keeps them in this process. */
  redis: Redis | null;
  /** Where record changes leave restricted/pci before/after values for the audit trail (never on the bus). */
  auditChanges?: SensitiveChangeSink;
  /** Re-write masks stored under older mask rules in the background (servers only). */
  maskRefresh?: boolean;
}

export interface Crm {
  routes: RouteModule[];
  registry: FieldRegistry;
  records: Record<CrmObjectName, RecordService>;
  fields: FieldService;
  pipelines: PipelineService;
  timeline: TimelineService;
  /** Re-stores records after classification changes and during key rotation. */
  storage: StorageSweeper;
}

export async function createCrm(deps: CrmDeps): Promise<Crm> {
  const fieldRepo = new FieldRepository(deps.db);
  await syncBuiltinFields(fieldRepo, Object.values(OBJECT_DEFINITIONS), deps.clock.now().toISOString());
  const registry = new FieldRegistry(fieldRepo);
  await registry.load();
  const settings = new SettingsRepository(deps.db);
  const cursors = new CursorCodec(await settings.secret('cursor_hmac_key'));
  const repo = new RecordRepository(deps.db);
  const pipelines = new PipelineService(new PipelineRepository(deps.db), deps.clock, deps.bus);
  const registryState = new RegistryStateRepository(deps.db);
  const storage = new StorageSweeper(repo, registry, deps.crypto, OBJECT_DEFINITIONS, deps.logger, registryState);
  const values = { phoneRegion: deps.config.defaultPhoneRegion };
  const exportLimit = exportLimits(deps.redis, deps.config.auth.redisKeyPrefix);
  const probes = new ProbeBudget(deps.redis, deps.config.auth.redisKeyPrefix);
  const make = (def: ObjectDefinition, hooks?: RecordHooks): RecordService =>
    new RecordService({
      crypto: deps.crypto,
      registryState,
      def,
      repo,
      registry,
      cursors,
      clock: deps.clock,
      bus: deps.bus,
      values,
      ...(hooks ? { hooks } : {}),
      ...(deps.auditChanges ? { changes: deps.auditChanges } : {}),
      exportLimits: exportLimit,
      probes,
    });
  const records: Record<CrmObjectName, RecordService> = {
    companies: make(companyDefinition),
    contacts: make(contactDefinition),
    deals: make(
      dealDefinition,
      dealHooks(pipelines, () => deps.clock.now().toISOString()),
    ),
    activities: make(activityDefinition),
  };
  const revealLimit = revealLimits(deps.redis, deps.config.auth.redisKeyPrefix);
  const reveal = (def: ObjectDefinition): RevealService =>
    new RevealService(def, repo, registry, deps.crypto, deps.clock, deps.bus, revealLimit);
  const timeline = new TimelineService(
    repo,
    (actor, rows) => records.activities.present(actor, rows),
    cursors,
    activityDefinition,
    OBJECT_DEFINITIONS,
  );
  const fields = new FieldService(
    fieldRepo,
    registry,
    deps.clock,
    deps.bus,
    (o) => storage.request(o),
    registryState,
    (object, key) => OBJECT_DEFINITIONS[object as CrmObjectName]?.fields.find((f) => f.key === key)?.classification,
  );
  // A sweep interrupted by a crash (here or on another instance) is picked up again.
  for (const object of (await registryState.read()).pending) storage.request(object);
  // Masks stored under older mask rules are re-written once, in the background, by servers.
  await refreshStoredMasks({
    settings,
    repo,
    sweeper: storage,
    defs: OBJECT_DEFINITIONS,
    logger: deps.logger,
    rewrite: deps.maskRefresh === true,
  });
  return {
    routes: [
      recordRoutes(records.companies, timeline, reveal(companyDefinition)),
      recordRoutes(records.contacts, timeline, reveal(contactDefinition)),
      recordRoutes(records.deals, timeline, reveal(dealDefinition)),
      recordRoutes(records.activities, null, reveal(activityDefinition)),
      pipelineRoutes(pipelines),
      fieldRoutes(fields),
    ],
    registry,
    records,
    fields,
    pipelines,
    timeline,
    storage,
  };
}
