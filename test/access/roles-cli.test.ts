import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPgDatabase, testDialects } from '../support/dialects.js';
import { requireBuiltCli, runSepar } from '../support/cli.js';

/** Each command starts a runtime (1–3 s here): a test runs a dozen of them. */
const CLI_TEST_MS = 180_000;

interface RoleOut {
  id: string;
  name: string;
  builtin: boolean;
  version: number;
  policy: Record<string, unknown>;
}

/** A custom role as an operator would write it: contacts of its own, restricted data masked, no capabilities. */
const FIELD_AGENT = {
  objects: { contacts: { ops: ['read', 'create', 'update'], scope: 'own' } },
  classifications: { '*': { public: 'write', internal: 'write', restricted: 'masked', pci: 'none' } },
  fields: { contacts: { 'custom.passport': 'none' } },
  reveal: [],
  capabilities: [],
  ipAllow: ['10.0.0.0/8', '2001:db8::/32'],
};

describe.each(await testDialects())('separ roles (CLI, %s)', (dialect) => {
  let dir = '';
  let env: Record<string, string> = {};
  let dropPg: (() => Promise<void>) | null = null;

  const separ = (args: string[], input = '') => runSepar(args, env, input);
  const json = <T>(args: string[], input = ''): T => {
    const r = separ(args, input);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as T;
  };
  /** Refused with exactly one line on stderr, which names `what`. */
  const refused = (args: string[], what: RegExp, input = ''): void => {
    const r = separ(args, input);
    expect(r.code, `${args.join(' ')}: ${r.stdout}`).not.toBe(0);
    expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
    expect(r.stderr).toMatch(what);
  };
  const ids = (): string[] => json<RoleOut[]>(['roles', 'list', '--json']).map((r) => r.id);

  beforeAll(async () => {
    requireBuiltCli();
    dir = mkdtempSync(join(tmpdir(), 'separ-roles-cli-'));
    env = { SEPAR_DATA_DIR: dir };
    if (dialect === 'postgres') {
      const pg = await freshPgDatabase();
      env.DATABASE_URL = pg.url;
      dropPg = pg.drop;
    }
    const init = separ(
      ['init', '--email', 'admin@example.com', '--name', 'Admin', '--password-stdin'],
      'correct horse battery staple 2026\n',
    );
    expect(init.code, init.stderr).toBe(0);
  }, CLI_TEST_MS);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    if (dropPg) await dropPg();
  });

  it(
    'lists the built-in roles and shows one with its whole policy',
    () => {
      const all = json<RoleOut[]>(['roles', 'list', '--json']);
      for (const id of ['admin', 'security-officer', 'sales-manager', 'sales-rep', 'support', 'auditor', 'read-only']) {
        expect(all.find((r) => r.id === id)?.builtin, id).toBe(true);
      }
      const rep = json<RoleOut>(['roles', 'show', 'sales-rep', '--json']);
      expect(rep.policy).toMatchObject({ objects: { contacts: { scope: 'own' } } });
      const text = separ(['roles', 'show', 'sales-rep']);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toMatch(/^sales-rep\s+built-in/);
      refused(['roles', 'show', 'no-such-role'], /not found/i);
    },
    CLI_TEST_MS,
  );

  it(
    'creates, changes and deletes a custom role from a policy file or standard input',
    () => {
      const file = join(dir, 'field-agent.json');
      writeFileSync(file, JSON.stringify(FIELD_AGENT));
      const created = json<RoleOut>([
        'roles',
        'create',
        'field-agent',
        '--name',
        'Field agent',
        '--policy',
        file,
        '--json',
      ]);
      expect(created).toMatchObject({ id: 'field-agent', builtin: false, version: 1, policy: FIELD_AGENT });
      refused(['roles', 'create', 'field-agent', '--name', 'Again', '--policy', file], /exists/);

      const wider = { ...FIELD_AGENT, objects: { ...FIELD_AGENT.objects, deals: { ops: ['read'], scope: 'own' } } };
      const changed = json<RoleOut>(
        [
          'roles',
          'update',
          'field-agent',
          '--policy',
          '-',
          '--version',
          '1',
          '--description',
          'Agents in the field',
          '--json',
        ],
        JSON.stringify(wider),
      );
      expect(changed).toMatchObject({ version: 2, policy: { objects: { deals: { ops: ['read'] } } } });
      // An edit judged against a version that is no longer current is refused, and changes nothing.
      refused(['roles', 'update', 'field-agent', '--name', 'Stale', '--version', '1'], /changed since you read it/);
      refused(['roles', 'update', 'field-agent'], /nothing to change/);
      // A new policy replaces the whole grant: it is judged against the version its author read, never "current".
      refused(['roles', 'update', 'field-agent', '--policy', file], /--policy needs --version/);
      expect(json<RoleOut>(['roles', 'show', 'field-agent', '--json'])).toMatchObject({
        name: 'Field agent',
        version: 2,
      });

      // Held roles stay; an unused one goes.
      const u = separ(['users', 'create', '--email', 'agent@example.com', '--name', 'Agent', '--role', 'field-agent']);
      expect(u.code, u.stderr).toBe(0);
      refused(['roles', 'delete', 'field-agent'], /field-agent|held|use/i);
      json<RoleOut>(['roles', 'create', 'short-lived', '--name', 'Short lived', '--policy', file, '--json']);
      const gone = separ(['roles', 'delete', 'short-lived']);
      expect(gone.code, gone.stderr).toBe(0);
      expect(ids()).not.toContain('short-lived');
      refused(['roles', 'delete', 'admin'], /built-in|admin/i);
    },
    CLI_TEST_MS,
  );

  it(
    'refuses a malformed or hostile policy with one line naming what is wrong, and writes nothing',
    () => {
      const attempts: [string, RegExp][] = [
        ['{"objects": ', /not valid JSON/],
        [
          JSON.stringify({ ...FIELD_AGENT, objects: { planets: { ops: ['read'], scope: 'all' } } }),
          /policy\.objects\.planets/,
        ],
        [JSON.stringify({ ...FIELD_AGENT, capabilities: ['root'] }), /policy\.capabilities/],
        [JSON.stringify({ ...FIELD_AGENT, ipAllow: ['10.0.0.0/33'] }), /policy\.ipAllow/],
        [
          JSON.stringify({ ...FIELD_AGENT, classifications: { '*': { restricted: 'clear!' } } }),
          /policy\.classifications/,
        ],
        [
          JSON.stringify({ ...FIELD_AGENT, fields: { contacts: { "email'; drop table roles; --": 'read' } } }),
          /policy\.fields/,
        ],
        ['[]', /policy/],
      ];
      for (const [text, what] of attempts)
        refused(['roles', 'create', 'broken', '--name', 'Broken', '--policy', '-'], what, text);
      refused(['roles', 'create', 'broken', '--name', 'Broken', '--policy', join(dir, 'missing.json')], /cannot read/);
      // Not a regular file: a device would be read forever, a pipe might never end.
      refused(['roles', 'create', 'broken', '--name', 'Broken', '--policy', '/dev/zero'], /not a regular file/);
      refused(['roles', 'create', 'broken', '--name', 'Broken', '--policy', dir], /not a regular file|cannot read/);
      const big = join(dir, 'big.json');
      writeFileSync(big, `{"pad": "${'x'.repeat(300 * 1024)}"}`);
      refused(['roles', 'create', 'broken', '--name', 'Broken', '--policy', big], /larger than 256 KiB/);
      refused(['roles', 'create', 'Bad_Id', '--name', 'Bad', '--policy', '-'], /id/, JSON.stringify(FIELD_AGENT));
      for (const name of ['two\nlines', 'next\u0085line', 'csi\u009b2J', 'para\u2029graph']) {
        refused(['roles', 'create', 'broken', '--name', name, '--policy', '-'], /name/, JSON.stringify(FIELD_AGENT));
      }
      expect(ids()).not.toContain('broken');
    },
    CLI_TEST_MS,
  );
});
