import type { Runtime } from '../../runtime/index.js';
import { systemActor } from '../../security/access/index.js';
import { CRM_OBJECTS, type CrmObjectName, type FieldDefinition } from '../../security/classification/index.js';
import { CliError } from '../cli-error.js';
import type { SeedEnvironment } from './seed-model.js';

/** Sales reps the seed spreads records over; created once, without a password (they cannot sign in). */
const SEED_OWNER_NAMES = [
  'Sara Ahmadi',
  'Liam Becker',
  'رضا کریمی',
  'Emma Tremblay',
  'مریم حسینی',
  'Noah Schmidt',
  'علی رضایی',
  'Olivia Roy',
  'نگار محمدی',
  'Lukas Fischer',
];

export const seedOwnerEmail = (n: number): string => `owner${String(n).padStart(2, '0')}@seed.separ.invalid`;

export interface PreparedEnvironment {
  env: SeedEnvironment;
  ownersCreated: number;
}

async function ensureSeedOwners(rt: Runtime): Promise<{ ids: string[]; created: number }> {
  const actor = systemActor('seed');
  const ids: string[] = [];
  let created = 0;
  for (const [i, name] of SEED_OWNER_NAMES.entries()) {
    const email = seedOwnerEmail(i + 1);
    const existing = await rt.identity.users.findByEmail(email);
    if (existing) {
      if (existing.status === 'active') ids.push(existing.id);
      continue;
    }
    const user = await rt.identity.users.createUser(actor, { email, name, roles: ['sales-rep'] });
    ids.push(user.id);
    created++;
  }
  return { ids, created };
}

async function activeAdmins(rt: Runtime): Promise<string[]> {
  const actor = systemActor('seed');
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await rt.identity.users.listUsers(actor, { limit: 200, cursor });
    for (const u of page.items) if (u.status === 'active' && u.roles.includes('admin')) ids.push(u.id);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return ids;
}

/** The highest record sequence so far: counters in seeded emails and IDs start above it, so re-seeding never repeats. */
async function counterBase(rt: Runtime): Promise<number> {
  let max = 0;
  for (const table of ['contacts', 'companies'] as const) {
    const r = await rt.db.kysely
      .selectFrom(table)
      .select((eb) => eb.fn.max<number | null>('seq').as('m'))
      .executeTakeFirst();
    max = Math.max(max, Number(r?.m ?? 0));
  }
  return max;
}

/**
 * Everything the generator must know, read through the services: owners (created if missing), the default
 * pipeline and its stages, the field registry as it is now (classification decides search text and storage).
 */
export async function prepareEnvironment(rt: Runtime): Promise<PreparedEnvironment> {
  const owners = await ensureSeedOwners(rt);
  const ownerIds = [...owners.ids, ...(await activeAdmins(rt))];
  if (ownerIds.length === 0) throw new CliError('no active user can own the seeded records');
  const pipelines = await rt.crm.pipelines.list(systemActor('seed'));
  const pipeline = pipelines.find((p) => p.isDefault) ?? pipelines[0];
  if (!pipeline || pipeline.stages.length === 0) throw new CliError('there is no pipeline with stages to put deals in');
  await rt.crm.registry.load();
  // Plain copies: the generator runs on a worker thread.
  const fields = Object.fromEntries(
    CRM_OBJECTS.map((o) => [
      o,
      rt.crm.registry.fields(o).map((f): FieldDefinition => ({ ...f, options: [...f.options] })),
    ]),
  ) as Record<CrmObjectName, FieldDefinition[]>;
  return {
    env: {
      ownerIds,
      pipelineId: pipeline.id,
      stages: pipeline.stages.map((s) => ({ id: s.id, kind: s.kind })),
      fields,
      counterBase: await counterBase(rt),
    },
    ownersCreated: owners.created,
  };
}
