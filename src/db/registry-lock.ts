/**
 * PostgreSQL advisory lock between record writes and field-registry changes. A write that stores a record by the
 * registry's current stamp holds it shared until it commits (RecordRepository); a change of the stamp takes it
 * exclusively (RegistryStateRepository): so a change waits for the writes in flight, and writes after it see its
 * new stamp. Advisory locks live in the lock manager — unlike a share lock on the stamp's row, nothing is written
 * to the table per write. SQLite needs none: its write transactions are serial.
 */
export const REGISTRY_STAMP_LOCK = 0x53455052; // "SEPR"
