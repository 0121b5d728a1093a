import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The real `separ` binary (dist is built by `npm test` before vitest runs). */
const BIN = fileURLToPath(new URL('../../bin/separ.js', import.meta.url));

function separ(args: string[], opts: { env?: Record<string, string>; input?: string } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', SEPAR_LOG_LEVEL: 'error', ...opts.env },
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('separ CLI', { timeout: 240_000 }, () => {
  let dir = '';
  let env: Record<string, string> = {};
  beforeAll(() => {
    if (!existsSync(fileURLToPath(new URL('../../dist/main.js', import.meta.url)))) {
      throw new Error('dist/ is missing: run `npm run build` (npm test does it) before the CLI tests');
    }
    dir = mkdtempSync(join(tmpdir(), 'separ-cli-'));
    env = { SEPAR_DATA_DIR: dir };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints help for every command', () => {
    const top = separ(['--help']);
    expect(top.code).toBe(0);
    for (const c of ['serve', 'migrate', 'init', 'users', 'tokens', 'seed']) expect(top.stdout).toContain(c);
    for (const c of [['serve'], ['migrate'], ['init'], ['users', 'create'], ['tokens', 'create'], ['seed']]) {
      expect(separ([...c, '--help']).code, c.join(' ')).toBe(0);
    }
  });

  it('migrates, then refuses init without a piped password, creates the first admin once', () => {
    const m = separ(['migrate', '--json'], { env });
    expect(m.code).toBe(0);
    expect(JSON.parse(m.stdout)).toMatchObject({ database: 'sqlite' });
    expect((JSON.parse(m.stdout) as { applied: string[] }).applied[0]).toBe('0001-initial');
    const noPw = separ(['init', '--email', 'admin@example.com', '--name', 'Admin'], { env });
    expect(noPw.code).not.toBe(0);
    expect(noPw.stderr.trim().split('\n')).toHaveLength(1);
    const weak = separ(['init', '--email', 'admin@example.com', '--name', 'Admin', '--password-stdin'], {
      env,
      input: 'short\n',
    });
    expect(weak.code).not.toBe(0);
    expect(weak.stderr.trim().split('\n')).toHaveLength(1);
    const ok = separ(['init', '--email', 'admin@example.com', '--name', 'Admin', '--password-stdin', '--json'], {
      env,
      input: 'correct horse battery staple 2026\n',
    });
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ email: 'admin@example.com', roles: ['admin'] });
    expect(ok.stdout).not.toContain('correct horse');
    const again = separ(['init', '--email', 'b@example.com', '--name', 'B', '--password-stdin'], {
      env,
      input: 'another long passphrase 99\n',
    });
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/users already exist/);
  });

  it('creates users and prints an API token once', () => {
    const u = separ(
      ['users', 'create', '--email', 'rep@example.com', '--name', 'Rep', '--role', 'sales-rep', '--password-stdin'],
      { env, input: 'a sales rep passphrase 42\n' },
    );
    expect(u.code, u.stderr).toBe(0);
    const badRole = separ(['users', 'create', '--email', 'x@example.com', '--name', 'X', '--role', 'god'], { env });
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr.trim().split('\n')).toHaveLength(1);
    const t = separ(['tokens', 'create', '--email', 'rep@example.com', '--name', 'ci'], { env });
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout.trim()).toMatch(/^separ_pat_[A-Za-z0-9_-]{43}$/);
    const missing = separ(['tokens', 'create', '--email', 'nobody@example.com', '--name', 'ci'], { env });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/no user with email/);
  });

  it('stops on bad configuration with one line naming the key', () => {
    const r = separ(['migrate'], { env: { ...env, SEPAR_PORT: 'nope' } });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe('separ: Invalid configuration: SEPAR_PORT must be a whole number between 0 and 65535');
  });
});
