// The subset of sodium-native (libsodium bindings, which ship without type declarations) that Separ uses.
declare module 'sodium-native' {
  export const crypto_aead_xchacha20poly1305_ietf_ABYTES: number;
  export const crypto_aead_xchacha20poly1305_ietf_KEYBYTES: number;
  export const crypto_aead_xchacha20poly1305_ietf_NPUBBYTES: number;
  export const crypto_generichash_KEYBYTES: number;
  export function crypto_aead_xchacha20poly1305_ietf_encrypt(
    ciphertext: Buffer,
    message: Buffer,
    additionalData: Buffer | null,
    nsec: null,
    npub: Buffer,
    key: Buffer,
  ): number;
  export function crypto_aead_xchacha20poly1305_ietf_decrypt(
    message: Buffer,
    nsec: null,
    ciphertext: Buffer,
    additionalData: Buffer | null,
    npub: Buffer,
    key: Buffer,
  ): number;
  export function crypto_generichash(output: Buffer, input: Buffer, key?: Buffer): void;
  export function crypto_hash_sha256(output: Buffer, input: Buffer): void;
  export function randombytes_buf(buffer: Buffer): void;
  export function sodium_memzero(buffer: Buffer): void;
}
