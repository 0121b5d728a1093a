import { api, unwrap } from '../../../lib/api/client';
import { listRecords, type ListParams } from '../../../lib/api/records';
import type { CrmRecord, Pipeline } from '../../../lib/api/types';

/** Every record matching `params`, page by page, up to `cap` (the dashboard says when it stopped there). */
async function collect(object: 'deals' | 'activities', params: ListParams, cap: number) {
  const items: CrmRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await listRecords(object, { ...params, limit: 200, cursor });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && items.length < cap);
  return { items, complete: !cursor };
}

export interface StageValue {
  stage: string;
  kind: string;
  count: number;
  value: number;
}

export interface PipelineSummary {
  pipeline: Pipeline | null;
  currency: string;
  stages: StageValue[];
  complete: boolean;
}

export async function pipelineSummary(): Promise<PipelineSummary> {
  const pipelines = (await unwrap(api.GET('/api/v1/pipelines'))).items;
  const pipeline = pipelines.find((p) => p.isDefault) ?? pipelines[0] ?? null;
  if (!pipeline) return { pipeline: null, currency: 'USD', stages: [], complete: true };
  const { items, complete } = await collect('deals', { pipelineId: pipeline.id, sort: '-createdAt' }, 2000);
  const deals = items as unknown as { stageId: string; amount: number; currency: string }[];
  const byCurrency = new Map<string, number>();
  for (const d of deals) byCurrency.set(d.currency, (byCurrency.get(d.currency) ?? 0) + 1);
  const currency = [...byCurrency.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'USD';
  const stages = pipeline.stages.map((s) => {
    const inStage = deals.filter((d) => d.stageId === s.id && d.currency === currency);
    return { stage: s.name, kind: s.kind, count: inStage.length, value: inStage.reduce((a, d) => a + d.amount, 0) };
  });
  return { pipeline, currency, stages, complete };
}

export interface DayCount {
  day: string;
  count: number;
}

export async function activitiesByDay(days = 30): Promise<{ days: DayCount[]; complete: boolean }> {
  const since = new Date();
  since.setHours(0, 0, 0, 0);
  since.setDate(since.getDate() - (days - 1));
  const { items, complete } = await collect(
    'activities',
    { createdAfter: since.toISOString(), sort: '-createdAt' },
    2000,
  );
  const counts = new Map<string, number>();
  for (const a of items) {
    const d = new Date(a.createdAt);
    const key = `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const out: DayCount[] = [];
  for (let i = 0; i < days; i += 1) {
    const d = new Date(since);
    d.setDate(since.getDate() + i);
    out.push({ day: d.toISOString(), count: counts.get(`${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`) ?? 0 });
  }
  return { days: out, complete };
}
