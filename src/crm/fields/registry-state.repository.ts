import { newId } from '../../platform/ids.js';
import { sql, type Kysely } from 'kysely';
import { QueryShapes, REGISTRY_STAMP_LOCK, type Database, type Db } from '../../db/index.js';
import { CRM_OBJECTS, type CrmObjectName } from '../../security/classification/index.js';

const STAMP = 'registry_stamp';
const PENDING = 'sweep_pending:';
/**
 * Every key `read` looks for, by name: index seeks on both dialects. (A `like 'sweep_pending:%'` scanned the whole
 * settings table on SQLite — and `_` is a LIKE wildcard.)
 */
const PENDING_KEYS = new Map<string, CrmObjectName>(CRM_OBJECTS.map((o) => [PENDING + o, o]));
const KEYS = [STAMP, ...PENDING_KEYS.keys()];

export interface RegistryState {
  /** Changes whenever any field's definition changes, on any instance. */
  stamp: string | null;
  /** Objects whose records are being re-stored after a classification change. */
  pending: Set<CrmObjectName>;
}

/**
 * Shared state of the field registry across instances: a stamp every change renews (so no instance
 * writes or filters with a stale classification) and per-object "storage sweep pending" markers.
 */
export class RegistryStateRepository {
  private readonly shapes: QueryShapes<Database>;

  constructor(private readonly db: Db) {
    this.shapes = new QueryShapes(db.kysely);
  }

  /** Read before every list, search and write (a reclassification on another instance applies at once). */
  async read(): Promise<RegistryState> {
    const rows = await this.shapes.rows('registry-state', KEYS, () =>
      this.db.kysely.selectFrom('settings').select(['key', 'value']).where('key', 'in', KEYS).compile(),
    );
    const state: RegistryState = { stamp: null, pending: new Set() };
    for (const r of rows) {
      const pending = PENDING_KEYS.get(r.key);
      if (r.key === STAMP) state.stamp = r.value;
      else if (pending) state.pending.add(pending);
    }
    return state;
  }

  private async put(key: string, value: string, on: Kysely<Database> = this.db.kysely): Promise<void> {
    await on
      .insertInto('settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }

  /**
   * A new stamp: every instance reloads the registry, and record writes prepared by the old one are refused. On
   * PostgreSQL the stamp changes under the registry lock held exclusively, so writes still in flight finish first
   * (REGISTRY_STAMP_LOCK).
   */
  async renewStamp(): Promise<string> {
    const stamp = newId();
    if (this.db.dialect !== 'postgres') {
      await this.put(STAMP, stamp);
      return stamp;
    }
    await this.db.kysely.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${REGISTRY_STAMP_LOCK})`.execute(trx);
      await this.put(STAMP, stamp, trx);
    });
    return stamp;
  }

  async markPending(object: CrmObjectName): Promise<string> {
    const token = newId();
    await this.put(PENDING + object, token);
    return token;
  }

  async pendingToken(object: string): Promise<string | null> {
    const r = await this.db.kysely
      .selectFrom('settings')
      .select('value')
      .where('key', '=', PENDING + object)
      .executeTakeFirst();
    return r?.value ?? null;
  }

  /** Clear the marker only if no newer change set it again meanwhile. */
  async clearPending(object: string, token: string): Promise<void> {
    await this.db.kysely
      .deleteFrom('settings')
      .where('key', '=', PENDING + object)
      .where('value', '=', token)
      .execute();
  }
}
