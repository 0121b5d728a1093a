import { Worker } from 'node:worker_threads';
import { decodeBatch } from './batch-codec.js';
import type { FromGenerator, GeneratorInput, ToGenerator } from './generator-protocol.js';
import type { SeedBatch } from './seed-model.js';

/** Young-generation size for a generator: its garbage is many short strings, so a larger nursery pays off. */
const YOUNG_GENERATION_MB = 96;

export type GeneratorOptions = Omit<GeneratorInput, 'worker' | 'workers'> & { workers: number };

/**
 * Runs `workers` generator threads and yields their batches in timeline order (slice 0, 1, 2, …), so that every
 * reference points at a row already written. Each batch taken gives its worker one credit back: at most
 * `maxInFlight` batches per worker wait in memory, however slow the database is.
 */
export async function* generatedBatches(opts: GeneratorOptions): AsyncGenerator<SeedBatch> {
  const { workers: count, ...common } = opts;
  if (!Number.isInteger(count) || count < 1) throw new Error('at least one generator thread is needed');
  const pending = new Map<number, FromGenerator & { type: 'batch' }>();
  // In an object: TypeScript would otherwise narrow a plain `let` to null, not seeing the callbacks assign it.
  const state: { failure: Error | null } = { failure: null };
  let finished = 0;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    wake?.();
    wake = null;
  };
  const workers = Array.from({ length: count }, (_, worker) => {
    const w = new Worker(new URL('./generator.worker.js', import.meta.url), {
      workerData: { ...common, worker, workers: count } satisfies GeneratorInput,
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    w.on('message', (m: FromGenerator) => {
      if (m.type === 'batch') pending.set(m.slice, m);
      else if (m.type === 'done') finished++;
      else state.failure ??= new Error(`seed generator failed: ${m.message}`);
      notify();
    });
    w.on('error', (err) => {
      state.failure ??= err;
      notify();
    });
    w.on('exit', (code) => {
      if (code !== 0) state.failure ??= new Error(`the seed generator stopped (exit code ${code})`);
      notify();
    });
    return w;
  });
  try {
    for (let slice = 0; slice < opts.plan.slices;) {
      const m = pending.get(slice);
      if (!m) {
        if (state.failure) throw state.failure;
        if (finished === count) throw new Error(`the seed generators finished without slice ${slice}`);
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      pending.delete(slice);
      const batch = decodeBatch(m.batch);
      // The buffer goes back with the credit: the generator encodes a later batch into it.
      workers[slice % count]?.postMessage({ type: 'credit', buffer: m.batch.buffer } satisfies ToGenerator, [
        m.batch.buffer,
      ]);
      yield batch;
      slice++;
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
