import { fsyncSync, openSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import type SQLite from 'better-sqlite3';
import type { SqliteLease } from '../../db/index.js';
import { CRM_OBJECTS, type CrmObjectName } from '../../security/classification/index.js';
import {
  SEED_COLUMNS,
  SEED_TABLES,
  type SeedBatch,
  type SeedTable,
  type SeedValue,
  type SeedWriter,
} from './seed-model.js';
import {
  leaveWal,
  readSettings,
  restoreSettings,
  sortInFileRuns,
  sortInMemory,
  type ConnectionSettings,
} from './sqlite-connection-settings.js';
import { createStage, isStaged, mergeStage, type Stage } from './sqlite-stage.js';

interface SchemaObject {
  name: string;
  sql: string;
}

interface TableStatements {
  insert: SQLite.Statement;
  /** ROWS_PER_INSERT rows in one statement, and the values it binds (reused: binding copies them). */
  insertMany: SQLite.Statement;
  many: SeedValue[];
  /** Reused for every row (binding copies the values); record tables get their `seq` in front. */
  row: SeedValue[];
  /** Record tables: what their `<table>_fts_ai` trigger does, for a range of `seq` at once. */
  fts: SQLite.Statement | null;
  /** Record tables with a full-text index: the last `seq` already in it (the rows after it wait for FTS_ROWS). */
  ftsSeq: number | null;
  /** Record tables: the last `seq` written (rowids are given explicitly, as SQLite would choose them). */
  seq: number | null;
  /** Record tables with a full-text index: its merge settings before the seed, to put back at the end. */
  ftsSettings: Record<FtsSetting, number> | null;
  /** STAGED_TABLES: the table the load fills instead, moved into this one in key order at the end. */
  stage: Stage | null;
}

/**
 * A record table's rows go into its full-text index once at least this many are waiting (and the rest at the end).
 * Each such insert flushes one FTS5 segment, which the merge at the end reads back; batches are small for the
 * collector's sake (timeline.ts), and feeding the index per batch would have made four times the segments.
 */
const FTS_ROWS = 2_500;

/**
 * Rows per INSERT statement. Each statement run costs a call into the addon and a VDBE start whatever it inserts;
 * measured here, 1M six-column rows took 2.6 s one per statement and 1.7 s sixteen per statement (64: the same),
 * ~0.9 µs a row on the seed's busiest thread. The widest seed row (~30 columns) stays far below SQLite's limit of
 * 32,766 bound values.
 */
const ROWS_PER_INSERT = 16;

const isRecordTable = (t: SeedTable): t is CrmObjectName => (CRM_OBJECTS as readonly string[]).includes(t);

/**
 * FTS5 merge settings during the load, and the documented defaults a table without its own setting has. Each step
 * of FTS_ROWS rows flushes at least one new segment; with the defaults FTS5 merges them level by level as they come
 * (every four of a size), rewriting the whole index about log4(segments) times — at 1M contacts a fifth of the load.
 * During the seed automerge is off and crisis merges only start at 1,000 segments on a level (FTS5 allows 2,000
 * segments in all); one `optimize` at the end merges everything once, and the settings the table had are put back.
 */
const FTS_LOAD_SETTINGS = { automerge: 0, crisismerge: 1000 } as const;
const FTS_DEFAULTS: Readonly<Record<keyof typeof FTS_LOAD_SETTINGS, number>> = { automerge: 4, crisismerge: 16 };
type FtsSetting = keyof typeof FTS_LOAD_SETTINGS;

/**
 * Page cache of the seed connection: 1 GiB holds everything a 100k seed writes; in a 1M seed (~3.7 GB) the pages that
 * inserts revisit at random (blind-index and tag keys, FTS structure) stay cached and appended pages spill to the
 * write-ahead log during the load. Measured at 1M here: the same speed as a 4 GiB cache, with 2.6 GB peak RSS
 * instead of 4.4 GB.
 */
const CACHE_KIB = 1024 * 1024;

/**
 * Writes the seed over the process's own connection (leased: the process's other queries — its audit trail's among
 * them — wait their turn instead of the write lock), as ONE transaction: it appears whole or not at all, so a crash
 * or Ctrl-C never leaves a half-seeded database or one without its indexes and triggers.
 *
 * Inside the transaction it drops the secondary indexes of the tables it fills and the full-text insert triggers,
 * inserts with prepared statements, then recreates the indexes from their original SQL (a sorted build beats random
 * inserts) and the triggers: the schema ends exactly as the migrations made it (the seed test compares
 * sqlite_master). Record rows get their `seq` (the rowid) explicitly — max + 1, what SQLite picks when none is given
 * — so that each FTS_ROWS of them are added to the full-text index by one `insert … select seq, search_text`,
 * exactly what the `<table>_fts_ai` trigger would have inserted row by row. Measured here, trigger-fed FTS5 inserts
 * cost 3–4 times more: a trigger's statement savepoint makes FTS5 flush a tiny segment for every row.
 *
 * Journal: when no other connection has the database open (the usual `separ seed`), the seed switches it to a
 * rollback journal for its transaction and back to WAL after (leaveWal): pages appended past the file's old end are
 * written once, in place, and not journaled; the commit (synchronous = FULL) syncs the journal of the few old pages
 * changed, then the file. Otherwise (a server is running) it writes through the WAL: the load runs with synchronous
 * = OFF (the transaction is all-or-nothing whatever the sync level), then the checkpoint runs with synchronous =
 * NORMAL — SQLite fsyncs the log before copying it into the database and the database after — and the file is
 * fsynced once more before the writer reports success. Either way no crash can leave the seed half-applied: recovery
 * (a hot journal rolled back, or a log whose commit never reached disk) drops the whole transaction.
 *
 * Foreign keys are not checked on this connection (statement savepoints again); the generator only refers to rows
 * written before, which the seed tests verify with `PRAGMA foreign_key_check`. Through the WAL, other connections keep
 * reading the previous state until the commit and their writes wait (busy timeout); with the rollback journal a
 * connection opened meanwhile waits for the whole seed (or gives up after its busy timeout), and a plain reader that
 * keeps a read transaction open (an sqlite3 shell; Separ's own processes do not) holds the seed up once its cache
 * spills, since pages are then written in place. However the seed ends, the connection's settings go back first and
 * its journal mode last; a journal mode that cannot go back (such a reader, past the busy timeout) is reported, not
 * failed, and the next process to open the file switches it.
 */
export class SqliteSeedWriter implements SeedWriter {
  private lease: SqliteLease | null = null;
  /** The connection's own settings before the seed, put back however it ends. */
  private saved: ConnectionSettings | null = null;
  /** The load bypasses the write-ahead log: this connection was the database's only one (see the class comment). */
  private rollbackJournal = false;
  private indexes: SchemaObject[] = [];
  private triggers: SchemaObject[] = [];
  private readonly statements = new Map<SeedTable, TableStatements>();

  constructor(
    private readonly file: string,
    private readonly leaseConnection: () => Promise<SqliteLease>,
  ) {}

  /** Whether the last start could take the database out of WAL mode for the load (tests and progress lines). */
  get bypassesWal(): boolean {
    return this.rollbackJournal;
  }

  private conn(): SQLite.Database {
    if (!this.lease) throw new Error('the SQLite seed writer is not started');
    return this.lease.conn;
  }

  async start(): Promise<void> {
    this.lease = await this.leaseConnection();
    const db = this.lease.conn;
    this.saved = readSettings(db);
    this.rollbackJournal = leaveWal(db) !== 'wal';
    db.pragma('busy_timeout = 30000');
    // WAL: the seed is one transaction, rolled back by a crash whatever the sync level; the checkpoint at the end is
    // synced. Rollback journal: FULL, so the journal of the pages the seed changes is on disk before any of them is
    // overwritten in place — pages appended past the file's old end (nearly all of a seed) are not journaled.
    db.pragma(this.rollbackJournal ? 'synchronous = FULL' : 'synchronous = OFF');
    db.pragma('foreign_keys = OFF');
    db.pragma(`cache_size = -${CACHE_KIB}`);
    db.pragma('threads = 2');
    db.exec('begin immediate');
    const tables = SEED_TABLES.map((t) => `'${t}'`).join(', ');
    this.indexes = db
      .prepare<[], SchemaObject>(
        `select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${tables})`,
      )
      .all();
    const ftsTriggers = CRM_OBJECTS.map((t) => `'${t}_fts_ai'`).join(', ');
    this.triggers = db
      .prepare<[], SchemaObject>(
        `select name, sql from sqlite_master where type = 'trigger' and name in (${ftsTriggers})`,
      )
      .all();
    for (const i of this.indexes) db.exec(`drop index "${i.name}"`);
    for (const t of this.triggers) db.exec(`drop trigger "${t.name}"`);
    for (const table of SEED_TABLES) {
      const record = isRecordTable(table);
      const cols = record ? ['seq', ...SEED_COLUMNS[table]] : SEED_COLUMNS[table];
      const list = cols.map((c) => `"${c}"`).join(', ');
      const hasFts = record && this.triggers.some((t) => t.name === `${table}_fts_ai`);
      const ftsSettings = hasFts ? this.loadFtsSettings(table) : null;
      const tuple = `(${cols.map(() => '?').join(', ')})`;
      const stage = isStaged(table) ? createStage(db, table) : null;
      const seq = record
        ? Number(db.prepare<[], { m: number | null }>(`select max(seq) as m from "${table}"`).get()?.m ?? 0)
        : null;
      const into = stage?.name ?? table;
      this.statements.set(table, {
        insert: db.prepare(`insert into "${into}" (${list}) values ${tuple}`),
        insertMany: db.prepare(
          `insert into "${into}" (${list}) values ${Array(ROWS_PER_INSERT).fill(tuple).join(', ')}`,
        ),
        many: new Array<SeedValue>(cols.length * ROWS_PER_INSERT),
        row: new Array<SeedValue>(cols.length),
        fts: hasFts
          ? db.prepare(
              `insert into "${table}_fts"(rowid, search_text) select seq, search_text from "${table}" where seq > ? and seq <= ? order by seq`,
            )
          : null,
        seq,
        ftsSeq: hasFts ? seq : null,
        ftsSettings,
        stage,
      });
    }
  }

  /** Reads a full-text table's merge settings and switches them to FTS_LOAD_SETTINGS. */
  private loadFtsSettings(table: string): Record<FtsSetting, number> {
    const db = this.conn();
    const stored = db.prepare<[], { k: string; v: unknown }>(`select k, v from "${table}_fts_config"`).all();
    const before = { ...FTS_DEFAULTS };
    for (const { k, v } of stored) {
      if (Object.hasOwn(FTS_DEFAULTS, k) && typeof v === 'number') before[k as FtsSetting] = v;
    }
    for (const [k, v] of Object.entries(FTS_LOAD_SETTINGS)) this.setFts(table, k, v);
    return before;
  }

  /** FTS5 takes a setting's value only as a literal (a bound one is refused), so both are checked here. */
  private setFts(table: string, key: string, value: number): void {
    if (!Object.hasOwn(FTS_DEFAULTS, key) || !Number.isSafeInteger(value) || value < 0) {
      throw new Error(`not an FTS5 merge setting: ${key} = ${value}`);
    }
    this.conn().exec(`insert into "${table}_fts"("${table}_fts", rank) values ('${key}', ${value})`);
  }

  write(batch: SeedBatch): Promise<void> {
    for (const table of SEED_TABLES) {
      const s = this.statements.get(table);
      if (!s) throw new Error(`no statement for ${table}`);
      const values = batch[table];
      const rows = values.length / SEED_COLUMNS[table].length;
      if (!Number.isInteger(rows)) throw new Error(`a seed batch of ${table} ends in a partial row`);
      const whole = rows - (rows % ROWS_PER_INSERT);
      let offset = 0;
      for (let r = 0; r < whole; r += ROWS_PER_INSERT) {
        offset = fillRows(s, s.many, values, offset, ROWS_PER_INSERT);
        s.insertMany.run(s.many);
      }
      for (let r = whole; r < rows; r++) {
        offset = fillRows(s, s.row, values, offset, 1);
        s.insert.run(s.row);
      }
      if (s.seq !== null && s.ftsSeq !== null && s.seq - s.ftsSeq >= FTS_ROWS) this.feedFts(s);
    }
    return Promise.resolve();
  }

  /** Adds a record table's rows written since the last call to its full-text index (one FTS5 segment). */
  private feedFts(s: TableStatements): void {
    if (!s.fts || s.seq === null || s.ftsSeq === null || s.seq === s.ftsSeq) return;
    s.fts.run(s.ftsSeq, s.seq);
    s.ftsSeq = s.seq;
  }

  finish(progress: (message: string) => void): Promise<void> {
    const db = this.conn();
    progress('merging the full-text indexes');
    for (const [table, s] of this.statements) {
      this.feedFts(s);
      if (!s.ftsSettings) continue;
      db.exec(`insert into "${table}_fts"("${table}_fts") values ('optimize')`);
      for (const [k, v] of Object.entries(s.ftsSettings)) this.setFts(table, k, v);
    }
    sortInFileRuns(db, dirname(this.file));
    for (const [table, s] of this.statements) {
      if (!s.stage) continue;
      progress(`sorting ${table} into place`);
      mergeStage(db, table, s.stage);
    }
    progress(`rebuilding ${this.indexes.length} indexes`);
    for (const i of this.indexes) db.exec(i.sql);
    if (this.saved) sortInMemory(db, this.saved);
    for (const t of this.triggers) db.exec(t.sql);
    progress('committing');
    db.exec('commit');
    if (!this.rollbackJournal) {
      progress('checkpointing the write-ahead log (fsync)');
      db.pragma('synchronous = NORMAL');
      db.pragma('wal_checkpoint(TRUNCATE)');
      const fd = openSync(this.file, 'r+');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    // Committed: the seed is done whatever follows. A journal mode that cannot go back to WAL (another process
    // holding a read transaction past the busy timeout) is reported, not failed: the next opener switches it.
    const stuck = this.end();
    if (stuck) progress(`left in ${stuck} mode for now: ${JOURNAL_STUCK}`);
    return Promise.resolve();
  }

  /**
   * Rolls back and puts the connection back; rejects (after both, never by throwing: the caller's own error comes
   * first) only to say what could not be done.
   */
  abort(): Promise<void> {
    const db = this.lease?.conn;
    let problem: string | null = null;
    try {
      if (db?.inTransaction) db.exec('rollback');
    } catch (err) {
      // SQLite rolls the transaction back when the process ends or the next opener recovers it.
      problem = `rollback failed: ${err instanceof Error ? err.message : String(err)}`;
    }
    try {
      const stuck = this.end();
      if (stuck) problem ??= `left in ${stuck} mode for now: ${JOURNAL_STUCK}`;
    } catch (err) {
      problem ??= `could not put the connection back: ${err instanceof Error ? err.message : String(err)}`;
    }
    return problem ? Promise.reject(new Error(problem)) : Promise.resolve();
  }

  /**
   * Puts the connection's settings back, then its journal mode, and gives the connection back to the process. Returns
   * the journal mode the connection is left in when it could not be put back, or null.
   */
  private end(): string | null {
    const lease = this.lease;
    const saved = this.saved;
    this.lease = null;
    this.saved = null;
    this.statements.clear();
    if (!lease) return null;
    try {
      return saved ? restoreSettings(lease.conn, saved) : null;
    } finally {
      lease.release();
    }
  }
}

const JOURNAL_STUCK =
  'another connection kept the database from switching back to its write-ahead log; the next process to open it does';

/**
 * Copies `count` rows of a batch's flat values, from `offset`, into the values a statement binds — a record table's
 * each with the next `seq` in front — and returns the offset after them.
 */
function fillRows(s: TableStatements, into: SeedValue[], values: SeedValue[], offset: number, count: number): number {
  const width = s.seq === null ? s.row.length : s.row.length - 1;
  let k = 0;
  for (let r = 0; r < count; r++) {
    if (s.seq !== null) into[k++] = ++s.seq;
    for (let c = 0; c < width; c++) into[k++] = values[offset + c] ?? null;
    offset += width;
  }
  return offset;
}
