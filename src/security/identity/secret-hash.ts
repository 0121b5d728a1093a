import { createHash } from 'node:crypto';

/**
 * SHA-256 (hex) of a high-entropy secret (session token, API token). A fast hash is right here: the input
 * has ≥ 256 bits of entropy, so it cannot be guessed, and the database then never holds a usable credential.
 */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
