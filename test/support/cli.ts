import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The real `separ` binary (dist is built by `npm test` before vitest runs). */
export const SEPAR_BIN = fileURLToPath(new URL('../../bin/separ.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Refuse to run CLI tests against a missing build, with the reason, instead of failing obscurely. */
export function requireBuiltCli(): void {
  if (!existsSync(fileURLToPath(new URL('../../dist/main.js', import.meta.url)))) {
    throw new Error('dist/ is missing: run `npm run build` (npm test does it) before the CLI tests');
  }
}

/** Run `separ …` to completion with only PATH and `env` in its environment; `input` goes to its standard input. */
export function runSepar(args: string[], env: Record<string, string>, input = ''): CliRun {
  const r = spawnSync(process.execPath, [SEPAR_BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', SEPAR_LOG_LEVEL: 'error', ...env },
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
