export { openDb, redactUrl, type Db, type DialectName, type DbOptions, type SqliteLease } from './connect.js';
export { migrateToLatest, migrateUpTo, MigrationError, type MigrateOutcome } from './migrate.js';
export type * from './database.js';
export { QueryShapes } from './query-shapes.js';
export { isSqliteBusy } from './sqlite-busy.js';
export { WAL_FALLBACK_PAGES, WAL_SIZE_LIMIT, type CheckpointResult, type WalCheckpointer } from './wal-checkpointer.js';
export { REGISTRY_STAMP_LOCK } from './registry-lock.js';
