import type { Command } from 'commander';
import { withRuntime } from './context.js';
import { print, printJson } from './io.js';
import type { KeyStatus } from '../security/crypto/index.js';

function describeStatus(s: KeyStatus): string[] {
  const lines = [
    `root: ${s.root.kind} ${s.root.id}   cipher: ${s.cipher}   blind index: ${s.blindHash}`,
    'key-encryption keys:',
  ];
  for (const k of s.keks)
    lines.push(`  v${k.version} ${k.id}  ${k.status.padEnd(8)}  subject keys: ${k.deks}  created ${k.createdAt}`);
  lines.push('blind-index epochs:');
  for (const e of s.epochs)
    lines.push(`  epoch ${e.epoch}  ${e.status.padEnd(8)}  ${e.bits} bits  rows: ${e.indexRows}  kek ${e.kekId}`);
  if (s.rotation) {
    const parts = Object.entries(s.rotation.progress).map(
      ([o, p]) => `${o} ${p.done ? 'done' : `at seq ${p.lastSeq}`} (${p.rows} rows)`,
    );
    lines.push(
      `last rotation: ${s.rotation.state} (${s.rotation.id}, started ${s.rotation.startedAt}) — ${parts.join(', ')}`,
    );
  }
  lines.push(`subject keys still on older KEKs: ${s.deksOnOldKeks}`);
  lines.push(`secrets (signing key, TOTP seeds) still on older KEKs: ${s.secretsOnOldKeks}`);
  return lines;
}

export function keysCommand(program: Command): void {
  const keys = program.command('keys').description('field-encryption keys: status and rotation');
  keys
    .command('status')
    .description('show key versions, blind-index epochs, what is still on old keys and rotation progress')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const status = await withRuntime((rt) => rt.rotation.status());
      if (opts.json) printJson(status);
      else for (const l of describeStatus(status)) print(l);
    });
  keys
    .command('rotate')
    .description(
      'add and promote a new key-encryption key, then re-key every record (resumable; reads and writes keep working)',
    )
    .option('--resume', 'only continue a rotation that was interrupted')
    .option('--json', 'machine-readable output')
    .action(async (opts: { resume?: boolean; json?: boolean }) => {
      const result = await withRuntime(async (rt) => {
        const started = opts.resume ? await rt.rotation.running() : await rt.rotation.start();
        if (!started) return null;
        process.stderr.write(`rotating to ${started.toKekId} (epoch ${started.toEpoch})…\n`);
        let last = 0;
        const done = await rt.rotation.resume({
          onProgress: (v) => {
            const rows = Object.values(v.progress).reduce((n, p) => n + p.rows, 0);
            if (rows - last >= 10_000) {
              last = rows;
              process.stderr.write(`  ${rows} records re-keyed\n`);
            }
          },
        });
        return { done, status: await rt.rotation.status() };
      });
      if (!result) {
        if (opts.json) printJson({ rotation: null });
        else print('No rotation is running.');
        return;
      }
      if (opts.json) printJson(result);
      else for (const l of describeStatus(result.status)) print(l);
    });
}
