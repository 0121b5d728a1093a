import { DecryptError } from './aead.js';
import { KeyringError } from './root-key.js';

/**
 * Sealed data that does not open: its bytes, its key id or its wrapped key altered (or from another installation).
 * Readers that must go on past one such record (list pages, lookups, sweeps) tell it from other failures by this.
 */
export const isUnopenable = (err: unknown): boolean => err instanceof DecryptError || err instanceof KeyringError;
