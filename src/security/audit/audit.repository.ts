import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely';
import { SqliteAppender, type EntryTuple } from './sqlite-appender.repository.js';
import { REF_BUCKET } from './ref-index-check.js';
import type {
  AuditArchivesTable,
  AuditCheckpointsTable,
  AuditEntriesTable,
  AuditHeadTable,
  AuditKeysTable,
  AuditRefsTable,
  AuditTreeNodesTable,
  Database,
  Db,
} from '../../db/index.js';

/** What one group-commit transaction writes (computed by the service from the locked head). */
export interface BatchPlan {
  entries: AuditEntriesTable[];
  refs: AuditRefsTable[];
  nodes: AuditTreeNodesTable[];
  checkpoints: AuditCheckpointsTable[];
  head: Omit<AuditHeadTable, 'id' | 'updated_at'>;
}

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

/** Rows per INSERT statement (PostgreSQL; one array parameter per column). */
const ENTRY_CHUNK = 5000;
const REF_CHUNK = 20000;
const ENTRY_COLUMNS = [
  'seq',
  'at',
  'actor_type',
  'actor_id',
  'action',
  'target_type',
  'target_id',
  'outcome',
  'ip',
  'user_agent',
  'request_id',
  'detail',
  'prev_hash',
  'hash',
] as const;
const REF_COLUMNS = ['ref_id', 'bucket'] as const;
/** Buckets looked at per round of a "who accessed this" search. */
const BUCKETS_PER_ROUND = 16;
const RETENTION_SETTING = 'audit.retention_months';

const chunks = <T>(rows: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
};

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The audit tables. Appends take the head row's lock first (an UPDATE, so SQLite takes its write lock and
 * PostgreSQL a row lock at once), which serialises sequence numbers across every instance and process.
 * Nothing here updates or deletes log rows except `pruneArchived`, which the database allows only below
 * an archived segment's end.
 */
export class AuditRepository {
  private readonly db: Kysely<Database>;

  constructor(readonly handle: Db) {
    this.db = handle.kysely;
  }

  get dialect(): 'sqlite' | 'postgres' {
    return this.handle.dialect;
  }

  /** Compiled once: the head lock and the head update run in every append transaction. */
  private get headSql(): { lock: string; update: string } {
    const pg = this.dialect === 'postgres';
    const p = (n: number): string => (pg ? `$${n}` : '?');
    return {
      lock: `update audit_head set updated_at = ${p(1)} where id = 1 returning id, tree_size, last_hash, frontier, checkpoint_size, checkpoint_at, updated_at`,
      update: `update audit_head set tree_size = ${p(1)}, last_hash = ${p(2)}, frontier = ${p(3)}, checkpoint_size = ${p(4)}, checkpoint_at = ${p(5)}, updated_at = ${p(6)} where id = 1`,
    };
  }

  private async lockHead(trx: Transaction<Database>, now: string): Promise<AuditHeadTable> {
    const r = await trx.executeQuery<AuditHeadTable>(CompiledQuery.raw(this.headSql.lock, [now]));
    const head = r.rows[0];
    if (!head) throw new Error('audit_head row is missing');
    return head;
  }

  private appender: SqliteAppender | null = null;

  /** One transaction: lock the head, let `build` place the entries, write them and the new head. */
  async appendBatch(now: string, build: (head: AuditHeadTable) => BatchPlan): Promise<BatchPlan> {
    if (this.dialect === 'sqlite') {
      this.appender ??= new SqliteAppender(this.handle.location);
      return this.appender.append(now, build);
    }
    return this.db.transaction().execute(async (trx) => {
      const head = await this.lockHead(trx, now);
      const plan = build(head);
      for (const part of chunks(plan.entries, ENTRY_CHUNK)) {
        await this.insertRows(trx, 'audit_entries', ENTRY_COLUMNS, part);
      }
      for (const part of chunks(plan.refs, REF_CHUNK)) await this.insertRows(trx, 'audit_refs', REF_COLUMNS, part);
      if (plan.nodes.length > 0) await trx.insertInto('audit_tree_nodes').values(plan.nodes).execute();
      if (plan.checkpoints.length > 0) await trx.insertInto('audit_checkpoints').values(plan.checkpoints).execute();
      const h = plan.head;
      await trx.executeQuery(
        CompiledQuery.raw(this.headSql.update, [
          h.tree_size,
          h.last_hash,
          h.frontier,
          h.checkpoint_size,
          h.checkpoint_at,
          now,
        ]),
      );
      return plan;
    });
  }

  /**
   * PostgreSQL: one `INSERT … SELECT FROM unnest(…)` per table and batch, each column one array parameter —
   * the statement text stays the same whatever the batch size (no parsing of thousands of placeholders), and
   * values are always bound. A record already indexed in a bucket (by another batch or instance) is skipped.
   */
  private async insertRows<T extends object>(
    trx: Transaction<Database>,
    table: 'audit_entries' | 'audit_refs',
    columns: readonly (keyof T & string)[],
    rows: readonly T[],
  ): Promise<void> {
    if (rows.length === 0) return;
    const types = columns.map((c) => (c === 'seq' || c === 'bucket' ? 'bigint' : 'text'));
    const text =
      `insert into ${table} (${columns.join(', ')}) select * from unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})` +
      (table === 'audit_refs' ? ' on conflict do nothing' : '');
    const params = columns.map((c) => rows.map((r) => r[c]));
    await trx.executeQuery(CompiledQuery.raw(text, params));
  }

  /** Entries after `afterSeq`, in order, as column tuples (the verifier's read path). */
  async entryTuples(afterSeq: number, limit: number): Promise<EntryTuple[]> {
    if (this.dialect === 'sqlite') {
      this.appender ??= new SqliteAppender(this.handle.location);
      return this.appender.entryTuples(afterSeq, limit);
    }
    const rows = await this.entries(afterSeq, limit);
    return rows.map((r): EntryTuple => [
      Number(r.seq),
      r.at,
      r.actor_type,
      r.actor_id,
      r.action,
      r.target_type,
      r.target_id,
      r.outcome,
      r.ip,
      r.user_agent,
      r.request_id,
      r.detail,
      r.prev_hash,
      r.hash,
    ]);
  }

  /** Release the SQLite append connection (the shared database handle is closed by its owner). */
  close(): void {
    this.appender?.close();
    this.appender = null;
  }

  async head(): Promise<AuditHeadTable> {
    return this.db.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  }

  /* Signing keys */

  async activeKey(): Promise<AuditKeysTable | undefined> {
    return this.db
      .selectFrom('audit_keys')
      .selectAll()
      .where('retired_at', 'is', null)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
  }

  async keys(): Promise<AuditKeysTable[]> {
    return this.db.selectFrom('audit_keys').selectAll().orderBy('created_at').execute();
  }

  /** Insert the key unless another instance already has one (decided under the head lock). */
  async insertKeyIfNone(row: AuditKeysTable, now: string): Promise<AuditKeysTable> {
    return this.db.transaction().execute(async (trx) => {
      await this.lockHead(trx, now);
      const existing = await trx
        .selectFrom('audit_keys')
        .selectAll()
        .where('retired_at', 'is', null)
        .orderBy('created_at', 'desc')
        .executeTakeFirst();
      if (existing) return existing;
      await trx.insertInto('audit_keys').values(row).execute();
      return row;
    });
  }

  /* Reading the log */

  async entries(afterSeq: number, limit: number): Promise<AuditEntriesTable[]> {
    return this.db
      .selectFrom('audit_entries')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
  }

  /** Entries with afterSeq < seq ≤ toSeq. */
  async entriesUpTo(afterSeq: number, toSeq: number, limit: number): Promise<AuditEntriesTable[]> {
    return this.db
      .selectFrom('audit_entries')
      .selectAll()
      .where('seq', '>', afterSeq)
      .where('seq', '<=', toSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
  }

  async entry(seq: number): Promise<AuditEntriesTable | undefined> {
    return this.db.selectFrom('audit_entries').selectAll().where('seq', '=', seq).executeTakeFirst();
  }

  /** Stored leaf hashes (hex) of seq in [fromSeq, toSeq]. */
  async leafHashes(fromSeq: number, toSeq: number): Promise<{ seq: number; hash: string }[]> {
    return this.db
      .selectFrom('audit_entries')
      .select(['seq', 'hash'])
      .where('seq', '>=', fromSeq)
      .where('seq', '<=', toSeq)
      .orderBy('seq')
      .execute();
  }

  async treeNodes(level: number, fromIdx: number, toIdx: number): Promise<{ idx: number; hash: string }[]> {
    return this.db
      .selectFrom('audit_tree_nodes')
      .select(['idx', 'hash'])
      .where('level', '=', level)
      .where('idx', '>=', fromIdx)
      .where('idx', '<', toIdx)
      .orderBy('idx')
      .execute();
  }

  /**
   * The first entry in `from`–`to` that names a record (as its target, or among the records a read showed)
   * which the "who accessed this" index lacks for that entry's bucket (verification). Runs in the database:
   * a primary-key probe per record named, no rows travel.
   */
  async firstUnindexed(from: number, to: number): Promise<{ seq: number; refId: string } | null> {
    const pg = this.dialect === 'postgres';
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

  async allTreeNodes(): Promise<AuditTreeNodesTable[]> {
    return this.db.selectFrom('audit_tree_nodes').selectAll().orderBy('level').orderBy('idx').execute();
  }

  async countEntries(): Promise<{ count: number; minSeq: number | null; maxSeq: number | null }> {
    const r = await this.db
      .selectFrom('audit_entries')
      .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('seq').as('min'), eb.fn.max('seq').as('max')])
      .executeTakeFirstOrThrow();
    const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
    return { count: Number(r.count), minSeq: num(r.min), maxSeq: num(r.max) };
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
    for (;;) {
      const buckets = await this.db
        .selectFrom('audit_refs')
        .select('bucket')
        .where('ref_id', '=', refId)
        .where('bucket', '<', below)
        .orderBy('bucket', 'desc')
        .limit(BUCKETS_PER_ROUND)
        .execute();
      for (const { bucket } of buckets) {
        const b = Number(bucket);
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
      if (buckets.length < BUCKETS_PER_ROUND) return out;
      below = Number(buckets[buckets.length - 1]?.bucket ?? 0);
    }
  }

  /* Checkpoints */

  async checkpoints(): Promise<AuditCheckpointsTable[]> {
    return this.db.selectFrom('audit_checkpoints').selectAll().orderBy('tree_size').execute();
  }

  async latestCheckpoint(): Promise<AuditCheckpointsTable | undefined> {
    return this.db.selectFrom('audit_checkpoints').selectAll().orderBy('tree_size', 'desc').limit(1).executeTakeFirst();
  }

  async checkpoint(size: number): Promise<AuditCheckpointsTable | undefined> {
    return this.db.selectFrom('audit_checkpoints').selectAll().where('tree_size', '=', size).executeTakeFirst();
  }

  async insertCheckpointIfAbsent(row: AuditCheckpointsTable): Promise<void> {
    await this.db
      .insertInto('audit_checkpoints')
      .values(row)
      .onConflict((oc) => oc.column('tree_size').doNothing())
      .execute();
  }

  /* Archives */

  async archives(): Promise<AuditArchivesTable[]> {
    return this.db.selectFrom('audit_archives').selectAll().orderBy('to_seq').execute();
  }

  /** Record an archived segment, then drop its rows (the triggers allow exactly that). */
  async recordArchive(row: AuditArchivesTable): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('audit_archives').values(row).execute();
      // Whole buckets only: a bucket that straddles the end keeps its row (it still indexes online entries).
      await trx
        .deleteFrom('audit_refs')
        .where(sql<boolean>`(bucket + 1) * ${REF_BUCKET} <= ${row.to_seq + 1}`)
        .execute();
      await trx.deleteFrom('audit_entries').where('seq', '<=', row.to_seq).execute();
    });
  }

  async firstSeqAtOrAfter(at: string): Promise<number | null> {
    const r = await this.db
      .selectFrom('audit_entries')
      .select((eb) => eb.fn.min('seq').as('seq'))
      .where('at', '>=', at)
      .executeTakeFirst();
    return r?.seq === null || r?.seq === undefined ? null : Number(r.seq);
  }

  /* Retention setting (kept in `settings`, changed only through the audited service). */

  async retentionMonths(): Promise<number | null> {
    const r = await this.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', RETENTION_SETTING)
      .executeTakeFirst();
    return r ? Number(r.value) : null;
  }

  async setRetentionMonths(months: number): Promise<void> {
    await this.db
      .insertInto('settings')
      .values({ key: RETENTION_SETTING, value: String(months) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(months) }))
      .execute();
  }

  /* SIEM delivery cursors */

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
