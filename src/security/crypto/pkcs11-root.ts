import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { endianness } from 'node:os';
import pkcs11js from 'pkcs11js';
import type { GcmParams, Handle, Mechanism, PKCS11, Template } from 'pkcs11js';
import { KeyringError, type RootKey } from './root-key.js';

/**
 * The root key (L0) held in an HSM over PKCS#11: a non-extractable AES-256 secret key labelled
 * 'separ-root', generated inside the token. Wrapping is AES-256-GCM performed by the token
 * (CKM_AES_GCM, 96-bit random IV, 128-bit tag, AAD = `${id}|${context}`); blobs are
 * IV ‖ ciphertext ‖ tag, the same layout as the keyring file's root. The key material never
 * leaves the token, so a copy of the database and of the host's memory image is not enough to
 * unwrap a KEK later: the HSM (and its PIN) must be there.
 */

export interface Pkcs11RootConfig {
  /** Path of the PKCS#11 module (shared library). */
  readonly module: string;
  /** Token label (CKA_LABEL of the token, without the blank padding). */
  readonly token: string;
  /** User PIN. */
  readonly pin: string;
}

export interface Pkcs11RootOptions {
  /** Generate the 'separ-root' key when the token has none (only when the database holds no wrapped keys). */
  readonly create: boolean;
}

/** The CKA_LABEL of the root key object inside the token. */
export const PKCS11_ROOT_LABEL = 'separ-root';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const CKA_ID_BYTES = 16;

/**
 * pkcs11js offers three shapes for GCM parameters. CK_PARAMS_AES_GCM fills the 2.40
 * CK_GCM_PARAMS struct but leaves ulIvBits uninitialised (malloc garbage); modules that read it
 * (2.40+ HSMs) would see a random IV bit length. CK_PARAMS_AES_GCM_v240 fills every field, so it
 * is used here. Modules built against the pre-2.40 five-field struct cannot be driven through
 * pkcs11js at all (it has no such shape) and refuse with CKR_MECHANISM_PARAM_INVALID.
 */
function gcmMechanism(iv: Buffer, aad: Buffer): Mechanism {
  const parameter: GcmParams = {
    type: pkcs11js.CK_PARAMS_AES_GCM_v240,
    iv,
    ivBits: IV_BYTES * 8,
    aad,
    tagBits: TAG_BYTES * 8,
  };
  return { mechanism: pkcs11js.CKM_AES_GCM, parameter };
}

/** The CKR_ name of a PKCS#11 error, or the first line of any other error. */
function reason(err: unknown): string {
  if (err instanceof pkcs11js.Pkcs11Error) return err.message;
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]?.trim() ?? 'unknown error';
}

function ckrCode(err: unknown): number | null {
  return err instanceof pkcs11js.Pkcs11Error ? err.code : null;
}

function readBool(value: Buffer | undefined): boolean | null {
  if (!value || value.length === 0) return null;
  return value[0] !== 0;
}

/** CK_ULONG attribute values come back in the platform's native byte order and width. */
function readUlong(value: Buffer | undefined): number | null {
  if (!value) return null;
  const le = endianness() === 'LE';
  if (value.length === 8) return Number(le ? value.readBigUInt64LE(0) : value.readBigUInt64BE(0));
  if (value.length === 4) return le ? value.readUInt32LE(0) : value.readUInt32BE(0);
  return null;
}

function pinDigest(pin: string): Buffer {
  return createHash('sha256').update('separ/pkcs11-pin|').update(pin, 'utf8').digest();
}

/**
 * Cryptoki state is per process and per module: C_Initialize once, and a user login is shared
 * by every session of the application on that token. Roots opened at the same time on the same
 * module (tests, tools) therefore share one initialised module and one login per slot, counted.
 */
interface SlotLogin {
  pin: Buffer;
  sessions: number;
}

interface LoadedModule {
  readonly key: string;
  readonly lib: PKCS11;
  refs: number;
  readonly logins: Map<string, SlotLogin>;
}

const modules = new Map<string, LoadedModule>();

function acquireModule(path: string): LoadedModule {
  let key: string;
  try {
    key = realpathSync(path);
  } catch {
    throw new KeyringError(`the PKCS#11 module ${path} does not exist`);
  }
  const loaded = modules.get(key);
  if (loaded) {
    loaded.refs += 1;
    return loaded;
  }
  const lib = new pkcs11js.PKCS11();
  try {
    lib.load(path);
  } catch (err) {
    throw new KeyringError(`cannot load the PKCS#11 module ${path}: ${reason(err)}`);
  }
  try {
    lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch (err) {
    try {
      lib.close();
    } catch {
      /* the load failed half-way; nothing more to release */
    }
    if (ckrCode(err) === pkcs11js.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
      throw new KeyringError(`the PKCS#11 module ${path} is already in use by other code in this process`);
    }
    throw new KeyringError(`the PKCS#11 module ${path} failed to initialise: ${reason(err)}`);
  }
  const entry: LoadedModule = { key, lib, refs: 1, logins: new Map() };
  modules.set(key, entry);
  return entry;
}

function releaseModule(entry: LoadedModule): void {
  entry.refs -= 1;
  if (entry.refs > 0) return;
  modules.delete(entry.key);
  try {
    entry.lib.C_Finalize();
  } catch {
    /* best effort: the process is letting go of the module either way */
  }
  try {
    entry.lib.close();
  } catch {
    /* idem */
  }
}

function findSlot(lib: PKCS11, cfg: Pkcs11RootConfig): Handle {
  let slots: Handle[];
  try {
    slots = lib.C_GetSlotList(true);
  } catch (err) {
    throw new KeyringError(`cannot list the slots of the PKCS#11 module ${cfg.module}: ${reason(err)}`);
  }
  const matches: Handle[] = [];
  for (const slot of slots) {
    let label: string;
    let flags: number;
    try {
      const info = lib.C_GetTokenInfo(slot);
      label = info.label.replace(/[\s\0]+$/, '');
      flags = info.flags;
    } catch {
      continue; // a slot whose token went away between the two calls
    }
    if ((flags & pkcs11js.CKF_TOKEN_INITIALIZED) !== 0 && label === cfg.token) matches.push(slot);
  }
  const [slot, ...others] = matches;
  if (!slot) throw new KeyringError(`no PKCS#11 token labelled '${cfg.token}' in ${cfg.module}`);
  if (others.length > 0) {
    throw new KeyringError(`more than one PKCS#11 token is labelled '${cfg.token}' in ${cfg.module}`);
  }
  return slot;
}

function login(
  lib: PKCS11,
  logins: Map<string, SlotLogin>,
  slot: Handle,
  session: Handle,
  cfg: Pkcs11RootConfig,
): void {
  const slotKey = slot.toString('hex');
  const digest = pinDigest(cfg.pin);
  const existing = logins.get(slotKey);
  if (existing) {
    // The token already holds this process's login, so C_Login would answer
    // CKR_USER_ALREADY_LOGGED_IN without looking at the PIN: compare with the PIN that worked.
    if (!timingSafeEqual(existing.pin, digest))
      throw new KeyringError(`the HSM refused the PIN for token '${cfg.token}'`);
    existing.sessions += 1;
    return;
  }
  try {
    lib.C_Login(session, pkcs11js.CKU_USER, cfg.pin);
  } catch (err) {
    const code = ckrCode(err);
    if (
      code === pkcs11js.CKR_PIN_INCORRECT ||
      code === pkcs11js.CKR_PIN_INVALID ||
      code === pkcs11js.CKR_PIN_LEN_RANGE
    ) {
      throw new KeyringError(`the HSM refused the PIN for token '${cfg.token}'`);
    }
    if (code === pkcs11js.CKR_PIN_LOCKED)
      throw new KeyringError(`the HSM has locked the user PIN of token '${cfg.token}'`);
    if (code === pkcs11js.CKR_PIN_EXPIRED) throw new KeyringError(`the user PIN of token '${cfg.token}' has expired`);
    if (code === pkcs11js.CKR_USER_PIN_NOT_INITIALIZED) {
      throw new KeyringError(`token '${cfg.token}' has no user PIN yet (initialise it first)`);
    }
    if (code === pkcs11js.CKR_USER_ALREADY_LOGGED_IN) {
      throw new KeyringError(`token '${cfg.token}' is already logged in by other code in this process`);
    }
    throw new KeyringError(`login to token '${cfg.token}' failed: ${reason(err)}`);
  }
  logins.set(slotKey, { pin: digest, sessions: 1 });
}

/** Leave the shared login when this was its last session; the session itself is closed by the caller. */
function leaveLogin(lib: PKCS11, logins: Map<string, SlotLogin>, slot: Handle, session: Handle): void {
  const slotKey = slot.toString('hex');
  const entry = logins.get(slotKey);
  if (!entry) return;
  entry.sessions -= 1;
  if (entry.sessions > 0) return;
  logins.delete(slotKey);
  try {
    lib.C_Logout(session);
  } catch {
    /* closing the session (or finalising) logs out as well */
  }
}

function findRootKey(lib: PKCS11, session: Handle, token: string): Handle | null {
  const template: Template = [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
    { type: pkcs11js.CKA_LABEL, value: PKCS11_ROOT_LABEL },
  ];
  let found: Handle[];
  try {
    lib.C_FindObjectsInit(session, template);
    try {
      found = lib.C_FindObjects(session, 2);
    } finally {
      lib.C_FindObjectsFinal(session);
    }
  } catch (err) {
    throw new KeyringError(`cannot search token '${token}' for the '${PKCS11_ROOT_LABEL}' key: ${reason(err)}`);
  }
  if (found.length > 1) {
    throw new KeyringError(
      `token '${token}' holds more than one '${PKCS11_ROOT_LABEL}' key; remove the one not in use`,
    );
  }
  return found[0] ?? null;
}

function generateRootKey(lib: PKCS11, session: Handle, token: string): Handle {
  const template: Template = [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
    { type: pkcs11js.CKA_VALUE_LEN, value: KEY_BYTES },
    { type: pkcs11js.CKA_LABEL, value: PKCS11_ROOT_LABEL },
    { type: pkcs11js.CKA_ID, value: randomBytes(CKA_ID_BYTES) },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_PRIVATE, value: true },
    { type: pkcs11js.CKA_SENSITIVE, value: true },
    { type: pkcs11js.CKA_EXTRACTABLE, value: false },
    { type: pkcs11js.CKA_ENCRYPT, value: true },
    { type: pkcs11js.CKA_DECRYPT, value: true },
    // KEKs are wrapped as data (C_Encrypt), never as token objects: no wrap, unwrap, sign or derive.
    { type: pkcs11js.CKA_WRAP, value: false },
    { type: pkcs11js.CKA_UNWRAP, value: false },
    { type: pkcs11js.CKA_SIGN, value: false },
    { type: pkcs11js.CKA_VERIFY, value: false },
    { type: pkcs11js.CKA_DERIVE, value: false },
  ];
  try {
    return lib.C_GenerateKey(session, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, template);
  } catch (err) {
    throw new KeyringError(`token '${token}' could not generate the '${PKCS11_ROOT_LABEL}' key: ${reason(err)}`);
  }
}

/** Check the key is what this root needs (and nothing weaker), and derive its stable id from CKA_ID. */
function inspectRootKey(lib: PKCS11, session: Handle, key: Handle, token: string): string {
  let attrs: Map<number, Buffer>;
  try {
    const result = lib.C_GetAttributeValue(session, key, [
      { type: pkcs11js.CKA_KEY_TYPE },
      { type: pkcs11js.CKA_VALUE_LEN },
      { type: pkcs11js.CKA_ID },
      { type: pkcs11js.CKA_SENSITIVE },
      { type: pkcs11js.CKA_EXTRACTABLE },
      { type: pkcs11js.CKA_ENCRYPT },
      { type: pkcs11js.CKA_DECRYPT },
    ]);
    attrs = new Map(result.map((a) => [a.type, a.value]));
  } catch (err) {
    throw new KeyringError(
      `cannot read the attributes of the '${PKCS11_ROOT_LABEL}' key in token '${token}': ${reason(err)}`,
    );
  }
  const what = `the '${PKCS11_ROOT_LABEL}' key in token '${token}'`;
  if (readUlong(attrs.get(pkcs11js.CKA_KEY_TYPE)) !== pkcs11js.CKK_AES)
    throw new KeyringError(`${what} is not an AES key`);
  if (readUlong(attrs.get(pkcs11js.CKA_VALUE_LEN)) !== KEY_BYTES)
    throw new KeyringError(`${what} is not 256 bits long`);
  if (readBool(attrs.get(pkcs11js.CKA_SENSITIVE)) !== true || readBool(attrs.get(pkcs11js.CKA_EXTRACTABLE)) !== false) {
    throw new KeyringError(`${what} can be extracted (it must be CKA_SENSITIVE and not CKA_EXTRACTABLE)`);
  }
  if (readBool(attrs.get(pkcs11js.CKA_ENCRYPT)) !== true || readBool(attrs.get(pkcs11js.CKA_DECRYPT)) !== true) {
    throw new KeyringError(`${what} is not allowed to encrypt and decrypt`);
  }
  const id = attrs.get(pkcs11js.CKA_ID);
  if (!id || id.length === 0) throw new KeyringError(`${what} has no CKA_ID, so it has no stable identity`);
  return `hsm-${id.toString('hex')}`;
}

class Pkcs11Root implements RootKey {
  readonly kind = 'pkcs11' as const;
  /** Cryptoki allows one operation at a time per session: wrap and unwrap take turns. */
  private queue: Promise<void> = Promise.resolve();
  private closing: Promise<void> | null = null;

  constructor(
    readonly id: string,
    private readonly module: LoadedModule,
    private readonly slot: Handle,
    private readonly session: Handle,
    private readonly key: Handle,
  ) {}

  wrap(key: Buffer, context: string): Promise<Buffer> {
    if (key.length === 0) return Promise.reject(new KeyringError('refusing to wrap an empty key'));
    return this.serial(async (lib) => {
      const iv = randomBytes(IV_BYTES);
      try {
        lib.C_EncryptInit(this.session, gcmMechanism(iv, this.aad(context)), this.key);
        // Room to spare: a module that asks for more than it writes must not leave the operation
        // active (CKR_BUFFER_TOO_SMALL does), which would block every later call on this session.
        const sealed = await lib.C_EncryptAsync(this.session, key, Buffer.alloc(key.length + TAG_BYTES + 32));
        if (sealed.length !== key.length + TAG_BYTES)
          throw new Error(`unexpected GCM output of ${sealed.length} bytes`);
        return Buffer.concat([iv, sealed]);
      } catch (err) {
        throw new KeyringError(`the HSM could not wrap a key for '${context}': ${reason(err)}`);
      }
    });
  }

  unwrap(blob: Buffer, context: string): Promise<Buffer> {
    const refused = (): KeyringError =>
      new KeyringError(`a key wrapped for '${context}' cannot be unwrapped by root ${this.id}`);
    if (blob.length < IV_BYTES + TAG_BYTES + 1) return Promise.reject(refused());
    return this.serial(async (lib) => {
      const body = blob.subarray(IV_BYTES);
      // Modules may ask for room for the whole input (SoftHSM2 does) before they check the tag.
      const scratch = Buffer.alloc(body.length);
      try {
        lib.C_DecryptInit(
          this.session,
          gcmMechanism(Buffer.from(blob.subarray(0, IV_BYTES)), this.aad(context)),
          this.key,
        );
        const plain = await lib.C_DecryptAsync(this.session, body, scratch);
        if (plain.length !== body.length - TAG_BYTES) throw new Error('unexpected plaintext length');
        return Buffer.from(plain);
      } catch {
        throw refused();
      } finally {
        scratch.fill(0);
      }
    });
  }

  close(): Promise<void> {
    this.closing ??= this.queue.then(() => {
      const { lib, logins } = this.module;
      leaveLogin(lib, logins, this.slot, this.session);
      try {
        lib.C_CloseSession(this.session);
      } catch {
        /* finalising the module closes it anyway */
      }
      releaseModule(this.module);
    });
    return this.closing;
  }

  private aad(context: string): Buffer {
    return Buffer.from(`${this.id}|${context}`, 'utf8');
  }

  private serial<T>(op: (lib: PKCS11) => Promise<T>): Promise<T> {
    if (this.closing) return Promise.reject(new KeyringError(`the PKCS#11 root ${this.id} is closed`));
    const run = this.queue.then(() => op(this.module.lib));
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}

/**
 * Open the root key inside the PKCS#11 token `cfg.token`. When the token holds no 'separ-root'
 * key, generate one inside it if `create` (a fresh database), else refuse: the database's keys
 * were wrapped by a key this HSM does not have. Every refusal is a KeyringError with one line.
 */
export async function openPkcs11Root(cfg: Pkcs11RootConfig, opts: Pkcs11RootOptions): Promise<RootKey> {
  const mod = acquireModule(cfg.module);
  const { lib } = mod;
  let slot: Handle | null = null;
  let session: Handle | null = null;
  let loggedIn = false;
  try {
    slot = findSlot(lib, cfg);
    try {
      session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    } catch (err) {
      throw new KeyringError(`cannot open a session on PKCS#11 token '${cfg.token}': ${reason(err)}`);
    }
    login(lib, mod.logins, slot, session, cfg);
    loggedIn = true;
    let key = findRootKey(lib, session, cfg.token);
    if (!key) {
      if (!opts.create) {
        throw new KeyringError(
          `the HSM has no '${PKCS11_ROOT_LABEL}' key in token '${cfg.token}', but the database holds keys wrapped by it`,
        );
      }
      key = generateRootKey(lib, session, cfg.token);
    }
    const id = inspectRootKey(lib, session, key, cfg.token);
    return new Pkcs11Root(id, mod, slot, session, key);
  } catch (err) {
    if (slot && session) {
      if (loggedIn) leaveLogin(lib, mod.logins, slot, session);
      try {
        lib.C_CloseSession(session);
      } catch {
        /* released with the module below */
      }
    }
    releaseModule(mod);
    throw err instanceof KeyringError ? err : new KeyringError(`the PKCS#11 root could not be opened: ${reason(err)}`);
  }
}
