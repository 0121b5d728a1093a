import type { CrmObjectName } from '../../security/classification/index.js';
import type { Prng } from './prng.js';
import type { RowFactory } from './row-factory.js';
import { emptyBatch, type SeedBatch } from './seed-model.js';

export interface SeedPlan {
  readonly companies: number;
  readonly contacts: number;
  readonly deals: number;
  readonly activities: number;
  /** created_at of the first and last records (ms since the epoch). */
  readonly startMs: number;
  readonly endMs: number;
  /** Number of slices the timeline is cut into (one batch each). */
  readonly slices: number;
}

const YEAR_MS = 365 * 86_400_000;
/**
 * Records per batch (all four objects together). A batch is alive on each thread while it is built, sealed and
 * written, and every young-generation collection in between copies it: with 5,000 records (~16 MB of values, as
 * large as V8's young generation) a 200,000-contact seed spent 2.7 s of its writer thread's time and 1.7 s of the
 * generator's in scavenges; with 1,250, 0.9 and 0.5 s, in as many collections. The full-text index is still fed
 * in larger steps (sqlite-writer.ts: FTS_ROWS), so FTS5 makes no more segments than before.
 */
const ROWS_PER_BATCH = 1_250;

export function makePlan(contacts: number, companies: number | undefined, nowMs: number): SeedPlan {
  const c = companies ?? Math.max(1, Math.round(contacts / 10));
  const deals = Math.round(contacts / 4);
  const activities = Math.round(contacts / 2);
  const total = c + contacts + deals + activities;
  return {
    companies: c,
    contacts,
    deals,
    activities,
    startMs: nowMs - 2 * YEAR_MS,
    endMs: nowMs - 60_000,
    slices: Math.max(1, Math.ceil(total / ROWS_PER_BATCH)),
  };
}

const ORDER: readonly CrmObjectName[] = ['companies', 'contacts', 'deals', 'activities'];

/** Sorted creation times of `count` records spread over [from, to). */
function times(r: Prng, count: number, from: number, to: number): Float64Array {
  const out = new Float64Array(count);
  const step = (to - from) / count;
  for (let j = 0; j < count; j++) out[j] = Math.floor(from + (j + r.next()) * step);
  return out;
}

const share = (total: number, k: number, slices: number): number => Math.floor((total * k) / slices);

/**
 * The records of slice `k` (0-based), created in time order across all four objects so that each id's UUIDv7
 * timestamp is its created_at and every reference points at a record created earlier. `newId` must be given
 * non-decreasing times (slices must be generated in order).
 */
export function generateSlice(
  plan: SeedPlan,
  k: number,
  r: Prng,
  factory: RowFactory,
  newId: (ms: number) => string,
): SeedBatch {
  const span = plan.endMs - plan.startMs;
  const from = plan.startMs + (span * k) / plan.slices;
  const to = plan.startMs + (span * (k + 1)) / plan.slices;
  const streams = ORDER.map((object) => {
    const count = share(plan[object], k + 1, plan.slices) - share(plan[object], k, plan.slices);
    return { object, t: times(r, count, from, to), next: 0 };
  });
  factory.beginSlice(share(plan.contacts, k, plan.slices), share(plan.companies, k, plan.slices));
  const batch = emptyBatch();
  for (;;) {
    let best = -1;
    let bestT = Infinity;
    for (let s = 0; s < streams.length; s++) {
      const st = streams[s];
      if (st && st.next < st.t.length && (st.t[st.next] ?? Infinity) < bestT) {
        best = s;
        bestT = st.t[st.next] ?? Infinity;
      }
    }
    const st = streams[best];
    if (!st) break;
    st.next++;
    const id = newId(bestT);
    switch (st.object) {
      case 'companies':
        factory.company(id, bestT, batch);
        break;
      case 'contacts':
        factory.contact(id, bestT, batch);
        break;
      case 'deals':
        factory.deal(id, bestT, batch);
        break;
      case 'activities':
        factory.activity(id, bestT, batch);
        break;
    }
  }
  return batch;
}
