import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Db, DialectName } from './connect.js';
import { initialMigration } from './migrations/0001-initial.migration.js';
import { encryptionMigration } from './migrations/0002-encryption.migration.js';
import { authMigration } from './migrations/0003-auth.migration.js';
import { auditMigration } from './migrations/0004-audit.migration.js';
import { accessMigration } from './migrations/0005-access.migration.js';
import { preferencesMigration } from './migrations/0006-preferences.migration.js';
import { auditRefsByBucketMigration } from './migrations/0007-audit-refs-by-bucket.migration.js';
import { ownerPagesMigration } from './migrations/0008-owner-pages.migration.js';
import { linkTablesWithoutRowidMigration } from './migrations/0009-link-tables-without-rowid.migration.js';
import { auditKeysResealMigration } from './migrations/0010-audit-keys-reseal.migration.js';

/** The one list of migrations, in order. Both dialects run the same list. */
function migrations(dialect: DialectName): Record<string, Migration> {
  return {
    '0001-initial': initialMigration(dialect),
    '0002-encryption': encryptionMigration(dialect),
    '0003-auth': authMigration(dialect),
    '0004-audit': auditMigration(dialect),
    '0005-access': accessMigration(dialect),
    '0006-preferences': preferencesMigration(dialect),
    '0007-audit-refs-by-bucket': auditRefsByBucketMigration(dialect),
    '0008-owner-pages': ownerPagesMigration(dialect),
    '0009-link-tables-without-rowid': linkTablesWithoutRowidMigration(dialect),
    '0010-audit-keys-reseal': auditKeysResealMigration(dialect),
  };
}

class InCodeProvider implements MigrationProvider {
  constructor(private readonly dialect: DialectName) {}
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(migrations(this.dialect));
  }
}

export interface MigrateOutcome {
  applied: string[];
}

export class MigrationError extends Error {}

export async function migrateToLatest(db: Db): Promise<MigrateOutcome> {
  return migrate(db, (m) => m.migrateToLatest());
}

/** Apply migrations up to and including `name` (tests of a migration over data written by earlier ones). */
export async function migrateUpTo(db: Db, name: string): Promise<MigrateOutcome> {
  return migrate(db, (m) => m.migrateTo(name));
}

async function migrate(db: Db, run: (m: Migrator) => Promise<MigrationResultSet>): Promise<MigrateOutcome> {
  const migrator = new Migrator({
    db: db.kysely,
    provider: new InCodeProvider(db.dialect),
    migrationTableName: 'separ_migrations',
    migrationLockTableName: 'separ_migrations_lock',
  });
  const result: MigrationResultSet = await run(migrator);
  // Statements prepared before a migration carry the old tables' column names.
  db.forgetStatements();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const why = result.error instanceof Error ? result.error.message : JSON.stringify(result.error);
    throw new MigrationError(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${why}`);
  }
  return { applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
