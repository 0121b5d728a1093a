import type { Command } from 'commander';
import { loadConfig } from '../config/index.js';
import { print, printJson } from './io.js';

export function migrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply database migrations (also done by serve)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const config = loadConfig();
      const { openDb, migrateToLatest } = await import('../db/index.js');
      const db = openDb({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
      try {
        const { applied } = await migrateToLatest(db);
        if (opts.json) printJson({ database: db.dialect, applied });
        else print(applied.length ? `Applied ${applied.join(', ')} on ${db.location}` : `Up to date (${db.location})`);
      } finally {
        await db.close();
      }
    });
}
