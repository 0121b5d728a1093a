import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';
import { listRecords, updateRecord } from '../../../lib/api/records';
import type { Deal } from '../../../lib/api/types';

export type DealRecord = Deal & { id: string };

export function usePipelines() {
  return useQuery({
    queryKey: ['pipelines'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/pipelines'))).items.sort((a, b) => a.position - b.position),
    staleTime: 5 * 60_000,
  });
}

/** The deals of one stage for the board: every page up to `cap`, so the stage totals are real. */
export async function stageDeals(
  pipelineId: string,
  stageId: string,
  cap = 1000,
): Promise<{ items: DealRecord[]; complete: boolean }> {
  const items: DealRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await listRecords('deals', { pipelineId, stageId, limit: 200, sort: '-amount', cursor });
    items.push(...(page.items as unknown as DealRecord[]));
    cursor = page.nextCursor ?? undefined;
  } while (cursor && items.length < cap);
  return { items, complete: !cursor };
}

export const boardKey = (pipelineId: string) => ['deal-board', pipelineId] as const;

export async function moveDeal(deal: DealRecord, stageId: string): Promise<DealRecord> {
  return await updateRecord('deals', deal.id, deal.version, { stageId });
}

/** Sum of amounts per currency (a stage can hold deals in several currencies; they are never added up). */
export function totalsByCurrency(deals: DealRecord[]): [string, number][] {
  const m = new Map<string, number>();
  for (const d of deals) {
    const cur = d.currency ?? 'XXX';
    m.set(cur, (m.get(cur) ?? 0) + (d.amount ?? 0));
  }
  return [...m.entries()].sort((a, b) => b[1] - a[1]);
}
