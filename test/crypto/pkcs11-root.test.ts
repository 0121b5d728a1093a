import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pkcs11js from 'pkcs11js';
import type { Handle, PKCS11 } from 'pkcs11js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPkcs11Root, PKCS11_ROOT_LABEL, type Pkcs11RootConfig } from '../../src/security/crypto/pkcs11-root.js';
import { KeyringError, type RootKey } from '../../src/security/crypto/root-key.js';

/*
 * The PKCS#11 root against a real token: SoftHSM2, in a token store of this file's own (a temp dir
 * prepared by scripts/softhsm-init.sh). Nothing is skipped: without SoftHSM2 the suite fails and
 * says how to install it (CI installs it through .ci/run).
 */

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const INIT_SCRIPT = join(REPO, 'scripts', 'softhsm-init.sh');
const DEBIAN_MODULE = '/usr/lib/softhsm/libsofthsm2.so';
const PIN = '1234';
const MAIN = 'separ-test';
/** Never given a key: the `create: false` refusal. */
const EMPTY = 'separ-empty';
/** Holds a different root, to show one root cannot unwrap the other's blobs. */
const OTHER = 'separ-other';

function softHsmMissing(): string | null {
  const problems: string[] = [];
  if (!existsSync(DEBIAN_MODULE)) problems.push(`${DEBIAN_MODULE} is missing`);
  try {
    execFileSync('softhsm2-util', ['--version'], { stdio: 'ignore' });
  } catch {
    problems.push('softhsm2-util is not on PATH');
  }
  if (problems.length === 0) return null;
  const fix =
    process.env.CI === 'true'
      ? 'CI must provide it: .ci/run installs the Debian package softhsm2 (APT_PACKAGES)'
      : 'install it with: apt-get install softhsm2';
  return `the PKCS#11 root tests need SoftHSM2, which is not installed (${problems.join('; ')}); ${fix}`;
}

interface TokenStore {
  conf: string;
  module: string;
}

/** Run the init script the way a shell would use it (`eval "$(…)"`) and read back what it exported. */
function initToken(dir: string, label: string): TokenStore & { stderr: string } {
  const out = execFileSync(
    'bash',
    [
      '-c',
      'err=$(mktemp); trap "rm -f $err" EXIT; eval "$("$0" "$1" 2>"$err")"; printf "%s\\n%s\\n" "$SOFTHSM2_CONF" "$SEPAR_PKCS11_MODULE"; cat "$err"',
      INIT_SCRIPT,
      dir,
    ],
    { env: { ...process.env, SEPAR_SOFTHSM_LABEL: label }, encoding: 'utf8' },
  );
  const [conf = '', module = '', ...rest] = out.split('\n');
  return { conf, module, stderr: rest.join('\n') };
}

function tokenLabels(conf: string): string[] {
  const out = execFileSync('softhsm2-util', ['--show-slots'], {
    env: { ...process.env, SOFTHSM2_CONF: conf },
    encoding: 'utf8',
  });
  return [...out.matchAll(/^\s*Label:\s*(.*?)\s*$/gm)].map((m) => m[1] ?? '').filter((l) => l !== '');
}

let dir = '';
let store: TokenStore = { conf: '', module: '' };
let previousConf: string | undefined;

function cfg(over: Partial<Pkcs11RootConfig> = {}): Pkcs11RootConfig {
  return { module: store.module, token: MAIN, pin: PIN, ...over };
}

/** The error an open (or any root call) was refused with. */
async function refusal(p: Promise<unknown>): Promise<KeyringError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(KeyringError);
    const e = err as KeyringError;
    expect(e.message).not.toContain('\n');
    return e;
  }
  throw new Error('expected a KeyringError, but the call succeeded');
}

async function withRoot<T>(config: Pkcs11RootConfig, create: boolean, fn: (root: RootKey) => Promise<T>): Promise<T> {
  const root = await openPkcs11Root(config, { create });
  try {
    return await fn(root);
  } finally {
    await root.close();
  }
}

/**
 * Look inside the token directly through pkcs11js, independent of the code under test. Only while
 * no root is open: Cryptoki state is per process.
 */
function withRawSession<T>(token: string, fn: (lib: PKCS11, session: Handle) => T, loginFirst = true): T {
  const lib = new pkcs11js.PKCS11();
  lib.load(store.module);
  lib.C_Initialize();
  try {
    const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trim() === token);
    if (!slot) throw new Error(`test setup: no token ${token}`);
    const session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    if (loginFirst) lib.C_Login(session, pkcs11js.CKU_USER, PIN);
    return fn(lib, session);
  } finally {
    lib.C_Finalize();
    lib.close();
  }
}

function findRootKeys(lib: PKCS11, session: Handle): Handle[] {
  lib.C_FindObjectsInit(session, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
    { type: pkcs11js.CKA_LABEL, value: PKCS11_ROOT_LABEL },
  ]);
  const found = lib.C_FindObjects(session, 10);
  lib.C_FindObjectsFinal(session);
  return found;
}

function countRootKeys(token: string): number {
  return withRawSession(token, (lib, session) => findRootKeys(lib, session).length);
}

/**
 * A separate Node process decrypts a blob with plain pkcs11js (other GCM parameter shape, no code
 * from src/): proves the key persists in the token across processes and that the blob is exactly
 * IV(12) ‖ ciphertext ‖ tag(16) with AAD `${id}|${context}`.
 */
const CHILD_UNWRAP = `
const p = require('pkcs11js');
const [module, token, pin, blobHex, aad] = process.argv.slice(1);
const lib = new p.PKCS11();
lib.load(module);
lib.C_Initialize();
const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trim() === token);
const session = lib.C_OpenSession(slot, p.CKF_SERIAL_SESSION);
lib.C_Login(session, p.CKU_USER, pin);
lib.C_FindObjectsInit(session, [{ type: p.CKA_LABEL, value: 'separ-root' }]);
const key = lib.C_FindObjects(session);
lib.C_FindObjectsFinal(session);
const blob = Buffer.from(blobHex, 'hex');
const iv = blob.subarray(0, 12);
lib.C_DecryptInit(session, { mechanism: p.CKM_AES_GCM, parameter: { type: p.CK_PARAMS_GCM, iv, ivBits: 96, aad: Buffer.from(aad), tagBits: 128 } }, key);
const out = lib.C_Decrypt(session, blob.subarray(12), Buffer.alloc(blob.length));
process.stdout.write(out.toString('hex'));
lib.C_Logout(session);
lib.C_Finalize();
`;

describe('PKCS#11 root key (SoftHSM2)', () => {
  beforeAll(() => {
    const missing = softHsmMissing();
    if (missing) throw new Error(missing);
    dir = mkdtempSync(join(tmpdir(), 'separ-pkcs11-'));
    store = initToken(dir, MAIN);
    initToken(dir, EMPTY);
    initToken(dir, OTHER);
    // SoftHSM2 reads SOFTHSM2_CONF in C_Initialize, which runs on the first open below.
    previousConf = process.env.SOFTHSM2_CONF;
    process.env.SOFTHSM2_CONF = store.conf;
  });

  afterAll(() => {
    if (previousConf === undefined) delete process.env.SOFTHSM2_CONF;
    else process.env.SOFTHSM2_CONF = previousConf;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prepares its own token store, idempotently', () => {
    expect(store.conf).toBe(join(realpathSync(dir), 'softhsm2.conf'));
    expect(existsSync(store.module)).toBe(true);
    const again = initToken(dir, MAIN);
    expect(again.conf).toBe(store.conf);
    expect(again.stderr).toContain('already present');
    expect(tokenLabels(store.conf).sort()).toEqual([EMPTY, OTHER, MAIN].sort());
  });

  it('creates the root inside an empty token', async () => {
    expect(countRootKeys(MAIN)).toBe(0);
    await withRoot(cfg(), true, async (root) => {
      expect(root.kind).toBe('pkcs11');
      expect(root.id).toMatch(/^hsm-[0-9a-f]{32}$/);
      const kek = randomBytes(32);
      const blob = await root.wrap(kek, 'kek:one');
      expect(blob.length).toBe(12 + 32 + 16);
      expect(blob.includes(kek)).toBe(false);
      expect((await root.wrap(kek, 'kek:one')).equals(blob)).toBe(false); // fresh IV each time
      expect((await root.unwrap(blob, 'kek:one')).equals(kek)).toBe(true);
    });
    expect(countRootKeys(MAIN)).toBe(1);
  });

  it('a reopened root finds the same key and unwraps what the first one wrapped', async () => {
    const kek = randomBytes(32);
    const first = await openPkcs11Root(cfg(), { create: true });
    const id = first.id;
    const blob = await first.wrap(kek, 'kek:persist');
    await first.close();
    await first.close(); // idempotent

    // The module was finalised and unloaded: this open starts from a fresh Cryptoki state.
    await withRoot(cfg(), false, async (second) => {
      expect(second.id).toBe(id);
      expect((await second.unwrap(blob, 'kek:persist')).equals(kek)).toBe(true);
    });
    await withRoot(cfg(), true, async (third) => expect(third.id).toBe(id));
    expect(countRootKeys(MAIN)).toBe(1); // create:true found the key, it made no second one

    // And from another process, with plain pkcs11js and the documented blob layout.
    const out = execFileSync(
      process.execPath,
      ['-e', CHILD_UNWRAP, store.module, MAIN, PIN, blob.toString('hex'), `${id}|kek:persist`],
      {
        cwd: REPO,
        env: { ...process.env, SOFTHSM2_CONF: store.conf },
        encoding: 'utf8',
      },
    );
    expect(out).toBe(kek.toString('hex'));
  });

  it('refuses a wrong PIN with one clear line, and recovers for the right one', async () => {
    const e = await refusal(openPkcs11Root(cfg({ pin: '0000' }), { create: true }));
    expect(e.message).toBe(`the HSM refused the PIN for token '${MAIN}'`);
    // the failed open released its session and the module: a right PIN works at once
    await withRoot(cfg(), false, async (root) => expect(root.id).toMatch(/^hsm-/));
  });

  it('refuses a wrong PIN even while this process is already logged in to the token', async () => {
    await withRoot(cfg(), true, async (a) => {
      const e = await refusal(openPkcs11Root(cfg({ pin: '4321' }), { create: true }));
      expect(e.message).toBe(`the HSM refused the PIN for token '${MAIN}'`);
      // two roots at once share the login; closing one leaves the other working
      const b = await openPkcs11Root(cfg(), { create: false });
      expect(b.id).toBe(a.id);
      const blob = await b.wrap(Buffer.alloc(32, 1), 'kek:shared');
      await b.close();
      expect((await a.unwrap(blob, 'kek:shared')).equals(Buffer.alloc(32, 1))).toBe(true);
    });
  });

  it('refuses an unknown token label and a missing module', async () => {
    const e = await refusal(openPkcs11Root(cfg({ token: 'no-such-token' }), { create: true }));
    expect(e.message).toBe(`no PKCS#11 token labelled 'no-such-token' in ${store.module}`);
    const m = await refusal(openPkcs11Root(cfg({ module: join(dir, 'missing.so') }), { create: true }));
    expect(m.message).toBe(`the PKCS#11 module ${join(dir, 'missing.so')} does not exist`);
  });

  it('refuses to unwrap a tampered blob, a wrong context or another root’s blob', async () => {
    const kek = randomBytes(32);
    const foreign = await withRoot(cfg({ token: OTHER }), true, (other) => other.wrap(kek, 'kek:t'));
    await withRoot(cfg(), true, async (root) => {
      const blob = await root.wrap(kek, 'kek:t');
      const flip = (i: number): Buffer => {
        const b = Buffer.from(blob);
        b[i] = (b[i] ?? 0) ^ 0x01;
        return b;
      };
      const bad: [string, Buffer, string][] = [
        ['IV', flip(0), 'kek:t'],
        ['ciphertext', flip(12), 'kek:t'],
        ['tag', flip(blob.length - 1), 'kek:t'],
        ['truncated', blob.subarray(0, blob.length - 1), 'kek:t'],
        ['too short', blob.subarray(0, 28), 'kek:t'],
        ['empty', Buffer.alloc(0), 'kek:t'],
        ['extended', Buffer.concat([blob, Buffer.from([0])]), 'kek:t'],
        ['wrong context', blob, 'kek:u'],
        ['other root', foreign, 'kek:t'],
      ];
      for (const [what, b, context] of bad) {
        const e = await refusal(root.unwrap(b, context));
        expect(e.message, what).toBe(`a key wrapped for '${context}' cannot be unwrapped by root ${root.id}`);
      }
      // failures leave the session usable
      expect((await root.unwrap(blob, 'kek:t')).equals(kek)).toBe(true);
    });
  });

  it('with create:false on a token without the key, refuses and creates nothing', async () => {
    const e = await refusal(openPkcs11Root(cfg({ token: EMPTY }), { create: false }));
    expect(e.message).toBe(
      `the HSM has no '${PKCS11_ROOT_LABEL}' key in token '${EMPTY}', but the database holds keys wrapped by it`,
    );
    expect(countRootKeys(EMPTY)).toBe(0);
  });

  it('keeps the key inside the token: sensitive, never extractable, unreadable, unwrappable', async () => {
    const id = await withRoot(cfg(), true, async (root) => root.id);
    withRawSession(MAIN, (lib, session) => {
      const [key, ...more] = findRootKeys(lib, session);
      expect(key).toBeDefined();
      expect(more).toHaveLength(0);
      if (!key) return;
      const attrs = new Map(
        lib
          .C_GetAttributeValue(session, key, [
            { type: pkcs11js.CKA_EXTRACTABLE },
            { type: pkcs11js.CKA_SENSITIVE },
            { type: pkcs11js.CKA_NEVER_EXTRACTABLE },
            { type: pkcs11js.CKA_ALWAYS_SENSITIVE },
            { type: pkcs11js.CKA_TOKEN },
            { type: pkcs11js.CKA_PRIVATE },
            { type: pkcs11js.CKA_WRAP },
            { type: pkcs11js.CKA_VALUE_LEN },
            { type: pkcs11js.CKA_KEY_TYPE },
            { type: pkcs11js.CKA_ID },
          ])
          .map((a) => [a.type, a.value]),
      );
      const bool = (t: number): boolean | undefined => (attrs.has(t) ? attrs.get(t)?.[0] === 1 : undefined);
      const ulong = (t: number): number | undefined => attrs.get(t)?.readUInt32LE(0);
      expect(bool(pkcs11js.CKA_EXTRACTABLE)).toBe(false);
      expect(bool(pkcs11js.CKA_SENSITIVE)).toBe(true);
      expect(bool(pkcs11js.CKA_NEVER_EXTRACTABLE)).toBe(true);
      expect(bool(pkcs11js.CKA_ALWAYS_SENSITIVE)).toBe(true);
      expect(bool(pkcs11js.CKA_TOKEN)).toBe(true);
      expect(bool(pkcs11js.CKA_PRIVATE)).toBe(true);
      expect(bool(pkcs11js.CKA_WRAP)).toBe(false);
      expect(ulong(pkcs11js.CKA_VALUE_LEN)).toBe(32);
      expect(ulong(pkcs11js.CKA_KEY_TYPE)).toBe(pkcs11js.CKK_AES);
      expect(`hsm-${attrs.get(pkcs11js.CKA_ID)?.toString('hex')}`).toBe(id);

      // CKA_VALUE cannot be read ...
      expect(() => lib.C_GetAttributeValue(session, key, [{ type: pkcs11js.CKA_VALUE }])).toThrow(
        /CKR_ATTRIBUTE_SENSITIVE/,
      );
      // ... nor exported under another key the caller controls.
      const wrapper = lib.C_GenerateKey(session, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
        { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
        { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
        { type: pkcs11js.CKA_TOKEN, value: false },
        { type: pkcs11js.CKA_WRAP, value: true },
      ]);
      expect(() =>
        lib.C_WrapKey(session, { mechanism: pkcs11js.CKM_AES_KEY_WRAP_PAD }, wrapper, key, Buffer.alloc(64)),
      ).toThrow(/CKR_KEY_UNEXTRACTABLE/);
    });
    // CKA_PRIVATE: without a login the key is not even visible.
    expect(withRawSession(MAIN, (lib, session) => findRootKeys(lib, session).length, false)).toBe(0);
  });

  it('serialises concurrent wraps and unwraps on its one session', async () => {
    await withRoot(cfg(), true, async (root) => {
      const keys = Array.from({ length: 32 }, () => randomBytes(32));
      const blobs = await Promise.all(keys.map((k, i) => root.wrap(k, `kek:${i}`)));
      const back = await Promise.all(blobs.map((b, i) => root.unwrap(b, `kek:${i}`)));
      back.forEach((k, i) => expect(k.equals(keys[i] ?? Buffer.alloc(0))).toBe(true));
    });
  });

  it('refuses to work once closed, and to wrap nothing', async () => {
    const root = await openPkcs11Root(cfg(), { create: true });
    expect((await refusal(root.wrap(Buffer.alloc(0), 'kek:empty'))).message).toBe('refusing to wrap an empty key');
    const blob = await root.wrap(randomBytes(32), 'kek:c');
    await root.close();
    expect((await refusal(root.wrap(randomBytes(32), 'kek:c'))).message).toBe(`the PKCS#11 root ${root.id} is closed`);
    await refusal(root.unwrap(blob, 'kek:c'));
  });
});
