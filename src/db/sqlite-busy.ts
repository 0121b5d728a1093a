/**
 * Another SQLite connection holds a lock this one would have to wait for: SQLITE_BUSY and its extended codes
 * (SQLITE_BUSY_RECOVERY, _SNAPSHOT, _TIMEOUT). Its own small file: the audit append thread loads it without the
 * rest of the data layer (ADR 0012).
 */
export const isSqliteBusy = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
};
