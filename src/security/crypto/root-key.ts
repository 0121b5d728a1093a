/**
 * The root of the key hierarchy (L0). It only ever wraps and unwraps key-encryption keys; it never
 * sees data. Implementations: a keyring file sealed under a passphrase (embedded default) or a
 * non-extractable AES key inside an HSM over PKCS#11.
 */
export interface RootKey {
  /** Stable identifier, stored next to everything it wraps. */
  readonly id: string;
  readonly kind: 'keyring' | 'pkcs11';
  wrap(key: Buffer, context: string): Promise<Buffer>;
  /** Throws KeyringError when the blob was not wrapped by this root (or was tampered with). */
  unwrap(blob: Buffer, context: string): Promise<Buffer>;
  close(): Promise<void>;
}

/** A refusal to start or to use keys; its message is the one clear line printed before exiting. */
export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}
