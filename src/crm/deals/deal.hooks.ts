import type { RecordHooks, WriteHookInput } from '../records/record.service.js';
import type { Row } from '../records/record.repository.js';
import type { PipelineService } from '../pipelines/pipeline.service.js';

/**
 * A deal sits in exactly one pipeline at one of its stages: defaults to the default pipeline's first
 * stage, refuses a stage from another pipeline, and records when the stage last changed.
 */
export function dealHooks(pipelines: PipelineService, now: () => string): RecordHooks {
  return {
    async beforeWrite({ columns, existing }: WriteHookInput): Promise<Row> {
      const pipelineGiven = 'pipeline_id' in columns;
      const stageGiven = 'stage_id' in columns;
      if (existing && !pipelineGiven && !stageGiven) return {};
      const pipelineId = (pipelineGiven ? columns.pipeline_id : existing?.pipeline_id) as string | null | undefined;
      let stageId = (stageGiven ? columns.stage_id : existing?.stage_id) as string | null | undefined;
      if (existing && pipelineGiven && !stageGiven && pipelineId !== existing.pipeline_id) stageId = null;
      const resolved = await pipelines.resolveStage(pipelineId ?? null, stageId ?? null);
      const out: Row = { pipeline_id: resolved.pipelineId, stage_id: resolved.stageId };
      if (!existing || existing.stage_id !== resolved.stageId) out.stage_changed_at = now();
      return out;
    },
  };
}
