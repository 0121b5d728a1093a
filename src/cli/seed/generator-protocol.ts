import type { EncodedBatch } from './batch-codec.js';
import type { SeedEnvironment } from './seed-model.js';
import type { SeedPlan } from './timeline.js';

/** What the main thread and the generator workers say to each other. */
export interface GeneratorInput {
  plan: SeedPlan;
  env: SeedEnvironment;
  seed: number;
  nowMs: number;
  /** Pool size factor (1 = a few thousand names per language). */
  poolScale: number;
  /** Batches a worker may have sent that the writer has not taken yet (bounds memory). */
  maxInFlight: number;
  /** This worker makes the slices k with k % workers === worker. */
  worker: number;
  workers: number;
}

/** A credit for one more batch, and the buffer of a batch taken (to encode a later one into). */
export type ToGenerator = { type: 'credit'; buffer: ArrayBuffer };

export type FromGenerator =
  { type: 'batch'; slice: number; batch: EncodedBatch } | { type: 'done' } | { type: 'error'; message: string };
