import type SQLite from 'better-sqlite3';
import { isSqliteBusy } from '../../db/index.js';

/*
 * The settings of the connection a SQLite seed borrows: read before, changed for the load and the index builds,
 * put back after — however the seed ends (sqlite-writer.ts).
 */

/**
 * Page cache while the indexes are built, which also bounds SQLite's sorter: past it the sorter writes sorted runs
 * to temporary files — sorted by `threads` helper threads while the main one reads on — and merges them. With the
 * 1 GiB load cache (and the runtime's `temp_store = MEMORY`) every index was one in-memory sort on one thread. Measured
 * on the 1M seed's 32 indexes here: 22–24 s in memory, 15–18 s with runs of 16–8 MiB, 12.4–13.8 s with 2–4 MiB
 * (less CPU too: 19.7 s against 22; small runs sort within the CPU caches). The temporary files go in the database's
 * own directory, opened 0600 and unlinked at once; they hold index keys, i.e. values the database file holds in the
 * same form (personal data are sealed before they reach any column, ADR 0005), and their blocks are not scrubbed
 * when the files go (secure_delete covers the database file only).
 */
const SORT_CACHE_KIB = 2 * 1024;

/** The settings of the connection the seed changes. */
export interface ConnectionSettings {
  journal_mode: string;
  /** Process-wide in SQLite (not the connection's): where temporary files go; '' for SQLite's own choice. */
  temp_store_directory: string;
  temp_store: number;
  synchronous: number;
  foreign_keys: number;
  cache_size: number;
  threads: number;
  busy_timeout: number;
}

const SETTING_NAMES = ['synchronous', 'foreign_keys', 'cache_size', 'threads', 'busy_timeout', 'temp_store'] as const;

export function readSettings(db: SQLite.Database): ConnectionSettings {
  const num = (name: string): number => {
    const v: unknown = db.pragma(name, { simple: true });
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new Error(`unexpected PRAGMA ${name}: ${String(v)}`);
    return v;
  };
  const mode: unknown = db.pragma('journal_mode', { simple: true });
  if (typeof mode !== 'string' || !/^[a-z]+$/.test(mode)) throw new Error(`unexpected journal mode: ${String(mode)}`);
  const tempDirectory: unknown = db.pragma('temp_store_directory', { simple: true });
  return {
    journal_mode: mode,
    temp_store_directory: typeof tempDirectory === 'string' ? tempDirectory : '',
    temp_store: num('temp_store'),
    synchronous: num('synchronous'),
    foreign_keys: num('foreign_keys'),
    cache_size: num('cache_size'),
    threads: num('threads'),
    busy_timeout: num('busy_timeout'),
  };
}

/**
 * The settings first (they cannot fail: values are integers read from SQLite itself, checked by readSettings, so
 * safe as literals), then the journal mode, which needs the file to itself and fails while another connection holds
 * a read transaction past the busy timeout. Returns the mode the connection is left in when that fails, or null.
 */
export function restoreSettings(db: SQLite.Database, saved: ConnectionSettings): string | null {
  for (const name of SETTING_NAMES) db.pragma(`${name} = ${saved[name]}`);
  setTempDirectory(db, saved.temp_store_directory);
  const mode = (): unknown => db.pragma('journal_mode', { simple: true });
  if (mode() === saved.journal_mode) return null;
  try {
    db.pragma(`journal_mode = ${saved.journal_mode}`);
  } catch (err) {
    if (!isSqliteBusy(err)) throw err;
  }
  const now = mode();
  return now === saved.journal_mode ? null : String(now);
}

/**
 * Takes the database out of WAL mode for the seed when this connection is its only one — no server, no other
 * command, no checkpoint thread: SQLite refuses the switch while any other connection has the file open, and then
 * the seed goes through the WAL as before. Without it every page the seed writes is written twice (the log, then
 * the checkpoint's copy) and the index builds look each page they read up in a log of ~1M frames.
 */
export function leaveWal(db: SQLite.Database): string {
  const mode: unknown = db.pragma('journal_mode', { simple: true });
  if (mode !== 'wal') return String(mode); // not the WAL (a restore that could not finish): already journaled
  const busy: unknown = db.pragma('busy_timeout', { simple: true });
  db.pragma('busy_timeout = 0');
  try {
    return String(db.pragma('journal_mode = DELETE', { simple: true }));
  } catch (err) {
    if (!isSqliteBusy(err)) throw err; // an I/O error is the seed's failure, not a reason to go through the WAL
    return 'wal'; // another connection has the database open
  } finally {
    db.pragma(`busy_timeout = ${Number(busy)}`);
  }
}

/**
 * Lets SQLite's sorter spill sorted runs to files in `dir` (SORT_CACHE_KIB). Only for the index builds: earlier, with
 * temp_store = FILE, statement journals — copies of whole pages the load changed — spilled to such files too. SQLite
 * refuses to change temp_store inside a transaction once it has a temporary database open; the seed opens none, and
 * if it ever did the sorts would just stay in memory.
 */
export function sortInFileRuns(db: SQLite.Database, dir: string): void {
  try {
    db.pragma('temp_store = FILE');
  } catch {
    return;
  }
  setTempDirectory(db, dir);
  db.pragma(`cache_size = -${SORT_CACHE_KIB}`);
}

/**
 * After the index builds: whatever else needs temporary storage until the end of the transaction stays in memory.
 * If SQLite refused the switch here, restoreSettings makes it after the transaction.
 */
export function sortInMemory(db: SQLite.Database, saved: ConnectionSettings): void {
  try {
    db.pragma(`temp_store = ${saved.temp_store}`);
  } catch {
    // put back by restoreSettings
  }
}

/** SQLite's temporary-file directory, for the whole process; '' gives SQLite its own choice back. */
function setTempDirectory(db: SQLite.Database, dir: string): void {
  db.pragma(`temp_store_directory = '${dir.replaceAll("'", "''")}'`);
}
