import { createHash, hkdfSync } from 'node:crypto';
import type { InstallationSecretRepository } from './installation-secret.repository.js';

const SETTINGS_KEY = 'identity.installation-secret.v1';
const SECRET_BYTES = 32;

/** What each derived key is for; one HKDF `info` per purpose, so no key serves two roles. */
export type KeyPurpose = 'seal' | 'device-cookie';

/**
 * Identity's keys, derived with HKDF-SHA256 from one random per-installation secret in `settings`.
 * Interim: the secret sits in the same database as what it protects. Once the key hierarchy lands
 * (src/security/crypto), sealing moves to a keyring-held KEK; see SecretSealer.
 */
export class InstallationKeys {
  private master: Promise<Buffer> | undefined;
  private readonly derived = new Map<KeyPurpose, Promise<Buffer>>();

  constructor(private readonly secrets: InstallationSecretRepository) {}

  key(purpose: KeyPurpose): Promise<Buffer> {
    let k = this.derived.get(purpose);
    if (!k) {
      k = this.masterSecret().then((m) =>
        Buffer.from(hkdfSync('sha256', m, Buffer.from('separ/identity/v1'), Buffer.from(`separ/v1/${purpose}`), 32)),
      );
      k.catch(() => this.derived.delete(purpose));
      this.derived.set(purpose, k);
    }
    return k;
  }

  /** A short, non-secret id of a derived key (first 8 bytes of its SHA-256), written next to what it protects. */
  static keyId(key: Buffer): string {
    return createHash('sha256').update(key).digest('hex').slice(0, 16);
  }

  private masterSecret(): Promise<Buffer> {
    if (!this.master) {
      this.master = this.secrets.getOrCreate(SETTINGS_KEY, SECRET_BYTES);
      this.master.catch(() => {
        this.master = undefined;
      });
    }
    return this.master;
  }
}
