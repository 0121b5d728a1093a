import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely';
import { SqliteAppender, type EntryTuple } from './sqlite-appender.repository.js';
import { REF_BUCKET } from './ref-index-check.js';
import { AuditSearchRepository, type SearchFilter } from './audit-search.repository.js';
import { SiemCursorRepository } from './siem/siem-cursor.repository.js';

export type { SearchFilter };
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
const RETENTION_SETTING = 'audit.retention_months';

const chunks = <T>(rows: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
};

/**
 * The audit tables. Appends take the head row's lock first (an UPDATE, so SQLite takes its write lock and
 * PostgreSQL a row lock at once), which serialises sequence numbers across every instance and process.
 * Nothing here updates or deletes log rows except `pruneArchived`, which the database allows only below
 * an archived segment's end.
 */
export class AuditRepository {
  private readonly db: Kysely<Database>;
  private readonly index: AuditSearchRepository;
  /** Delivery cursors of the SIEM sinks. */
  readonly siemCursors: SiemCursorRepository;

  constructor(readonly handle: Db) {
    this.db = handle.kysely;
    this.index = new AuditSearchRepository(handle);
    this.siemCursors = new SiemCursorRepository(handle.kysely);
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

  /** The file an SQLite append connection opens, and whether a thread checkpoints its WAL (ADR 0011). */
  get sqliteAppendTarget(): { file: string; threadCheckpoints: boolean } {
    return { file: this.handle.location, threadCheckpoints: this.handle.walCheckpointer !== null };
  }

  /** The event loop's own SQLite append connection (never waits for the write lock: the log retries). */
  private sqliteAppender(): SqliteAppender {
    const { file, threadCheckpoints } = this.sqliteAppendTarget;
    this.appender ??= new SqliteAppender(file, { threadCheckpoints, busyTimeoutMs: 0 });
    return this.appender;
  }

  /** One transaction: lock the head, let `build` place the entries, write them and the new head. */
  async appendBatch(now: string, build: (head: AuditHeadTable) => BatchPlan): Promise<BatchPlan> {
    if (this.dialect === 'sqlite') {
      return this.sqliteAppender().append(now, build);
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
      return this.sqliteAppender().entryTuples(afterSeq, limit);
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

  /** Replaces a key's sealed private half by the same key sealed anew (a rotation), unless it changed meanwhile. */
  async resealKey(keyId: string, before: string, after: string): Promise<boolean> {
    const r = await this.db
      .updateTable('audit_keys')
      .set({ sealed_private: after })
      .where('key_id', '=', keyId)
      .where('sealed_private', '=', before)
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
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

  /* Search, "who accessed this" and its index check: audit-search.repository.ts. */
  search(f: SearchFilter): Promise<AuditEntriesTable[]> {
    return this.index.search(f);
  }
  firstUnindexed(from: number, to: number): Promise<{ seq: number; refId: string } | null> {
    return this.index.firstUnindexed(from, to);
  }

  async allTreeNodes(): Promise<AuditTreeNodesTable[]> {
    return this.db.selectFrom('audit_tree_nodes').selectAll().orderBy('level').orderBy('idx').execute();
  }

  /** The highest sequence number present (a primary-key probe), or null when no entry is kept. */
  async maxSeq(): Promise<number | null> {
    const r = await this.db
      .selectFrom('audit_entries')
      .select((eb) => eb.fn.max('seq').as('max'))
      .executeTakeFirst();
    return r?.max === null || r?.max === undefined ? null : Number(r.max);
  }

  async countEntries(): Promise<{ count: number; minSeq: number | null; maxSeq: number | null }> {
    const r = await this.db
      .selectFrom('audit_entries')
      .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('seq').as('min'), eb.fn.max('seq').as('max')])
      .executeTakeFirstOrThrow();
    const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
    return { count: Number(r.count), minSeq: num(r.min), maxSeq: num(r.max) };
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
}
