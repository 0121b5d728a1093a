import type { Command } from 'commander';
import { systemActor } from '../security/access/actor.js';
import { withRuntime } from './context.js';
import { CliError } from './cli-error.js';
import { print, printJson } from './io.js';

export function tokensCommand(program: Command): void {
  const tokens = program.command('tokens').description('manage API tokens');
  tokens
    .command('create')
    .description('create an API token for a user; it is printed once and stored only as a hash')
    .requiredOption('--email <email>', "the token owner's email")
    .requiredOption('--name <name>', 'what the token is for')
    .option(
      '--scopes <scopes>',
      'comma-separated scopes (default: the user’s full permissions), e.g. contacts:read,deals:*',
    )
    .option('--expires-days <days>', 'expiry in days', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 3650)
        throw new CliError('--expires-days must be a whole number from 1 to 3650');
      return n;
    })
    .option('--json', 'machine-readable output')
    .action(async (opts: { email: string; name: string; scopes?: string; expiresDays?: number; json?: boolean }) => {
      const created = await withRuntime(async (rt) => {
        const user = await rt.identity.users.findByEmail(opts.email);
        if (!user) throw new CliError(`no user with email ${opts.email}`);
        const expiresAt = opts.expiresDays ? new Date(Date.now() + opts.expiresDays * 86_400_000).toISOString() : null;
        return rt.identity.tokens.createToken(systemActor('cli'), {
          userId: user.id,
          name: opts.name,
          scopes: opts.scopes
            ? opts.scopes
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean)
            : [],
          expiresAt,
        });
      });
      if (opts.json) printJson(created);
      else print(created.token);
    });
}
