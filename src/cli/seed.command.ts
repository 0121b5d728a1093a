import { randomInt } from 'node:crypto';
import type { Command } from 'commander';
import { CliError } from './cli-error.js';
import { withRuntime } from './context.js';
import { print, printJson } from './io.js';
import { seedDatabase } from './seed/seed.service.js';

const MAX_CONTACTS = 10_000_000;

const wholeNumber =
  (flag: string, min: number, max: number) =>
  (raw: string): number => {
    const n = /^\d{1,9}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new CliError(
        `${flag} must be a whole number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}`,
      );
    }
    return n;
  };

export function seedCommand(program: Command): void {
  program
    .command('seed')
    .description(
      'fill the database with realistic synthetic CRM data in English and Persian (for demos and benchmarks): ' +
        'N contacts with about N/10 companies, N/4 deals and N/2 activities, owned by 10 seed sales reps and the admins',
    )
    .requiredOption(
      '--contacts <n>',
      `number of contacts (1 to ${MAX_CONTACTS.toLocaleString('en')})`,
      wholeNumber('--contacts', 1, MAX_CONTACTS),
    )
    .option(
      '--companies <n>',
      'number of companies (default: contacts / 10)',
      wholeNumber('--companies', 0, MAX_CONTACTS),
    )
    .option(
      '--seed <n>',
      'random seed: the same seed gives the same names and values (default: random)',
      wholeNumber('--seed', 0, 2 ** 31 - 1),
    )
    .option('--json', 'print a JSON summary on stdout')
    .addHelpText(
      'after',
      '\nProgress goes to stderr. The seed is one transaction: it appears whole or not at all. While it runs, a server' +
        '\nusing the same database waits with its writes (SQLite) or with queries on the seeded tables (PostgreSQL).' +
        '\nSQLite with no server running: the seed writes outside the WAL (faster), and a server cannot start until it ends.' +
        '\nRecords are stored exactly as the API stores them: personal data sealed, blind indexes, search text.',
    )
    .action(async (opts: { contacts: number; companies?: number; seed?: number; json?: boolean }) => {
      const summary = await withRuntime((rt) =>
        seedDatabase(rt, {
          contacts: opts.contacts,
          companies: opts.companies,
          seed: opts.seed ?? randomInt(2 ** 31 - 1),
          progress: (line) => process.stderr.write(`${line}\n`),
        }),
      );
      if (opts.json) {
        printJson(summary);
        return;
      }
      const n = (x: number): string => x.toLocaleString('en');
      print(
        `Seeded ${n(summary.contacts)} contacts, ${n(summary.companies)} companies, ${n(summary.deals)} deals and ` +
          `${n(summary.activities)} activities into ${summary.database} in ${summary.seconds} s (seed ${summary.seed}).`,
      );
    });
}
