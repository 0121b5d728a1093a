import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/index.js';
import { isAppError } from '../platform/app-error.js';
import { escapeControl } from '../platform/logger.js';
import { CliError } from './cli-error.js';
import { serveCommand } from './serve.command.js';
import { migrateCommand } from './migrate.command.js';
import { initCommand, usersCommand } from './users.command.js';
import { tokensCommand } from './tokens.command.js';
import { seedCommand } from './seed.command.js';
import { keysCommand } from './keys.command.js';
import { auditCommand } from './audit.command.js';
import { accessCommand } from './access.command.js';
import { rolesCommand } from './roles.command.js';

export function buildProgram(): Command {
  const program = new Command('separ')
    .description(
      'Separ (سپر) — a CRM whose first promise is that the customer data inside it is safe.\nConfiguration comes from the environment (see README: SEPAR_DATA_DIR, DATABASE_URL, …).',
    )
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  serveCommand(program);
  migrateCommand(program);
  initCommand(program);
  usersCommand(program);
  tokensCommand(program);
  seedCommand(program);
  keysCommand(program);
  auditCommand(program);
  accessCommand(program);
  rolesCommand(program);
  return program;
}

/** Run the CLI; returns the exit code. Failures print exactly one line on stderr. */
export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : err.exitCode;
    process.stderr.write(`separ: ${escapeControl(describe(err))}\n`);
    return err instanceof CliError ? err.exitCode : 1;
  }
}

function describe(err: unknown): string {
  if (err instanceof ConfigError || err instanceof CliError) return err.message;
  if (isAppError(err)) {
    const fields = err.errors?.map((e) => `${e.field} ${e.message}`).join('; ');
    return fields ? `${err.message}: ${fields}` : (err.detail ?? err.message);
  }
  if (err instanceof Error) return err.message.split('\n')[0] ?? 'failed';
  return 'failed';
}
