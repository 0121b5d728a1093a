import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { systemActor } from '../security/access/actor.js';
import { CliError } from './cli-error.js';
import { withRuntime } from './context.js';
import { print, printJson } from './io.js';

/**
 * `separ audit verify|export|archive|checkpoint`: the operator's side of the audit trail. Each runs as the
 * system actor and is itself recorded in the log.
 */
export function auditCommand(program: Command): void {
  const audit = program.command('audit').description('tamper-evident audit trail: verify, export, archive');

  audit
    .command('verify')
    .description(
      'recompute every entry hash, the hash chain, the Merkle tree and every signed checkpoint; name the first bad entry',
    )
    .option('--trusted <file>', 'a checkpoint note saved earlier (`separ audit checkpoint`): the log must extend it')
    .option('--json', 'machine-readable output')
    .action(async (opts: { trusted?: string; json?: boolean }) => {
      const trusted = opts.trusted === undefined ? undefined : readTrusted(opts.trusted);
      const report = await withRuntime((rt) =>
        rt.audit.operations.verify(systemActor('cli: audit verify'), { trusted }),
      );
      if (opts.json) printJson(report);
      else {
        print(
          report.ok
            ? `audit log verified: ${report.entries} entries (${report.firstSeq ?? '-'}–${report.lastSeq}), ${report.checkpoints} signed checkpoints, root ${report.rootHash}`
            : `audit log verification FAILED`,
        );
        if (report.archivedThrough > 0) print(`entries 1–${report.archivedThrough} are in archived segments`);
        for (const w of report.warnings) print(`warning: ${w}`);
      }
      if (!report.ok) {
        const bad = report.firstBad;
        throw new CliError(
          `audit log verification failed${bad?.seq !== null && bad?.seq !== undefined ? ` at entry ${bad.seq}` : ''}: ${bad?.message ?? 'unknown problem'}`,
        );
      }
    });

  audit
    .command('export')
    .description(
      'write entries, signed checkpoints and the public key to a directory (check it with tools/verify-audit.mjs)',
    )
    .requiredOption('--out <dir>', 'directory to write (created if missing)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { out: string; json?: boolean }) => {
      const result = await withRuntime((rt) => rt.audit.operations.export(systemActor('cli: audit export'), opts.out));
      if (opts.json) printJson(result);
      else print(`exported ${result.entries} entries and ${result.checkpoints} checkpoints to ${result.dir}`);
    });

  audit
    .command('archive')
    .description(
      'move entries older than the retention period into a signed archive segment (never deletes unarchived entries)',
    )
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const result = await withRuntime((rt) => rt.audit.operations.archive(systemActor('cli: audit archive')));
      if (opts.json) printJson({ archived: result });
      else if (!result) print('Nothing is older than the retention period.');
      else print(`archived entries ${result.fromSeq}–${result.toSeq} to ${result.dir}`);
    });

  audit
    .command('checkpoint')
    .description('print the latest signed checkpoint (keep it to check later that the log was not rewritten)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const cp = await withRuntime((rt) => rt.audit.reader.latestCheckpoint(systemActor('cli: audit checkpoint')));
      if (opts.json) printJson(cp);
      else process.stdout.write(cp.checkpoint);
    });
}

function readTrusted(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new CliError(`cannot read the trusted checkpoint file '${path}'`);
  }
}
