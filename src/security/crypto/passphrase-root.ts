import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import argon2 from 'argon2';
import { newId } from '../../platform/ids.js';
import { KeyringError, type RootKey } from './root-key.js';

/**
 * The embedded root key: 32 random bytes sealed with AES-256-GCM under a key derived from the
 * passphrase with argon2id (64 MiB, t = 3). The file lives apart from the database and holds no
 * data keys; without it (and the passphrase) a copy of the database is unreadable.
 */
const FORMAT = 'separ-keyring/1';
const KDF = { alg: 'argon2id', memoryCost: 65536, timeCost: 3, parallelism: 1 } as const;

interface KeyringFile {
  format: typeof FORMAT;
  rootKeyId: string;
  kdf: { alg: 'argon2id'; memoryCost: number; timeCost: number; parallelism: number; salt: string };
  sealed: string;
  createdAt: string;
}

async function deriveKey(passphrase: string, salt: Buffer, kdf: KeyringFile['kdf']): Promise<Buffer> {
  return argon2.hash(passphrase.normalize('NFKC'), {
    type: argon2.argon2id,
    raw: true,
    salt,
    memoryCost: kdf.memoryCost,
    timeCost: kdf.timeCost,
    parallelism: kdf.parallelism,
    hashLength: 32,
  });
}

function gcm(key: Buffer, data: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(aad);
  const ct = Buffer.concat([c.update(data), c.final()]);
  return Buffer.concat([iv, ct, c.getAuthTag()]);
}

function ungcm(key: Buffer, blob: Buffer, aad: Buffer): Buffer | null {
  if (blob.length < 28) return null;
  try {
    const d = createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12));
    d.setAAD(aad);
    d.setAuthTag(blob.subarray(blob.length - 16));
    return Buffer.concat([d.update(blob.subarray(12, blob.length - 16)), d.final()]);
  } catch {
    return null;
  }
}

class KeyringRoot implements RootKey {
  readonly kind = 'keyring' as const;
  constructor(
    readonly id: string,
    private readonly key: Buffer,
  ) {}

  wrap(key: Buffer, context: string): Promise<Buffer> {
    return Promise.resolve(gcm(this.key, key, Buffer.from(`${this.id}|${context}`)));
  }

  unwrap(blob: Buffer, context: string): Promise<Buffer> {
    const out = ungcm(this.key, blob, Buffer.from(`${this.id}|${context}`));
    if (!out)
      return Promise.reject(new KeyringError(`a key wrapped for '${context}' cannot be unwrapped by root ${this.id}`));
    return Promise.resolve(out);
  }

  close(): Promise<void> {
    this.key.fill(0);
    return Promise.resolve();
  }
}

export interface PassphraseSource {
  passphrase: string;
  /** Generated for evaluation: warn loudly. */
  generated: boolean;
  origin: string;
}

/** The shortest keyring passphrase accepted (from the environment or a file). */
export const MIN_PASSPHRASE = 16;
const TOO_SHORT = `the keyring passphrase must be at least ${MIN_PASSPHRASE} characters`;

/**
 * Where the passphrase comes from: SEPAR_PASSPHRASE, SEPAR_PASSPHRASE_FILE, or — for evaluation
 * only, on a first start — a random passphrase written to the data dir (0600).
 */
export function resolvePassphrase(opts: {
  passphrase: string | null;
  passphraseFile: string | null;
  dataDir: string;
  keyringExists: boolean;
}): PassphraseSource {
  if (opts.passphrase) {
    // The same floor as a passphrase file (keyring.json is open to offline guessing once copied). A keyring that
    // already exists keeps opening with the passphrase it was sealed with — refusing it would lock its owner out —
    // and start-up warns instead (root-loader.ts).
    if (opts.passphrase.length < MIN_PASSPHRASE && !opts.keyringExists) throw new KeyringError(TOO_SHORT);
    return { passphrase: opts.passphrase, generated: false, origin: 'SEPAR_PASSPHRASE' };
  }
  if (opts.passphraseFile) {
    let text: string;
    try {
      text = readFileSync(opts.passphraseFile, 'utf8');
    } catch {
      throw new KeyringError(`SEPAR_PASSPHRASE_FILE '${opts.passphraseFile}' cannot be read`);
    }
    const p = text.split(/\r?\n/)[0] ?? '';
    if (p.length < MIN_PASSPHRASE) throw new KeyringError(TOO_SHORT);
    return { passphrase: p, generated: false, origin: 'SEPAR_PASSPHRASE_FILE' };
  }
  const evalFile = join(opts.dataDir, 'keyring.passphrase');
  if (existsSync(evalFile)) {
    return { passphrase: readFileSync(evalFile, 'utf8').trim(), generated: true, origin: evalFile };
  }
  if (opts.keyringExists) {
    throw new KeyringError(
      'the keyring exists but no passphrase is configured (set SEPAR_PASSPHRASE or SEPAR_PASSPHRASE_FILE)',
    );
  }
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const passphrase = randomBytes(32).toString('base64url');
  writeFileSync(evalFile, `${passphrase}\n`, { mode: 0o600, flag: 'wx' });
  return { passphrase, generated: true, origin: evalFile };
}

/** Open the keyring file, creating it (and its root key) when it does not exist yet. */
export async function openKeyringFile(file: string, passphrase: string): Promise<{ root: RootKey; created: boolean }> {
  if (existsSync(file)) {
    let parsed: KeyringFile;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8')) as KeyringFile;
    } catch {
      throw new KeyringError(`the keyring file ${file} is not readable JSON`);
    }
    if (parsed.format !== FORMAT || !parsed.kdf || typeof parsed.sealed !== 'string') {
      throw new KeyringError(`the keyring file ${file} has an unknown format`);
    }
    const wrapKey = await deriveKey(passphrase, Buffer.from(parsed.kdf.salt, 'base64'), parsed.kdf);
    const root = ungcm(wrapKey, Buffer.from(parsed.sealed, 'base64'), Buffer.from(`${FORMAT}|${parsed.rootKeyId}`));
    wrapKey.fill(0);
    if (!root) throw new KeyringError('wrong keyring passphrase (or the keyring file was altered)');
    return { root: new KeyringRoot(parsed.rootKeyId, root), created: false };
  }
  const rootKeyId = `root-${newId()}`;
  const salt = randomBytes(16);
  const kdf = { ...KDF, salt: salt.toString('base64') };
  const wrapKey = await deriveKey(passphrase, salt, kdf);
  const rootKey = randomBytes(32);
  const content: KeyringFile = {
    format: FORMAT,
    rootKeyId,
    kdf,
    sealed: gcm(wrapKey, rootKey, Buffer.from(`${FORMAT}|${rootKeyId}`)).toString('base64'),
    createdAt: new Date().toISOString(),
  };
  wrapKey.fill(0);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(content, null, 2), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return { root: new KeyringRoot(rootKeyId, rootKey), created: true };
}
