import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Command } from 'commander';
import { readPolicyInput, systemActor, type RolePolicy, type RoleView } from '../security/access/index.js';
import { CliError } from './cli-error.js';
import { withRuntime } from './context.js';
import { print, printJson } from './io.js';
import { escapeControl } from '../platform/logger.js';

/** The CLI acts as the system (an operator on the server); every change is still a `role.*` event in the audit. */
const cli = () => systemActor('cli');

const MAX_POLICY_BYTES = 256 * 1024;

/** A policy from a JSON file, or from standard input with `-`; checked like the API's before anything is written. */
async function policyFrom(source: string): Promise<RolePolicy> {
  let text: string;
  if (source === '-') {
    if (process.stdin.isTTY) throw new CliError('pipe the policy JSON on standard input, or give a file');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of process.stdin) {
      size += (chunk as Buffer).length;
      if (size > MAX_POLICY_BYTES) throw new CliError('the policy is larger than 256 KiB');
      chunks.push(chunk as Buffer);
    }
    text = Buffer.concat(chunks).toString('utf8');
  } else {
    text = readBoundedFile(source);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError('the policy is not valid JSON');
  }
  return readPolicyInput(value);
}

/** A regular file of at most MAX_POLICY_BYTES (never a device or a pipe that would not end), read at most once. */
function readBoundedFile(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    throw new CliError(`cannot read the policy file '${path}'`);
  }
  try {
    if (!fstatSync(fd).isFile()) throw new CliError(`'${path}' is not a regular file (use - for standard input)`);
    const buf = Buffer.alloc(MAX_POLICY_BYTES + 1);
    let size = 0;
    for (;;) {
      const n = readSync(fd, buf, size, buf.length - size, null);
      if (n === 0) break;
      size += n;
      if (size > MAX_POLICY_BYTES) throw new CliError('the policy is larger than 256 KiB');
    }
    return buf.subarray(0, size).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function printRole(r: RoleView, withPolicy: boolean): void {
  const objects = Object.entries(r.policy.objects)
    .map(([o, g]) => `${o}:${g?.ops.join('/') ?? ''}@${g?.scope ?? ''}`)
    .join(' ');
  // Names come from whoever manages roles: escaped, so no control or line-separator character reaches the terminal.
  print(
    `${r.id.padEnd(20)} ${r.builtin ? 'built-in' : 'custom  '}  v${r.version}  ${escapeControl(r.name)}` +
      `${objects ? `  — ${objects}` : ''}${r.policy.capabilities.length > 0 ? `  [${r.policy.capabilities.join(', ')}]` : ''}`,
  );
  if (withPolicy) for (const line of JSON.stringify(r.policy, null, 2).split('\n')) print(escapeControl(line));
}

/**
 * `separ roles list|show|create|update|delete`: custom roles from the command line (the API's /roles, as the
 * system). Policies are JSON files in the API's format; a change applies to the role's holders within seconds.
 */
export function rolesCommand(program: Command): void {
  const roles = program.command('roles').description('list, show and manage roles and their policies');

  roles
    .command('list')
    .description('every role, built-in and custom, with what it grants')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const all = await withRuntime((rt) => rt.access.roles.list(cli()));
      if (opts.json) printJson(all);
      else for (const r of all) printRole(r, false);
    });

  roles
    .command('show <id>')
    .description('one role with its whole policy')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { json?: boolean }) => {
      const r = await withRuntime((rt) => rt.access.roles.get(cli(), id));
      if (opts.json) printJson(r);
      else printRole(r, true);
    });

  roles
    .command('create <id>')
    .description('create a custom role: it grants exactly what its policy lists, nothing more')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--policy <file>', "the policy as JSON (the API's format), or - for standard input")
    .option('--description <text>', 'what the role is for')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { name: string; policy: string; description?: string; json?: boolean }) => {
      const policy = await policyFrom(opts.policy);
      const r = await withRuntime((rt) =>
        rt.access.roles.create(cli(), { id, name: opts.name, description: opts.description, policy }),
      );
      if (opts.json) printJson(r);
      else printRole(r, false);
    });

  roles
    .command('update <id>')
    .description("change a role's name, description or policy (holders get the change within seconds)")
    .option('--name <name>', 'new display name')
    .option('--description <text>', 'new description')
    .option('--policy <file>', 'the new policy as JSON, or - for standard input')
    .option(
      '--version <n>',
      'the version you read (required with --policy; otherwise default: the current one)',
      (v) => {
        if (!/^\d{1,9}$/.test(v)) throw new CliError('--version must be a whole number');
        return Number(v);
      },
    )
    .option('--json', 'machine-readable output')
    .action(
      async (
        id: string,
        opts: { name?: string; description?: string; policy?: string; version?: number; json?: boolean },
      ) => {
        if (opts.name === undefined && opts.description === undefined && opts.policy === undefined) {
          throw new CliError('nothing to change: give --name, --description or --policy');
        }
        // A policy replaces the whole grant: it must be judged against the version its author read, or a revocation
        // committed in between (through the API) would be silently undone.
        if (opts.policy !== undefined && opts.version === undefined) {
          throw new CliError('--policy needs --version: the version of the role you read (separ roles show ID)');
        }
        const policy = opts.policy === undefined ? undefined : await policyFrom(opts.policy);
        const r = await withRuntime(async (rt) => {
          const version = opts.version ?? (await rt.access.roles.get(cli(), id)).version;
          return rt.access.roles.update(cli(), id, { name: opts.name, description: opts.description, policy }, version);
        });
        if (opts.json) printJson(r);
        else printRole(r, false);
      },
    );

  roles
    .command('delete <id>')
    .description('delete a custom role nobody holds any more')
    .action(async (id: string) => {
      await withRuntime((rt) => rt.access.roles.remove(cli(), id));
      print(`deleted role ${id}`);
    });
}
