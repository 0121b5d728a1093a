import SQLite from 'better-sqlite3';
import type { AuditHeadTable } from '../../db/index.js';
// Not the db index (Kysely, pg, the migrations): the audit append thread loads this file (ADR 0012).
import { WAL_FALLBACK_PAGES, WAL_SIZE_LIMIT } from '../../db/wal-checkpointer.js';
import type { BatchPlan } from './audit.repository.js';

/**
 * The SQLite append path: its own connection with statements prepared once, and each batch one synchronous
 * `BEGIN IMMEDIATE` transaction. Synchronous means it never holds the write lock across an await, so it
 * cannot stall another connection. On the event loop it runs with `busy_timeout = 0`, never blocking the loop
 * waiting for the lock — when another connection (another process, or this one mid-transaction) holds it, the
 * append fails at once with SQLITE_BUSY and the log retries a few milliseconds later; on the audit append
 * thread (ADR 0012) it waits for the lock instead. Same rows, same order, same head lock semantics as the
 * Kysely path PostgreSQL uses.
 */
export class SqliteAppender {
  private readonly db: SQLite.Database;
  private readonly lock: SQLite.Statement<[string], AuditHeadTable>;
  private readonly insertEntry: SQLite.Statement;
  private readonly insertRef: SQLite.Statement;
  private readonly insertNode: SQLite.Statement;
  private readonly insertCheckpoint: SQLite.Statement;
  private readonly updateHead: SQLite.Statement;
  private readonly run: (now: string, build: (head: AuditHeadTable) => BatchPlan) => BatchPlan;
  private readonly page: SQLite.Statement<[number, number], EntryTuple>;

  constructor(file: string, opts: { threadCheckpoints: boolean; busyTimeoutMs: number }) {
    this.db = new SQLite(file, { fileMustExist: true });
    this.db.pragma(`busy_timeout = ${opts.busyTimeoutMs}`);
    this.db.pragma('synchronous = NORMAL');
    // A thread of the process checkpoints the WAL: this connection's commits leave it that work (ADR 0011).
    if (opts.threadCheckpoints) this.db.pragma(`wal_autocheckpoint = ${WAL_FALLBACK_PAGES}`);
    this.db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
    this.lock = this.db.prepare<[string], AuditHeadTable>(
      'update audit_head set updated_at = ? where id = 1 returning id, tree_size, last_hash, frontier, checkpoint_size, checkpoint_at, updated_at',
    );
    this.insertEntry = this.db.prepare(
      `insert into audit_entries (${ENTRY_TUPLE_COLUMNS.join(', ')}) values (${ENTRY_TUPLE_COLUMNS.map(() => '?').join(', ')})`,
    );
    this.insertRef = this.db.prepare('insert or ignore into audit_refs (ref_id, bucket) values (?, ?)');
    this.insertNode = this.db.prepare('insert into audit_tree_nodes (level, idx, hash) values (?, ?, ?)');
    this.insertCheckpoint = this.db.prepare(
      'insert into audit_checkpoints (tree_size, root_hash, at, key_id, note) values (@tree_size, @root_hash, @at, @key_id, @note)',
    );
    this.updateHead = this.db.prepare(
      'update audit_head set tree_size = @tree_size, last_hash = @last_hash, frontier = @frontier, checkpoint_size = @checkpoint_size, checkpoint_at = @checkpoint_at, updated_at = @updated_at where id = 1',
    );
    const tx = this.db.transaction((now: string, build: (head: AuditHeadTable) => BatchPlan): BatchPlan => {
      const head = this.lock.get(now);
      if (!head) throw new Error('audit_head row is missing');
      const plan = build(head);
      // Positional parameters: binding by name looks each one up in the row object (~1.5 µs an entry).
      for (const e of plan.entries) {
        this.insertEntry.run(
          e.seq,
          e.at,
          e.actor_type,
          e.actor_id,
          e.action,
          e.target_type,
          e.target_id,
          e.outcome,
          e.ip,
          e.user_agent,
          e.request_id,
          e.detail,
          e.prev_hash,
          e.hash,
        );
      }
      for (const r of plan.refs) this.insertRef.run(r.ref_id, r.bucket);
      for (const n of plan.nodes) this.insertNode.run(n.level, n.idx, n.hash);
      for (const c of plan.checkpoints) this.insertCheckpoint.run(c);
      this.updateHead.run({ ...plan.head, updated_at: now });
      return plan;
    });
    this.run = (now, build) => tx.immediate(now, build);
    this.page = this.db
      .prepare<[number, number], EntryTuple>(
        `select ${ENTRY_TUPLE_COLUMNS.join(', ')} from audit_entries where seq > ? order by seq limit ?`,
      )
      .raw(true);
  }

  /** Entries after `afterSeq` as tuples (verification reads a million of them: no objects per row). */
  entryTuples(afterSeq: number, limit: number): EntryTuple[] {
    return this.page.all(afterSeq, limit);
  }

  append(now: string, build: (head: AuditHeadTable) => BatchPlan): BatchPlan {
    return this.run(now, build);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** An entry's columns in canonical order (see ENTRY_TUPLE_COLUMNS). */
export type EntryTuple = [
  seq: number,
  at: string,
  actorType: string,
  actorId: string | null,
  action: string,
  targetType: string | null,
  targetId: string | null,
  outcome: string,
  ip: string | null,
  userAgent: string | null,
  requestId: string | null,
  detail: string,
  prev: string,
  hash: string,
];

export const ENTRY_TUPLE_COLUMNS = [
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
