import { sql, type Kysely } from 'kysely';
import type { AuditEntriesTable, Database, Db } from '../../db/index.js';
import { REF_BUCKET } from './ref-index-check.js';

export interface SearchFilter {
  actorId?: string | undefined;
  actorType?: string | undefined;
  action?: string | undefined;
  /** Matches actions starting with this (from `action=auth.*`). */
  actionPrefix?: string | undefined;
  outcome?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  beforeSeq?: number | undefined;
  limit: number;
}

/** Buckets looked at per round of a "who accessed this" search. */
const BUCKETS_PER_ROUND = 16;
/** Buckets probed per query while looking for the ones that mention a record (one primary-key seek each). */
const SEEKS_PER_QUERY = 256;

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Reading the audit log by filter, and "who accessed this" through the bucket index (`audit_refs`): which
 * 1,024-entry buckets mention a record, then the entries in them that name it. Also the verifier's check that
 * the index still finds every entry.
 */
export class AuditSearchRepository {
  private readonly db: Kysely<Database>;

  constructor(private readonly handle: Db) {
    this.db = handle.kysely;
  }

  async search(f: SearchFilter): Promise<AuditEntriesTable[]> {
    if (f.targetId !== undefined) return this.searchByRef(f, f.targetId);
    return this.filtered(f).orderBy('e.seq', 'desc').limit(f.limit).execute();
  }

  private filtered(f: SearchFilter) {
    let q = this.db.selectFrom('audit_entries as e').selectAll('e');
    if (f.targetType !== undefined && f.targetId === undefined) q = q.where('e.target_type', '=', f.targetType);
    if (f.actorId !== undefined) q = q.where('e.actor_id', '=', f.actorId);
    if (f.actorType !== undefined) q = q.where('e.actor_type', '=', f.actorType);
    if (f.action !== undefined) q = q.where('e.action', '=', f.action);
    if (f.actionPrefix !== undefined)
      q = q.where(sql<boolean>`e.action like ${`${escapeLike(f.actionPrefix)}%`} escape '\\'`);
    if (f.outcome !== undefined) q = q.where('e.outcome', '=', f.outcome);
    if (f.from !== undefined) q = q.where('e.at', '>=', f.from);
    if (f.to !== undefined) q = q.where('e.at', '<', f.to);
    if (f.beforeSeq !== undefined) q = q.where('e.seq', '<', f.beforeSeq);
    return q;
  }

  /**
   * "Who accessed this": the buckets that mention the record, newest first, and in each the entries that
   * name it — as their target, or in their detail (the records a list read showed). Entries about the audit
   * log itself (a search for this record) do not count as access to it.
   */
  private async searchByRef(f: SearchFilter, refId: string): Promise<AuditEntriesTable[]> {
    const out: AuditEntriesTable[] = [];
    const like = `%${escapeLike(refId)}%`;
    let below = f.beforeSeq === undefined ? Number.MAX_SAFE_INTEGER : Math.floor((f.beforeSeq - 1) / REF_BUCKET) + 1;
    const online = await this.onlineBuckets();
    for (;;) {
      const buckets = await this.bucketsMentioning(refId, below, online);
      for (const b of buckets) {
        let q = this.filtered(f)
          .where('e.seq', '>=', b * REF_BUCKET)
          .where('e.seq', '<', (b + 1) * REF_BUCKET)
          .where(sql<boolean>`e.action not like 'audit.%'`)
          .where((eb) =>
            eb.or([eb('e.target_id', '=', refId), eb(sql<string>`e.detail`, 'like', sql<string>`${like} escape '\\'`)]),
          );
        if (f.targetType !== undefined) {
          const type = f.targetType;
          q = q.where((eb) =>
            eb.or([eb('e.target_type', '=', type), eb('e.target_id', '!=', refId), eb('e.target_id', 'is', null)]),
          );
        }
        const rows = await q
          .orderBy('e.seq', 'desc')
          .limit(f.limit - out.length)
          .execute();
        out.push(...rows);
        if (out.length >= f.limit) return out;
      }
      const last = buckets[buckets.length - 1];
      if (buckets.length < BUCKETS_PER_ROUND || last === undefined) return out;
      below = last;
    }
  }

  /**
   * The buckets the online log spans, from its own head and archive records — never from the index, whose rows
   * anyone with insert rights could add (a row at bucket 10^15 would otherwise make every search probe forever).
   */
  async onlineBuckets(): Promise<{ oldest: number; newest: number }> {
    const head = await this.db.selectFrom('audit_head').select('tree_size').where('id', '=', 1).executeTakeFirst();
    const archived = await this.db
      .selectFrom('audit_archives')
      .select((eb) => eb.fn.max('to_seq').as('to'))
      .executeTakeFirst();
    return {
      oldest: Math.floor((Number(archived?.to ?? 0) + 1) / REF_BUCKET),
      newest: Math.floor(Number(head?.tree_size ?? 0) / REF_BUCKET),
    };
  }

  /**
   * Up to BUCKETS_PER_ROUND buckets of `online` below `below` that mention the record, newest first. The index
   * is keyed bucket first (cheap to append to), so this probes each bucket number with a primary-key seek, a
   * few hundred per query.
   */
  async bucketsMentioning(refId: string, below: number, online: { oldest: number; newest: number }): Promise<number[]> {
    const found: number[] = [];
    for (let hi = Math.min(below - 1, online.newest); hi >= online.oldest && found.length < BUCKETS_PER_ROUND;) {
      const from = Math.max(online.oldest, hi - SEEKS_PER_QUERY + 1);
      const candidates: number[] = [];
      for (let b = hi; b >= from; b--) candidates.push(b);
      const rows = await this.db
        .selectFrom('audit_refs')
        .select('bucket')
        .where('bucket', 'in', candidates)
        .where('ref_id', '=', refId)
        .orderBy('bucket', 'desc')
        .execute();
      for (const r of rows) if (found.length < BUCKETS_PER_ROUND) found.push(Number(r.bucket));
      hi = from - 1;
    }
    return found;
  }

  /**
   * The first entry in `from`–`to` that names a record (as its target, or among the records a read showed)
   * which the "who accessed this" index lacks for that entry's bucket (verification). Runs in the database:
   * a primary-key probe per record named, no rows travel.
   */
  async firstUnindexed(from: number, to: number): Promise<{ seq: number; refId: string } | null> {
    const pg = this.handle.dialect === 'postgres';
    const byTarget = await sql<{ seq: number | string; ref_id: string }>`
      select e.seq, e.target_id as ref_id from audit_entries e
      where e.seq between ${from} and ${to} and e.target_id is not null and e.target_id <> ''
        and not exists (select 1 from audit_refs r where r.ref_id = e.target_id and r.bucket = e.seq / ${sql.lit(REF_BUCKET)})
      order by e.seq limit 1`.execute(this.db);
    const byRead = pg
      ? await sql<{ seq: number | string; ref_id: string }>`
          select e.seq, i as ref_id
          from audit_entries e
          cross join lateral jsonb_array_elements(e.detail::jsonb -> 'reads') g
          cross join lateral jsonb_array_elements_text(g -> 'ids') i
          where e.seq between ${from} and ${to} and position('"reads":' in e.detail) > 0
            and jsonb_typeof(e.detail::jsonb -> 'reads') = 'array' and jsonb_typeof(g -> 'ids') = 'array'
            and not exists (select 1 from audit_refs r where r.ref_id = i and r.bucket = e.seq / ${sql.lit(REF_BUCKET)})
          order by e.seq limit 1`.execute(this.db)
      : await sql<{ seq: number | string; ref_id: string }>`
          select e.seq, i.value as ref_id
          from audit_entries e, json_each(e.detail, '$.reads') g, json_each(g.value, '$.ids') i
          where e.seq between ${from} and ${to} and instr(e.detail, '"reads":') > 0 and i.type = 'text'
            and not exists (select 1 from audit_refs r where r.ref_id = i.value and r.bucket = e.seq / ${sql.lit(REF_BUCKET)})
          order by e.seq limit 1`.execute(this.db);
    const found = [byTarget.rows[0], byRead.rows[0]]
      .filter((r): r is { seq: number | string; ref_id: string } => r !== undefined)
      .map((r) => ({ seq: Number(r.seq), refId: r.ref_id }))
      .sort((x, y) => x.seq - y.seq);
    return found[0] ?? null;
  }
}
