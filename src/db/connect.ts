import { mkdirSync, chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';
import type { Database } from './database.js';
import { preparedName } from './prepared-texts.js';
import { isSqliteBusy } from './sqlite-busy.js';
import { startWalCheckpointer, WAL_FALLBACK_PAGES, WAL_SIZE_LIMIT, type WalCheckpointer } from './wal-checkpointer.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: DialectName;
  /** Where the data lives, for messages: a file path or a redacted URL. */
  readonly location: string;
  close(): Promise<void>;
  ping(): Promise<void>;
  /** Drop prepared statements (and the column names read from them) after the schema changed. */
  forgetStatements(): void;
  /**
   * SQLite: the thread that checkpoints the write-ahead log, when this process has one (long-running servers).
   * Other connections this process opens to the same file then leave checkpoints to it, as this one does.
   */
  readonly walCheckpointer: WalCheckpointer | null;
  /**
   * SQLite: lends this process's connection itself to bulk work that must change its settings (the seed). Every
   * other query of the process waits its turn (Kysely's connection mutex) until the lease is released. Null on
   * PostgreSQL.
   */
  readonly leaseSqlite: (() => Promise<SqliteLease>) | null;
}

/** This process's SQLite connection, held alone until `release`. */
export interface SqliteLease {
  readonly conn: SQLite.Database;
  release(): void;
}

export interface DbOptions {
  dataDir: string;
  databaseUrl: string | null;
  poolSize?: number;
  /** SQLite file name inside dataDir (tests may use another). */
  sqliteFile?: string;
  /**
   * SQLite: checkpoint the write-ahead log on a thread of its own instead of inside commits on the event loop
   * (a server under load); told about a checkpoint that failed.
   */
  backgroundCheckpoints?: { onError: (message: string) => void };
}

const TIMESTAMPTZ_OID = 1184;
const INT8_OID = 20;

function pgTypes(): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: string) => {
      if (oid === TIMESTAMPTZ_OID) return (v: string) => new Date(v).toISOString();
      if (oid === INT8_OID) {
        return (v: string) => {
          const n = Number(v);
          if (!Number.isSafeInteger(n)) throw new Error('int8 value out of safe integer range');
          return n;
        };
      }
      return (pg.types.getTypeParser as (id: number, f?: string) => (v: string) => unknown)(oid, format);
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
}

const STATEMENT_CACHE = 500;
/** How long a statement waits for another connection's lock, and opening waits for a seed's (enterWal). */
const BUSY_TIMEOUT_MS = 5000;

interface StatementCache {
  db: SQLite.Database;
  clear(): void;
}

/**
 * Kysely's SQLite dialect with transactions that take the write lock at BEGIN. Its own BEGIN is deferred: a
 * transaction that reads before it writes fails at its first write (SQLITE_BUSY_SNAPSHOT, never retried) when
 * another connection — the audit append thread (ADR 0012) — committed in between. IMMEDIATE waits for the lock
 * under busy_timeout, as every write does; this is the process's only request connection, so its transactions
 * were serialised anyway.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly config: SqliteDialectConfig) {
    super(config);
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.config);
  }
}

/**
 * Kysely prepares every query anew; with better-sqlite3 preparing is a real cost on hot paths
 * (get by id, list pages). Prepared statements are reused per SQL text, in a bounded LRU, and
 * forgotten whenever this process changes the schema (migrations).
 */
function cachedStatements(db: SQLite.Database): StatementCache {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    let st = cache.get(source);
    if (st) {
      cache.delete(source);
    } else {
      st = rowsAsObjects(prepare(source));
      if (cache.size >= STATEMENT_CACHE) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
    }
    cache.set(source, st);
    return st;
  }) as SQLite.Database['prepare'];
  return { db, clear: () => cache.clear() };
}

/**
 * better-sqlite3 builds each row object from C++, one property at a time (~5 µs for a 25-column row — half the
 * cost of a list page's query). The statement reads raw arrays instead and each row is copied from a template
 * object of the statement's columns (same hidden class for every row): the same objects, ~40 % cheaper.
 * Columns with the same name keep the last one, as better-sqlite3 does. The names are read once (reading them costs
 * ~16 µs); a row of another width (a `select *` re-prepared by SQLite after another process changed the table)
 * reads them again, and this process forgets its statements after its own migrations.
 */
function rowsAsObjects(st: SQLite.Statement): SQLite.Statement {
  if (!st.reader) return st;
  let names: string[] = [];
  let template: Record<string, unknown> = {};
  const readColumns = (): void => {
    names = st.columns().map((c) => c.name);
    template = Object.fromEntries(names.map((n) => [n, null]));
  };
  readColumns();
  const toObject = (values: unknown): Record<string, unknown> => {
    const v = values as unknown[];
    if (v.length !== names.length) readColumns();
    const row = { ...template };
    for (let i = 0; i < names.length; i++) row[names[i] as string] = v[i];
    return row;
  };
  st.raw(true);
  const all = st.all.bind(st);
  const get = st.get.bind(st);
  const iterate = st.iterate.bind(st);
  Object.assign(st, {
    all: (...params: unknown[]) => all(...params).map(toObject),
    get: (...params: unknown[]) => {
      const r = get(...params);
      return r === undefined ? undefined : toObject(r);
    },
    iterate: function* (...params: unknown[]) {
      for (const r of iterate(...params)) yield toObject(r);
    },
  });
  return st;
}

type ClientQuery = (text: unknown, values?: unknown, callback?: unknown) => unknown;

/**
 * The hot queries (`QueryShapes`) go to PostgreSQL as named prepared statements: each connection parses and plans
 * them once instead of on every request (node-pg sends Parse only the first time a connection meets a name). Every
 * other query is sent as before.
 */
function prepareShapes(client: pg.PoolClient): void {
  const target = client as unknown as { query: ClientQuery };
  const query: ClientQuery = target.query.bind(client);
  target.query = (text, values, callback) => {
    const name = typeof text === 'string' && Array.isArray(values) ? preparedName(text) : undefined;
    return name === undefined ? query(text, values, callback) : query({ name, text, values }, callback);
  };
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

export function openDb(opts: DbOptions): Db {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      types: pgTypes(),
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30_000,
    });
    // A dropped idle connection must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => prepareShapes(client));
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      kysely,
      dialect: 'postgres',
      location: redactUrl(opts.databaseUrl),
      close: () => kysely.destroy(),
      ping: async () => {
        await pool.query('select 1');
      },
      forgetStatements: () => undefined,
      walCheckpointer: null,
      leaseSqlite: null,
    };
  }
  if (!existsSync(opts.dataDir)) mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const file = join(opts.dataDir, opts.sqliteFile ?? 'separ.db');
  const fresh = !existsSync(file);
  const sqlite = new SQLite(file);
  if (fresh) chmodSync(file, 0o600);
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  enterWal(sqlite, file, BUSY_TIMEOUT_MS);
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma('secure_delete = ON');
  // A WAL that restarts keeps its old frames past the new ones — page images of deleted rows among them, which
  // secure_delete scrubs only in the database file. Truncated to nothing at each restart instead (ADR 0011).
  sqlite.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
  sqlite.pragma('cache_size = -65536');
  const checkpointer = opts.backgroundCheckpoints
    ? startWalCheckpointer(file, opts.backgroundCheckpoints.onError)
    : null;
  if (checkpointer) sqlite.pragma(`wal_autocheckpoint = ${WAL_FALLBACK_PAGES}`);
  const statements = cachedStatements(sqlite);
  const kysely = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: statements.db }) });
  return {
    kysely,
    dialect: 'sqlite',
    location: file,
    walCheckpointer: checkpointer,
    close: async () => {
      await checkpointer?.stop();
      await kysely.destroy();
    },
    ping: () => {
      sqlite.prepare('select 1').get();
      return Promise.resolve();
    },
    forgetStatements: () => statements.clear(),
    leaseSqlite: () => leaseConnection(kysely, sqlite),
  };
}

/**
 * WAL mode (persistent in the file). Switching needs the file to itself for a moment, so while another process holds
 * it outside WAL mode — a seed writing with a rollback journal (ADR 0009) — it tries again every 50 ms for up to
 * `waitMs`, and then says so in one line instead of SQLite's bare "database is locked". SQLite's own busy timeout
 * does not cover this: a connection that has read the file and needs it exclusively gets SQLITE_BUSY at once while
 * another holds the write lock (waiting could deadlock them), so the retry is here.
 */
function enterWal(sqlite: SQLite.Database, file: string, waitMs: number): void {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      sqlite.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      const busy = isSqliteBusy(err);
      if (busy && Date.now() < deadline) {
        Atomics.wait(RETRY_SLEEP, 0, 0, 50); // synchronous, like the rest of opening the file
        continue;
      }
      sqlite.close();
      if (!busy) throw err;
      throw new Error(
        `${file} is busy: another process is writing it outside WAL mode (a separ seed?); try again when it has finished`,
      );
    }
  }
}

const RETRY_SLEEP = new Int32Array(new SharedArrayBuffer(4));

/** Holds Kysely's connection (its mutex) from the moment the lease is handed out until it is released. */
function leaseConnection(kysely: Kysely<Database>, conn: SQLite.Database): Promise<SqliteLease> {
  return new Promise<SqliteLease>((resolve, reject) => {
    let lent = false;
    kysely
      .connection()
      .execute(
        () =>
          new Promise<void>((release) => {
            lent = true;
            resolve({ conn, release: () => release() });
          }),
      )
      .catch((err: unknown) => {
        if (!lent) reject(err instanceof Error ? err : new Error(String(err)));
      });
  });
}
