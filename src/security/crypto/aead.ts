import { createCipheriv, createDecipheriv } from 'node:crypto';
import sodium from 'sodium-native';
import { fillRandom } from './random-pool.js';

/**
 * Authenticated encryption. XChaCha20-Poly1305 (libsodium) is the default: ~1 µs per small record
 * here and 192-bit random nonces, so no per-key message limit matters. AES-256-GCM (node:crypto) is
 * selectable where FIPS-approved algorithms are mandated. Random nonces of both come from a pool (random-pool.ts).
 * Output layout of `seal`: nonce ‖ ciphertext ‖ tag.
 */
export interface Aead {
  readonly id: AeadId;
  readonly name: AeadName;
  seal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer;
  /** Bytes `seal` adds to the plaintext (nonce and tag). */
  readonly overhead: number;
  /** As `seal`, writing nonce ‖ ciphertext ‖ tag to `out` (exactly plaintext + overhead bytes long). */
  sealInto(key: Buffer, plaintext: Buffer, aad: Buffer, out: Buffer): void;
  /** Throws DecryptError when the key, AAD or bytes are wrong. */
  open(key: Buffer, sealed: Buffer, aad: Buffer): Buffer;
  /** As `open`, writing the plaintext to the start of `out` (when authentic) and returning its length. */
  openInto(key: Buffer, sealed: Buffer, aad: Buffer, out: Buffer): number;
}

export type AeadName = 'xchacha20-poly1305' | 'aes-256-gcm';
export type AeadId = 1 | 2;

export class DecryptError extends Error {
  constructor() {
    super('decryption failed: wrong key, tampered data or wrong context');
    this.name = 'DecryptError';
  }
}

const X_NONCE = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
const X_TAG = sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES;

function xchachaSealInto(key: Buffer, plaintext: Buffer, aad: Buffer, out: Buffer): void {
  if (out.length !== X_NONCE + plaintext.length + X_TAG) throw new RangeError('sealInto: wrong output length');
  const nonce = out.subarray(0, X_NONCE);
  fillRandom(nonce);
  sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(out.subarray(X_NONCE), plaintext, aad, null, nonce, key);
}

export const xchacha: Aead = {
  id: 1,
  name: 'xchacha20-poly1305',
  overhead: X_NONCE + X_TAG,
  seal(key, plaintext, aad) {
    const out = Buffer.allocUnsafe(X_NONCE + plaintext.length + X_TAG);
    xchachaSealInto(key, plaintext, aad, out);
    return out;
  },
  sealInto: xchachaSealInto,
  open(key, sealed, aad) {
    if (sealed.length < X_NONCE + X_TAG) throw new DecryptError();
    const out = Buffer.allocUnsafe(sealed.length - X_NONCE - X_TAG);
    this.openInto(key, sealed, aad, out);
    return out;
  },
  openInto(key, sealed, aad, out) {
    const length = sealed.length - X_NONCE - X_TAG;
    if (length < 0 || length > out.length) throw new DecryptError();
    try {
      // libsodium checks the tag before it decrypts: nothing is written unless the data is authentic.
      sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
        out.subarray(0, length),
        null,
        sealed.subarray(X_NONCE),
        aad,
        sealed.subarray(0, X_NONCE),
        key,
      );
    } catch {
      throw new DecryptError();
    }
    return length;
  },
};

const G_NONCE = 12;
const G_TAG = 16;
function gcmNonce(): Buffer {
  const n = Buffer.allocUnsafe(G_NONCE);
  fillRandom(n);
  return n;
}

export const aesGcm: Aead = {
  id: 2,
  name: 'aes-256-gcm',
  overhead: G_NONCE + G_TAG,
  sealInto(key, plaintext, aad, out) {
    if (out.length !== G_NONCE + plaintext.length + G_TAG) throw new RangeError('sealInto: wrong output length');
    const sealed = aesGcm.seal(key, plaintext, aad);
    sealed.copy(out);
    sealed.fill(0);
  },
  seal(key, plaintext, aad) {
    const nonce = gcmNonce();
    const c = createCipheriv('aes-256-gcm', key, nonce);
    c.setAAD(aad);
    const ct = c.update(plaintext);
    c.final();
    return Buffer.concat([nonce, ct, c.getAuthTag()]);
  },
  open(key, sealed, aad) {
    if (sealed.length < G_NONCE + G_TAG) throw new DecryptError();
    try {
      const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, G_NONCE));
      d.setAAD(aad);
      d.setAuthTag(sealed.subarray(sealed.length - G_TAG));
      const pt = d.update(sealed.subarray(G_NONCE, sealed.length - G_TAG));
      d.final();
      return pt;
    } catch {
      throw new DecryptError();
    }
  },
  openInto(key, sealed, aad, out) {
    // GCM's update() gives plaintext before final() checks the tag: copy only once it did.
    const pt = this.open(key, sealed, aad);
    if (pt.length > out.length) throw new DecryptError();
    pt.copy(out);
    pt.fill(0);
    return pt.length;
  },
};

export const AEADS: Record<AeadId, Aead> = { 1: xchacha, 2: aesGcm };
export const aeadByName = (name: AeadName): Aead => (name === 'aes-256-gcm' ? aesGcm : xchacha);
