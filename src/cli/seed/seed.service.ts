import { availableParallelism } from 'node:os';
import type { Runtime } from '../../runtime/index.js';
import { eventContext, systemActor } from '../../security/access/index.js';
import { generatedBatches } from './generator-client.js';
import { PostgresSeedWriter } from './postgres-writer.js';
import { RecordSealer } from './record-sealer.js';
import { prepareEnvironment } from './seed-environment.js';
import { SEED_TABLES, rowCount, type SeedCounts, type SeedWriter } from './seed-model.js';
import { SqliteSeedWriter } from './sqlite-writer.js';
import { makePlan } from './timeline.js';

export interface SeedOptions {
  contacts: number;
  /** Default: about contacts / 10. */
  companies?: number | undefined;
  /** Same seed, same names and values (ids and timestamps still differ per run). */
  seed: number;
  /** One line per ~10 % and per finishing step. */
  progress: (line: string) => void;
}

export interface SeedSummary {
  database: 'sqlite' | 'postgres';
  seed: number;
  contacts: number;
  companies: number;
  deals: number;
  activities: number;
  tags: number;
  dealContacts: number;
  activityLinks: number;
  subjectKeys: number;
  blindIndexes: number;
  owners: number;
  ownersCreated: number;
  seconds: number;
  /** CPU time of the seed (user + system, every thread of this process: the generators and the writer). */
  cpuSeconds: number;
}

/** Batches a generator may have ready ahead of the writer. */
const MAX_IN_FLIGHT = 4;

/** Generators: every core but the one the writer (and, for SQLite, the database engine) needs. */
const generatorThreads = (): number => Math.max(1, Math.min(4, availableParallelism() - 1));

function writerFor(rt: Runtime): SeedWriter {
  if (rt.db.leaseSqlite) return new SqliteSeedWriter(rt.db.location, rt.db.leaseSqlite);
  if (!rt.config.databaseUrl) throw new Error('DATABASE_URL is not set');
  return new PostgresSeedWriter(rt.config.databaseUrl);
}

const fmt = (n: number): string => n.toLocaleString('en');

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return Math.round((used.user + used.system) / 100_000) / 10;
}

/**
 * Fills the database with realistic synthetic CRM data: rows exactly as the record service writes them
 * (validated values, sealed personal data, blind indexes, search text, link tables), generated on worker threads
 * and written in one transaction through a writer for the dialect.
 */
export async function seedDatabase(rt: Runtime, opts: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const seconds = (): number => Math.round((performance.now() - started) / 100) / 10;
  const { env, ownersCreated } = await prepareEnvironment(rt);
  const nowMs = rt.clock.now().getTime();
  const plan = makePlan(opts.contacts, opts.companies, nowMs);
  const sealer = new RecordSealer(rt.crypto, env.fields);
  const counts = Object.fromEntries(SEED_TABLES.map((t) => [t, 0])) as SeedCounts;
  const total = plan.companies + plan.contacts + plan.deals + plan.activities;
  let written = 0;
  let nextTenth = 1;
  const writer = writerFor(rt);
  // The set-up's audit entries (the owners' creation) are on disk and signed before the seed begins. On SQLite the
  // seed then holds the process's connection, and the audit trail's next writes wait their turn or retry.
  await rt.audit.service.settle();
  try {
    // Inside the try: a start that fails half-way (its transaction open, the SQLite write lock held) is rolled back
    // and closed at once, not left holding the lock until the process exits — the audit's own entries wait on it.
    await writer.start();
    const batches = generatedBatches({
      plan,
      env,
      seed: opts.seed,
      nowMs,
      poolScale: 1,
      maxInFlight: MAX_IN_FLIGHT,
      workers: generatorThreads(),
    });
    // One write in flight: on PostgreSQL the server inserts batch k while this thread seals batch k+1.
    let writing: Promise<void> = Promise.resolve();
    for await (const batch of batches) {
      sealer.seal(batch);
      await writing;
      writing = writer.write(batch);
      writing.catch(() => undefined); // awaited on the next turn; never an unhandled rejection meanwhile
      for (const t of SEED_TABLES) counts[t] += rowCount(batch, t);
      written = counts.companies + counts.contacts + counts.deals + counts.activities;
      const tenth = Math.floor((written * 10) / total);
      if (tenth >= nextTenth) {
        opts.progress(`seed: ${tenth * 10}% — ${fmt(written)} of ${fmt(total)} records (${seconds()} s)`);
        nextTenth = tenth + 1;
      }
    }
    await writing;
    await writer.finish((step) => opts.progress(`seed: ${step} (${seconds()} s)`));
  } catch (err) {
    // The failure is what the caller hears; what the clean-up could not do is said beside it, never instead of it.
    await writer.abort().catch((cleanup: unknown) => {
      opts.progress(`seed: after the failure: ${cleanup instanceof Error ? cleanup.message : String(cleanup)}`);
    });
    throw err;
  }
  const summary: SeedSummary = {
    database: rt.db.dialect,
    seed: opts.seed,
    contacts: counts.contacts,
    companies: counts.companies,
    deals: counts.deals,
    activities: counts.activities,
    tags: counts.record_tags,
    dealContacts: counts.deal_contacts,
    activityLinks: counts.activity_links,
    subjectKeys: counts.subject_keys,
    blindIndexes: counts.blind_indexes,
    owners: env.ownerIds.length,
    ownersCreated,
    seconds: seconds(),
    cpuSeconds: cpuSecondsSince(cpuStarted),
  };
  rt.bus.emit({
    type: 'records.seeded',
    at: rt.clock.now().toISOString(),
    outcome: 'success',
    context: eventContext(systemActor('seed')),
    detail: { ...summary },
  });
  return summary;
}
