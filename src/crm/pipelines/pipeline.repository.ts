import type { Db } from '../../db/index.js';
import type { PipelineStagesTable, PipelinesTable } from '../../db/database.js';

export class PipelineRepository {
  constructor(private readonly db: Db) {}

  async list(): Promise<PipelinesTable[]> {
    return this.db.kysely
      .selectFrom('pipelines')
      .selectAll()
      .where('deleted_at', 'is', null)
      .orderBy('position')
      .orderBy('id')
      .execute();
  }

  async byId(id: string): Promise<PipelinesTable | undefined> {
    return this.db.kysely
      .selectFrom('pipelines')
      .selectAll()
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
  }

  async defaultPipeline(): Promise<PipelinesTable | undefined> {
    return this.db.kysely
      .selectFrom('pipelines')
      .selectAll()
      .where('deleted_at', 'is', null)
      .orderBy('is_default', 'desc')
      .orderBy('position')
      .executeTakeFirst();
  }

  async stages(pipelineIds: readonly string[]): Promise<PipelineStagesTable[]> {
    if (pipelineIds.length === 0) return [];
    return this.db.kysely
      .selectFrom('pipeline_stages')
      .selectAll()
      .where('pipeline_id', 'in', pipelineIds)
      .orderBy('pipeline_id')
      .orderBy('position')
      .execute();
  }

  async stage(id: string): Promise<PipelineStagesTable | undefined> {
    return this.db.kysely.selectFrom('pipeline_stages').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async create(p: PipelinesTable, stages: PipelineStagesTable[]): Promise<void> {
    await this.db.kysely.transaction().execute(async (trx) => {
      await trx.insertInto('pipelines').values(p).execute();
      if (stages.length > 0) await trx.insertInto('pipeline_stages').values(stages).execute();
    });
  }

  /** Replace name and stages in one transaction when the version matches. */
  async update(
    id: string,
    version: number,
    changes: Partial<PipelinesTable>,
    stages: { upsert: PipelineStagesTable[]; remove: string[] } | null,
  ): Promise<boolean> {
    return this.db.kysely.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('pipelines')
        .set({ ...changes, version: version + 1 })
        .where('id', '=', id)
        .where('version', '=', version)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      if (stages) {
        if (stages.remove.length > 0)
          await trx.deleteFrom('pipeline_stages').where('id', 'in', stages.remove).execute();
        for (const s of stages.upsert) {
          await trx
            .insertInto('pipeline_stages')
            .values(s)
            .onConflict((oc) =>
              oc.column('id').doUpdateSet({
                name: s.name,
                position: s.position,
                probability: s.probability,
                kind: s.kind,
                updated_at: s.updated_at,
              }),
            )
            .execute();
        }
      }
      return true;
    });
  }

  async softDelete(id: string, now: string): Promise<void> {
    await this.db.kysely
      .updateTable('pipelines')
      .set({ deleted_at: now, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  async dealCount(where: { pipelineId?: string; stageIds?: string[] }): Promise<number> {
    let q = this.db.kysely
      .selectFrom('deals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('deleted_at', 'is', null);
    if (where.pipelineId) q = q.where('pipeline_id', '=', where.pipelineId);
    if (where.stageIds) {
      if (where.stageIds.length === 0) return 0;
      q = q.where('stage_id', 'in', where.stageIds);
    }
    const r = await q.executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async maxPosition(): Promise<number> {
    const r = await this.db.kysely
      .selectFrom('pipelines')
      .select((eb) => eb.fn.max<number>('position').as('p'))
      .executeTakeFirst();
    return Number(r?.p ?? 0);
  }
}
