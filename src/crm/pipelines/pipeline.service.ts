import { AppError, notFound, validationError } from '../../platform/app-error.js';
import { newId } from '../../platform/ids.js';
import type { Clock } from '../../platform/clock.js';
import type { EventBus } from '../../platform/events.js';
import { hasControlChars, maskCardNumbersInText } from '../../platform/formats/index.js';
import { eventContext, requireCapability, type Actor } from '../../security/access/index.js';
import type { PipelineStagesTable, PipelinesTable } from '../../db/database.js';
import type { PipelineRepository } from './pipeline.repository.js';

export const STAGE_KINDS = ['open', 'won', 'lost'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

export interface StageInput {
  id?: string;
  name: string;
  probability?: number;
  kind?: StageKind;
}

export interface Stage {
  id: string;
  name: string;
  position: number;
  probability: number;
  kind: string;
}

export interface Pipeline {
  id: string;
  name: string;
  position: number;
  isDefault: boolean;
  stages: Stage[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

function toPipeline(p: PipelinesTable, stages: PipelineStagesTable[]): Pipeline {
  return {
    id: p.id,
    name: p.name,
    position: p.position,
    isDefault: p.is_default === 1,
    stages: stages
      .filter((s) => s.pipeline_id === p.id)
      .sort((a, b) => a.position - b.position)
      .map((s) => ({ id: s.id, name: s.name, position: s.position, probability: s.probability, kind: s.kind })),
    version: p.version,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  };
}

function checkName(field: string, name: string): string {
  const n = name.trim();
  if (!n || [...n].length > 100 || hasControlChars(n)) throw validationError(field, 'must be 1–100 characters');
  // Names are configuration, kept and shown in clear everywhere: no place for a card number.
  if (maskCardNumbersInText(n).count > 0) throw validationError(field, 'must not contain a card number');
  return n;
}

/** Pipelines with ordered stages. Every authenticated user reads them; changing them is an admin capability. */
export class PipelineService {
  constructor(
    private readonly repo: PipelineRepository,
    private readonly clock: Clock,
    private readonly bus: EventBus,
  ) {}

  async list(_actor: Actor): Promise<Pipeline[]> {
    const ps = await this.repo.list();
    const stages = await this.repo.stages(ps.map((p) => p.id));
    return ps.map((p) => toPipeline(p, stages));
  }

  async get(_actor: Actor, id: string): Promise<Pipeline> {
    const p = await this.repo.byId(id);
    if (!p) throw notFound('Pipeline');
    return toPipeline(p, await this.repo.stages([id]));
  }

  /** For deals: the pipeline to use and a stage that belongs to it (defaults: default pipeline, first stage). */
  async resolveStage(
    pipelineId: string | null,
    stageId: string | null,
  ): Promise<{ pipelineId: string; stageId: string }> {
    const p = pipelineId ? await this.repo.byId(pipelineId) : await this.repo.defaultPipeline();
    if (!p)
      throw validationError(
        'pipelineId',
        pipelineId ? 'does not refer to a pipeline' : 'is required (there is no default pipeline)',
      );
    const stages = await this.repo.stages([p.id]);
    if (stageId) {
      if (!stages.some((s) => s.id === stageId)) throw validationError('stageId', 'is not a stage of this pipeline');
      return { pipelineId: p.id, stageId };
    }
    const first = stages[0];
    if (!first) throw validationError('pipelineId', 'has no stages');
    return { pipelineId: p.id, stageId: first.id };
  }

  async create(actor: Actor, input: { name: string; stages: StageInput[] }): Promise<Pipeline> {
    requireCapability(actor, 'manage-pipelines');
    const now = this.clock.now().toISOString();
    const id = newId();
    const p: PipelinesTable = {
      id,
      name: checkName('name', input.name),
      position: (await this.repo.maxPosition()) + 1,
      is_default: 0,
      version: 1,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    };
    const stages = this.buildStages(id, input.stages, now, new Set());
    await this.repo.create(p, stages);
    this.emit(actor, 'pipeline.created', id);
    return this.get(actor, id);
  }

  async update(
    actor: Actor,
    id: string,
    input: { name?: string; stages?: StageInput[]; version?: number },
    ifMatch: number | undefined,
  ): Promise<Pipeline> {
    requireCapability(actor, 'manage-pipelines');
    const p = await this.repo.byId(id);
    if (!p) throw notFound('Pipeline');
    const expected = ifMatch ?? input.version;
    if (expected === undefined) {
      throw new AppError('SEPAR_ERR_PRECONDITION_REQUIRED', 'Version required', {
        detail: 'Send If-Match with the ETag you read, or "version" in the body.',
      });
    }
    const now = this.clock.now().toISOString();
    let stages: { upsert: PipelineStagesTable[]; remove: string[] } | null = null;
    if (input.stages) {
      const existing = await this.repo.stages([id]);
      const existingIds = new Set(existing.map((s) => s.id));
      const upsert = this.buildStages(id, input.stages, now, existingIds);
      const kept = new Set(upsert.map((s) => s.id));
      const remove = existing.filter((s) => !kept.has(s.id)).map((s) => s.id);
      if ((await this.repo.dealCount({ stageIds: remove })) > 0) {
        throw new AppError('SEPAR_ERR_CONFLICT', 'Stage in use', {
          detail: 'A stage you removed still has deals. Move them to another stage first.',
        });
      }
      stages = { upsert, remove };
    }
    const changes: Partial<PipelinesTable> = { updated_at: now };
    if (input.name !== undefined) changes.name = checkName('name', input.name);
    if (!(await this.repo.update(id, expected, changes, stages))) {
      throw new AppError(
        ifMatch !== undefined ? 'SEPAR_ERR_PRECONDITION_FAILED' : 'SEPAR_ERR_VERSION_CONFLICT',
        'Stale version',
        {
          detail: 'The pipeline changed since you read it. Read it again and retry.',
        },
      );
    }
    this.emit(actor, 'pipeline.updated', id);
    return this.get(actor, id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    requireCapability(actor, 'manage-pipelines');
    const p = await this.repo.byId(id);
    if (!p) throw notFound('Pipeline');
    if (p.is_default === 1)
      throw new AppError('SEPAR_ERR_CONFLICT', 'Default pipeline', {
        detail: 'The default pipeline cannot be deleted.',
      });
    if ((await this.repo.dealCount({ pipelineId: id })) > 0) {
      throw new AppError('SEPAR_ERR_CONFLICT', 'Pipeline in use', { detail: 'Move or delete its deals first.' });
    }
    await this.repo.softDelete(id, this.clock.now().toISOString());
    this.emit(actor, 'pipeline.deleted', id);
  }

  private buildStages(
    pipelineId: string,
    input: StageInput[],
    now: string,
    existing: Set<string>,
  ): PipelineStagesTable[] {
    if (input.length === 0 || input.length > 50) throw validationError('stages', 'must list 1–50 stages');
    const names = new Set<string>();
    return input.map((s, i) => {
      const name = checkName(`stages.${i}.name`, s.name);
      if (names.has(name)) throw validationError(`stages.${i}.name`, 'must be unique within the pipeline');
      names.add(name);
      if (s.id !== undefined && !existing.has(s.id))
        throw validationError(`stages.${i}.id`, 'is not a stage of this pipeline');
      return {
        id: s.id ?? newId(),
        pipeline_id: pipelineId,
        name,
        position: i,
        probability: s.probability ?? 0,
        kind: s.kind ?? 'open',
        created_at: now,
        updated_at: now,
      };
    });
  }

  private emit(actor: Actor, type: string, id: string): void {
    this.bus.emit({
      type,
      at: this.clock.now().toISOString(),
      outcome: 'success',
      context: eventContext(actor),
      target: { type: 'pipeline', id },
    });
  }
}
