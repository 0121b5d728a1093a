import { fsyncSync, openSync, closeSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { CRM_OBJECTS, type CrmObjectName } from '../../security/classification/index.js';
import {
  SEED_COLUMNS,
  SEED_TABLES,
  type SeedBatch,
  type SeedTable,
  type SeedValue,
  type SeedWriter,
} from './seed-model.js';

interface SchemaObject {
  name: string;
  sql: string;
}

interface TableStatements {
  insert: SQLite.Statement;
  /** Reused for every row (binding copies the values); record tables get their `seq` in front. */
  row: SeedValue[];
  /** Record tables: what their `<table>_fts_ai` trigger does, for a range of `seq` at once. */
  fts: SQLite.Statement | null;
  /** Record tables: the last `seq` written (rowids are given explicitly, as SQLite would choose them). */
  seq: number | null;
  /** Record tables with a full-text index: its merge settings before the seed, to put back at the end. */
  ftsSettings: Record<FtsSetting, number> | null;
}

const isRecordTable = (t: SeedTable): t is CrmObjectName => (CRM_OBJECTS as readonly string[]).includes(t);

/**
 * FTS5 merge settings during the load, and the documented defaults a table without its own setting has. Each batch
 * flushes at least one new segment; with the defaults FTS5 merges them level by level as they come (every four of
 * a size), rewriting the whole index about log4(segments) times — at 1M contacts a fifth of the load. During the seed
 * automerge is off and crisis merges only start at 1,000 segments on a level (FTS5 allows 2,000 segments in all);
 * one `optimize` at the end merges everything once, and the settings the table had are put back.
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
 * Writes the seed over a second connection to the same SQLite file, as ONE transaction: it appears whole or not at
 * all, so a crash or Ctrl-C never leaves a half-seeded database or one without its indexes and triggers.
 *
 * Inside the transaction it drops the secondary indexes of the tables it fills and the full-text insert triggers,
 * inserts with prepared statements, then recreates the indexes from their original SQL (a sorted build beats random
 * inserts) and the triggers: the schema ends exactly as the migrations made it (the seed test compares
 * sqlite_master). Record rows get their `seq` (the rowid) explicitly — max + 1, what SQLite picks when none is given
 * — so that each batch's full-text rows are added by one `insert … select seq, search_text` over the new range,
 * exactly what the `<table>_fts_ai` trigger would have inserted row by row. Measured here, trigger-fed FTS5 inserts
 * cost 3–4 times more: a trigger's statement savepoint makes FTS5 flush a tiny segment for every row.
 *
 * Durability: the load runs with synchronous = OFF (the transaction is all-or-nothing whatever the sync level),
 * then the checkpoint runs with synchronous = NORMAL — SQLite fsyncs the write-ahead log before copying it into the
 * database and the database after — and the file is fsynced once more before the writer reports success. At no
 * moment can a crash leave the seed half-applied: before the log is synced, recovery drops the whole transaction.
 *
 * Foreign keys are not checked on this connection (statement savepoints again); the generator only refers to rows
 * written before, which the seed tests verify with `PRAGMA foreign_key_check`. Other connections keep reading the
 * previous state until the commit; their writes wait (busy timeout).
 */
export class SqliteSeedWriter implements SeedWriter {
  private db: SQLite.Database | null = null;
  private indexes: SchemaObject[] = [];
  private triggers: SchemaObject[] = [];
  private readonly statements = new Map<SeedTable, TableStatements>();

  constructor(private readonly file: string) {}

  private conn(): SQLite.Database {
    if (!this.db) throw new Error('the SQLite seed writer is not started');
    return this.db;
  }

  start(): Promise<void> {
    const db = new SQLite(this.file);
    this.db = db;
    db.pragma('busy_timeout = 30000');
    // This connection only. The seed is one transaction: a crash rolls it back whatever the sync level.
    db.pragma('synchronous = OFF');
    db.pragma('foreign_keys = OFF');
    db.pragma('secure_delete = ON');
    db.pragma(`cache_size = -${CACHE_KIB}`);
    db.pragma('temp_store = MEMORY');
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
      this.statements.set(table, {
        insert: db.prepare(`insert into "${table}" (${list}) values (${cols.map(() => '?').join(', ')})`),
        row: new Array<SeedValue>(cols.length),
        fts: hasFts
          ? db.prepare(
              `insert into "${table}_fts"(rowid, search_text) select seq, search_text from "${table}" where seq > ? and seq <= ? order by seq`,
            )
          : null,
        seq: record
          ? Number(db.prepare<[], { m: number | null }>(`select max(seq) as m from "${table}"`).get()?.m ?? 0)
          : null,
        ftsSettings,
      });
    }
    return Promise.resolve();
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
      const { insert, row } = s;
      if (s.seq === null) {
        const width = row.length;
        for (let offset = 0; offset < values.length; offset += width) {
          for (let c = 0; c < width; c++) row[c] = values[offset + c] ?? null;
          insert.run(row);
        }
        continue;
      }
      const width = row.length - 1;
      const first = s.seq;
      for (let offset = 0; offset < values.length; offset += width) {
        row[0] = ++s.seq;
        for (let c = 0; c < width; c++) row[c + 1] = values[offset + c] ?? null;
        insert.run(row);
      }
      if (s.fts && s.seq > first) s.fts.run(first, s.seq);
    }
    return Promise.resolve();
  }

  finish(progress: (message: string) => void): Promise<void> {
    const db = this.conn();
    progress('merging the full-text indexes');
    for (const [table, s] of this.statements) {
      if (!s.ftsSettings) continue;
      db.exec(`insert into "${table}_fts"("${table}_fts") values ('optimize')`);
      for (const [k, v] of Object.entries(s.ftsSettings)) this.setFts(table, k, v);
    }
    progress(`rebuilding ${this.indexes.length} indexes`);
    for (const i of this.indexes) db.exec(i.sql);
    for (const t of this.triggers) db.exec(t.sql);
    progress('committing');
    db.exec('commit');
    progress('checkpointing the write-ahead log (fsync)');
    db.pragma('synchronous = NORMAL');
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    this.db = null;
    const fd = openSync(this.file, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return Promise.resolve();
  }

  abort(): Promise<void> {
    const db = this.db;
    this.db = null;
    if (db) {
      if (db.inTransaction) db.exec('rollback');
      db.close();
    }
    return Promise.resolve();
  }
}
