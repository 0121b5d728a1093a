import type { Command } from 'commander';
import { systemActor } from '../security/access/actor.js';
import { withRuntime } from './context.js';
import { readSecretFromStdin, print, printJson } from './io.js';

const list = (v: string, prev: string[] = []): string[] => [
  ...prev,
  ...v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

export function usersCommand(program: Command): void {
  const users = program.command('users').description('manage users');
  users
    .command('create')
    .description('create a user; the password is read from standard input')
    .requiredOption('--email <email>', 'email address (the sign-in name)')
    .requiredOption('--name <name>', 'display name')
    .requiredOption(
      '--role <role>',
      'role id (repeat or comma-separate): admin, security-officer, sales-manager, sales-rep, support, auditor, read-only',
      list,
    )
    .option('--password-stdin', 'read the password from standard input')
    .option('--json', 'machine-readable output')
    .action(async (opts: { email: string; name: string; role: string[]; passwordStdin?: boolean; json?: boolean }) => {
      const password = opts.passwordStdin ? await readSecretFromStdin('the password') : undefined;
      const user = await withRuntime((rt) =>
        rt.identity.users.createUser(systemActor('cli'), {
          email: opts.email,
          name: opts.name,
          roles: opts.role,
          ...(password !== undefined ? { password } : {}),
        }),
      );
      if (opts.json) printJson(user);
      else
        print(
          `Created user ${user.email} (${user.id}) with roles ${user.roles.join(', ')}${password ? '' : ' — no password yet, so it cannot sign in'}`,
        );
    });
}

export function initCommand(program: Command): void {
  program
    .command('init')
    .description('create the first administrator (refused once any user exists); password from standard input')
    .requiredOption('--email <email>', 'administrator email')
    .requiredOption('--name <name>', 'administrator name')
    .option('--password-stdin', 'read the password from standard input (required)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { email: string; name: string; passwordStdin?: boolean; json?: boolean }) => {
      if (!opts.passwordStdin) {
        throw new (await import('./cli-error.js')).CliError(
          'init needs --password-stdin: Separ never creates default passwords or takes them as arguments',
        );
      }
      const password = await readSecretFromStdin('the password');
      const user = await withRuntime(async (rt) => {
        if ((await rt.identity.users.count()) > 0) {
          throw new (await import('./cli-error.js')).CliError(
            'init refused: users already exist (use `separ users create`)',
          );
        }
        return rt.identity.users.createUser(systemActor('cli'), {
          email: opts.email,
          name: opts.name,
          roles: ['admin'],
          password,
          // The first administrator types their own password: nothing to change at first sign-in.
          mustChangePassword: false,
        });
      });
      if (opts.json) printJson(user);
      else print(`Created administrator ${user.email}. Sign in at the URL printed by \`npm start\`.`);
    });
}
