export { CryptoService, createCrypto, openCryptoRoot, type IndexEntry, type MintedDek } from './crypto.service.js';
export { KeyringError, type RootKey } from './root-key.js';
export { DecryptError, type AeadName } from './aead.js';
export { isUnopenable } from './unopenable.js';
export type { Dek, Kek, Epoch, KeyHierarchy } from './key-hierarchy.js';
export type { SealedValues } from './record-cipher.js';
export { sealedKeyId } from './record-cipher.js';
export { bitsForRows } from './blind-index.js';
export { sha256Short } from './digest.js';
export {
  RotationService,
  type Resealer,
  type RotationView,
  type KeyStatus,
  type SecretResealer,
} from './rotation.service.js';
export { keyStatusRoutes } from './key-status.routes.js';
