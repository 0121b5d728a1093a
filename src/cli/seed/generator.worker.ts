import { parentPort, workerData } from 'node:worker_threads';
import { newId } from '../../platform/ids.js';
import { BatchEncoder } from './batch-codec.js';
import { buildNamePools } from './name-pools.js';
import { Prng } from './prng.js';
import { RowFactory } from './row-factory.js';
import { generateSlice } from './timeline.js';
import type { GeneratorInput, FromGenerator, ToGenerator } from './generator-protocol.js';

/**
 * Generates the seed on its own thread while the main thread writes. Its own module instance also gives it a
 * fresh `newId` clock: ids are back-dated to each record's created_at, which the main thread's newId (already
 * used for "now" while the runtime started) would refuse to go back to.
 */
const port = parentPort;
if (!port) throw new Error('generator.worker must run as a worker thread');
const input = workerData as GeneratorInput;

let credits = input.maxInFlight;
let wake: (() => void) | null = null;
const encoder = new BatchEncoder();
port.on('message', (m: ToGenerator) => {
  if (m.type === 'credit') {
    credits++;
    encoder.reuse(m.buffer);
    wake?.();
    wake = null;
  }
});

const post = (m: FromGenerator): void => port.postMessage(m, m.type === 'batch' ? [m.batch.buffer] : undefined);

async function run(): Promise<void> {
  const r = new Prng(input.seed + input.worker * 7919);
  const pools = buildNamePools(input.seed, input.poolScale);
  // Each worker's records refer only to records it made itself, all created earlier in the timeline.
  const factory = new RowFactory(r, pools, input.env, input.nowMs);
  for (let k = input.worker; k < input.plan.slices; k += input.workers) {
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    credits--;
    post({ type: 'batch', slice: k, batch: encoder.encode(generateSlice(input.plan, k, r, factory, newId)) });
  }
  post({ type: 'done' });
}

run().catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
