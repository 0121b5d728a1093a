import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { InstallationKeys } from './installation-keys.js';

/**
 * Seals secrets identity must keep and use again (TOTP seeds). `purpose` names what the value is and whose
 * (`totp:<userId>`): it is bound into the ciphertext, so a sealed value moved to another row or purpose does
 * not open. Swapping the implementation (e.g. for the keyring-backed key hierarchy) is one line in
 * createIdentity; values name their format and key id, so old ones stay readable during a migration.
 */
export interface SecretSealer {
  seal(purpose: string, plaintext: string): Promise<string>;
  open(purpose: string, sealed: string): Promise<string>;
}

export class SealedValueError extends Error {
  constructor() {
    super('sealed value cannot be opened: wrong key, wrong purpose or tampered');
    this.name = 'SealedValueError';
  }
}

const FORMAT = 'sv1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM under an HKDF-derived key of the per-installation secret (InstallationKeys). Layout:
 * `sv1.<keyId>.<base64url(nonce ‖ ciphertext ‖ tag)>`, AAD = format ‖ keyId ‖ purpose. Random 96-bit nonces:
 * far below 2^32 encryptions per key (one per TOTP enrolment).
 */
export class LocalSecretSealer implements SecretSealer {
  constructor(private readonly keys: InstallationKeys) {}

  async seal(purpose: string, plaintext: string): Promise<string> {
    const key = await this.keys.key('seal');
    const kid = InstallationKeys.keyId(key);
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(aad(kid, purpose));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${FORMAT}.${kid}.${Buffer.concat([nonce, ct, cipher.getAuthTag()]).toString('base64url')}`;
  }

  async open(purpose: string, sealed: string): Promise<string> {
    const [format, kid, body] = sealed.split('.');
    if (format !== FORMAT || !kid || !body) throw new SealedValueError();
    const key = await this.keys.key('seal');
    if (InstallationKeys.keyId(key) !== kid) throw new SealedValueError();
    const raw = Buffer.from(body, 'base64url');
    if (raw.length < NONCE_BYTES + TAG_BYTES) throw new SealedValueError();
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE_BYTES));
      decipher.setAAD(aad(kid, purpose));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SealedValueError();
    }
  }
}

const aad = (kid: string, purpose: string): Buffer => Buffer.from(`${FORMAT}\0${kid}\0${purpose}`, 'utf8');
