import type { CryptoService } from '../crypto/index.js';
import { SealedValueError, type SecretSealer } from './secret-sealer.js';

const FORMAT = 'sk1';

/**
 * Seals identity secrets (TOTP seeds) under the key hierarchy: a key derived from the active KEK,
 * itself wrapped by the keyring or HSM root — so a copy of the database alone does not yield them.
 * Values sealed by the interim installation-key sealer (`sv1.…`) still open through `legacy`, and
 * are re-sealed the next time they are written.
 */
export class HierarchySecretSealer implements SecretSealer {
  constructor(
    private readonly crypto: CryptoService,
    private readonly legacy: SecretSealer,
  ) {}

  seal(purpose: string, plaintext: string): Promise<string> {
    return Promise.resolve(`${FORMAT}.${this.crypto.sealSecret('identity', purpose, Buffer.from(plaintext, 'utf8'))}`);
  }

  /** Sealed by the interim sealer, or under another KEK than the active one: to be sealed anew. */
  isStale(sealed: string): boolean {
    return !sealed.startsWith(`${FORMAT}.`) || this.crypto.secretIsStale(sealed.slice(FORMAT.length + 1));
  }

  async open(purpose: string, sealed: string): Promise<string> {
    if (!sealed.startsWith(`${FORMAT}.`)) return this.legacy.open(purpose, sealed);
    try {
      return this.crypto.openSecret('identity', purpose, sealed.slice(FORMAT.length + 1)).toString('utf8');
    } catch {
      throw new SealedValueError();
    }
  }
}
