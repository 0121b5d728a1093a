import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync, statSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { createRuntime, buildHttpApp, type Runtime } from '../../src/runtime/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { systemActor } from '../../src/security/access/index.js';
import { freshPgDatabase, testDialects } from '../support/dialects.js';

const quiet = createLogger('silent');

/*
 * The same suite runs with the embedded keyring root and with the root in an HSM (SoftHSM2 over
 * PKCS#11, one fresh token per case in a token store of this file's own). Without SoftHSM2 the HSM
 * half fails instead of skipping: CI installs it.
 */
type RootKind = 'keyring' | 'hsm';
const HSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';
const HSM_DIR = mkdtempSync(join(tmpdir(), 'separ-hsm-'));
const INIT = fileURLToPath(new URL('../../scripts/softhsm-init.sh', import.meta.url));
process.env.SOFTHSM2_CONF = join(HSM_DIR, 'softhsm2.conf');
let tokenNo = 0;

function hsmToken(): Record<string, string> {
  if (!existsSync(HSM_MODULE)) throw new Error(`SoftHSM2 is not installed (${HSM_MODULE}); .ci/run installs softhsm2`);
  const label = `separ-keys-${++tokenNo}`;
  execFileSync('bash', [INIT, HSM_DIR], { env: { ...process.env, SEPAR_SOFTHSM_LABEL: label }, stdio: 'ignore' });
  return { SEPAR_PKCS11_MODULE: HSM_MODULE, SEPAR_PKCS11_TOKEN: label, SEPAR_PKCS11_PIN: '1234' };
}

interface Env {
  dir: string;
  env: Record<string, string>;
  drop: () => Promise<void>;
}

async function freshEnv(dialect: string, extra: Record<string, string> = {}, root: RootKind = 'keyring'): Promise<Env> {
  const dir = mkdtempSync(join(tmpdir(), 'separ-keys-'));
  if (root === 'hsm') extra = { ...hsmToken(), ...extra };
  const pg = dialect === 'postgres' ? await freshPgDatabase() : null;
  return {
    dir,
    env: { SEPAR_DATA_DIR: dir, SEPAR_LOG_LEVEL: 'silent', ...(pg ? { DATABASE_URL: pg.url } : {}), ...extra },
    drop: async () => {
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const open = (env: Record<string, string>, settle = 0): Promise<Runtime> =>
  createRuntime(loadConfig(env), { migrate: true, logger: quiet, rotationSettleMs: settle });

async function ownerId(rt: Runtime): Promise<string> {
  const existing = await rt.identity.users.findByEmail('owner@example.com');
  if (existing) return existing.id;
  return (
    await rt.identity.users.createUser(systemActor('test'), {
      email: 'owner@example.com',
      name: 'Owner',
      roles: ['admin'],
    })
  ).id;
}

async function makeContacts(rt: Runtime, n: number, tag: string): Promise<{ id: string; email: string }[]> {
  const owner = await ownerId(rt);
  const out: { id: string; email: string }[] = [];
  for (let i = 0; i < n; i++) {
    const email = `${tag}.${i}@example.com`;
    const c = await rt.crm.records.contacts.create(systemActor('test'), {
      firstName: `P${i}`,
      email,
      phone: `+4915112345${String(i).padStart(3, '0')}`,
      ownerId: owner,
      tags: [tag],
    });
    out.push({ id: String(c.id), email });
  }
  return out;
}

async function lookup(rt: Runtime, email: string): Promise<string[]> {
  const r = await rt.crm.records.contacts.list(systemActor('test'), { email });
  return r.items.map((i) => String(i.id));
}

const cases = (await testDialects()).flatMap((d) => (['keyring', 'hsm'] as const).map((r) => [d, r] as const));

for (const [dialect, root] of cases) {
  describe(`key hierarchy (${dialect}, ${root} root)`, () => {
    const cleanup: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const c of cleanup) await c();
    });

    if (root === 'hsm')
      it('refuses to start without the HSM key, or with a wrong PIN, writing nothing', async () => {
        const e = await freshEnv(dialect, {}, 'hsm');
        cleanup.push(e.drop);
        const rt = await open(e.env);
        const [c] = await makeContacts(rt, 1, 'hsm');
        await rt.close();
        expect(existsSync(join(e.dir, 'keyring.json'))).toBe(false);
        await expect(open({ ...e.env, SEPAR_PKCS11_PIN: '9999' })).rejects.toThrow(/refused the PIN/);
        await expect(open({ ...e.env, SEPAR_PKCS11_TOKEN: 'no-such-token' })).rejects.toThrow(/no PKCS#11 token/);
        const other = hsmToken();
        await expect(open({ ...e.env, ...other })).rejects.toThrow(/no 'separ-root' key|wrapped by/);
        const again = await open(e.env);
        expect(await lookup(again, c?.email ?? '')).toEqual([c?.id]);
        await again.close();
      });

    if (root === 'keyring')
      it('creates an evaluation passphrase (0600) on first start, refuses a wrong passphrase and a missing keyring without writing', async () => {
        const e = await freshEnv(dialect, {}, root);
        cleanup.push(e.drop);
        const rt = await open(e.env);
        const [c] = await makeContacts(rt, 1, 'first');
        await rt.close();
        const passFile = join(e.dir, 'keyring.passphrase');
        expect(statSync(passFile).mode & 0o777).toBe(0o600);
        expect(statSync(join(e.dir, 'keyring.json')).mode & 0o777).toBe(0o600);

        const keyringBefore = readFileSync(join(e.dir, 'keyring.json'));
        await expect(open({ ...e.env, SEPAR_PASSPHRASE: 'definitely the wrong passphrase' })).rejects.toThrow(
          /wrong keyring passphrase/,
        );
        expect(readFileSync(join(e.dir, 'keyring.json'))).toEqual(keyringBefore);

        // the database without its keyring: refused, and nothing is created in its place
        const moved = join(e.dir, 'elsewhere.json');
        writeFileSync(moved, keyringBefore);
        rmSync(join(e.dir, 'keyring.json'));
        await expect(open({ ...e.env, SEPAR_KEYRING_FILE: join(e.dir, 'missing.json') })).rejects.toThrow(
          /keyring file .* is missing/,
        );
        expect(existsSync(join(e.dir, 'missing.json'))).toBe(false);

        // a different keyring (another installation's) cannot open this database's keys
        const other = await freshEnv('sqlite');
        cleanup.push(other.drop);
        await (await open(other.env)).close();
        await expect(
          open({
            ...e.env,
            SEPAR_KEYRING_FILE: join(other.dir, 'keyring.json'),
            SEPAR_PASSPHRASE_FILE: join(other.dir, 'keyring.passphrase'),
          }),
        ).rejects.toThrow(/wrapped by root/);

        const again = await open({ ...e.env, SEPAR_KEYRING_FILE: moved });
        expect(await lookup(again, c?.email ?? '')).toEqual([c?.id]);
        await again.close();
      });

    it('crypto-shreds one subject: its personal data is unreadable everywhere, the rest remains', async () => {
      const e = await freshEnv(dialect, {}, root);
      cleanup.push(e.drop);
      const rt = await open(e.env);
      const [a, b] = await makeContacts(rt, 2, 'shred');
      expect(await rt.crypto.destroySubject('contacts', a?.id ?? '')).toBe(1);
      const gone = await rt.crm.records.contacts.get(systemActor('test'), a?.id ?? '');
      expect(gone).toMatchObject({ firstName: 'P0', email: null, phone: null });
      expect(await lookup(rt, a?.email ?? '')).toEqual([]);
      expect(await lookup(rt, b?.email ?? '')).toEqual([b?.id]);
      await rt.close();
      // also after a restart (no cache)
      const rt2 = await open(e.env);
      expect((await rt2.crm.records.contacts.get(systemActor('test'), a?.id ?? '')).email).toBeNull();
      await rt2.close();
    });

    it('moves values in and out of the envelope when a field is reclassified', async () => {
      const e = await freshEnv(dialect, {}, root);
      cleanup.push(e.drop);
      const rt = await open(e.env);
      const admin = systemActor('test');
      const field = await rt.crm.fields.create(admin, {
        object: 'contacts',
        key: 'nickname',
        label: 'Nickname',
        type: 'text',
        classification: 'internal',
      });
      const owner = await ownerId(rt);
      const c = await rt.crm.records.contacts.create(admin, {
        firstName: 'Nick',
        ownerId: owner,
        custom: { nickname: 'Zanjabil' },
      });
      const raw = async (): Promise<{ custom: string; sealed: string | null }> => {
        const r = await rt.db.kysely
          .selectFrom('contacts')
          .select(['custom', 'sealed'])
          .where('id', '=', String(c.id))
          .executeTakeFirstOrThrow();
        return r;
      };
      expect((await raw()).custom).toContain('Zanjabil');
      const upd = await rt.crm.fields.update(admin, field.id, { classification: 'restricted' }, field.version);
      await rt.crm.storage.idle();
      expect((await raw()).custom).not.toContain('Zanjabil');
      expect((await raw()).sealed).not.toBeNull();
      expect((await rt.crm.records.contacts.get(admin, String(c.id))).custom).toEqual({ nickname: 'Zanjabil' });
      expect((await rt.crm.records.contacts.list(admin, { 'custom.nickname': 'zanjabil' })).items).toHaveLength(1);
      await rt.crm.fields.update(admin, field.id, { classification: 'public' }, upd.version);
      await rt.crm.storage.idle();
      expect((await raw()).custom).toContain('Zanjabil');
      expect((await rt.crm.records.contacts.list(admin, { q: 'zanjabil' })).items).toHaveLength(1);
      await rt.close();
    });

    it('rotates keys online, survives a crash mid-sweep, and keeps every read and lookup working after a restart', async () => {
      const e = await freshEnv(dialect, {}, root);
      cleanup.push(e.drop);
      const rt = await open(e.env);
      const contacts = await makeContacts(rt, 30, 'rot');
      const before = await rt.rotation.status();
      expect(before.keks.map((k) => k.status)).toEqual(['active']);
      const started = await rt.rotation.start();
      // a write during the rotation is readable and findable afterwards
      const during = await makeContacts(rt, 1, 'during');
      let seen = 0;
      await expect(
        rt.rotation.resume({
          beforeRow: () => {
            if (++seen === 12) throw new Error('injected crash');
          },
        }),
      ).rejects.toThrow('injected crash');
      const mid = await rt.rotation.status();
      expect(mid.rotation?.state).toBe('running');
      for (const c of [...contacts, ...during]) expect(await lookup(rt, c.email)).toEqual([c.id]);
      await rt.close();

      const rt2 = await open(e.env);
      const done = await rt2.rotation.resume();
      expect(done?.id).toBe(started.id);
      const after = await rt2.rotation.status();
      expect(after.keks.map((k) => k.status)).toEqual(['retired', 'active']);
      expect(after.epochs.find((x) => x.status === 'active')?.epoch).toBe(2);
      expect(after.deksOnOldKeks).toBe(0);
      expect(after.epochs.find((x) => x.epoch === 1)?.indexRows).toBe(0);
      await rt2.close();

      const rt3 = await open(e.env);
      for (const c of [...contacts, ...during]) {
        expect(await lookup(rt3, c.email)).toEqual([c.id]);
        expect((await rt3.crm.records.contacts.get(systemActor('test'), c.id)).email).toBe(c.email);
      }
      await rt3.close();
    });
  });
}

describe('HTTP stays available while keys rotate', () => {
  let rt: Runtime;
  let e: Env;
  beforeAll(async () => {
    e = await freshEnv('sqlite');
    rt = await open(e.env);
  });
  afterAll(async () => {
    await rt.close();
    await e.drop();
  });
  it('serves reads during a rotation', async () => {
    const [c] = await makeContacts(rt, 5, 'http');
    const app = await buildHttpApp(rt);
    await rt.rotation.start();
    const sweeping = rt.rotation.resume();
    const token = await rt.identity.tokens.createToken(systemActor('test'), { userId: await ownerId(rt), name: 't' });
    const r = await app.inject({
      method: 'GET',
      url: `/api/v1/contacts/${c?.id ?? ''}`,
      headers: { authorization: `Bearer ${token.token}` },
    });
    expect(r.statusCode).toBe(200);
    await sweeping;
    await app.close();
  });
});
