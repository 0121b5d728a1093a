import type { Kysely } from 'kysely';
import type { Database } from '../../../db/index.js';

/** Where each SIEM sink's delivery stands, and which instance holds its lease (one forwards at a time). */
export class SiemCursorRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Take (or keep) the delivery lease of a sink: one instance forwards at a time. Returns the cursor when
   * this owner holds the lease.
   */
  async leaseCursor(sink: string, owner: string, now: string, until: string, startSeq: number): Promise<number | null> {
    await this.db
      .insertInto('audit_siem_cursors')
      .values({ sink, last_seq: startSeq, owner: null, lease_until: null, updated_at: now })
      .onConflict((oc) => oc.column('sink').doNothing())
      .execute();
    const r = await this.db
      .updateTable('audit_siem_cursors')
      .set({ owner, lease_until: until })
      .where('sink', '=', sink)
      .where((eb) => eb.or([eb('owner', '=', owner), eb('owner', 'is', null), eb('lease_until', '<', now)]))
      .returning('last_seq')
      .executeTakeFirst();
    return r ? Number(r.last_seq) : null;
  }

  async saveCursor(sink: string, owner: string, lastSeq: number, now: string): Promise<void> {
    await this.db
      .updateTable('audit_siem_cursors')
      .set({ last_seq: lastSeq, updated_at: now })
      .where('sink', '=', sink)
      .where('owner', '=', owner)
      .where('last_seq', '<', lastSeq)
      .execute();
  }

  async releaseCursor(sink: string, owner: string): Promise<void> {
    await this.db
      .updateTable('audit_siem_cursors')
      .set({ owner: null, lease_until: null })
      .where('sink', '=', sink)
      .where('owner', '=', owner)
      .execute();
  }

  async cursor(sink: string): Promise<number | null> {
    const r = await this.db
      .selectFrom('audit_siem_cursors')
      .select('last_seq')
      .where('sink', '=', sink)
      .executeTakeFirst();
    return r ? Number(r.last_seq) : null;
  }
}
