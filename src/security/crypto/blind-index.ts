import { createHmac } from 'node:crypto';
import sodium from 'sodium-native';

/**
 * Blind index: a keyed hash of the normalised value, truncated to `bits` so that each value shares
 * its index with a few others (CipherSweet's planner: 2 ≤ expected collisions ≤ √rows). Lookups
 * return candidates which are decrypted and compared. BLAKE2b by default; HMAC-SHA256 in FIPS mode.
 */
export type BlindHash = 'blake2b' | 'hmac-sha256';

export function blindIndex(hash: BlindHash, key: Buffer, normalized: string, bits: number): number {
  const input = Buffer.from(normalized, 'utf8');
  let digest: Buffer;
  if (hash === 'blake2b') {
    digest = Buffer.allocUnsafe(16);
    sodium.crypto_generichash(digest, input, key);
  } else {
    digest = createHmac('sha256', key).update(input).digest();
  }
  const n = digest.readUInt32BE(0);
  return bits >= 32 ? n : n >>> (32 - bits);
}

/** Bits for an expected number of rows: the most bits that still leave ≥ 2 expected collisions. */
export function bitsForRows(rows: number): number {
  const bits = Math.floor(Math.log2(Math.max(rows, 512) / 2));
  return Math.min(Math.max(bits, 8), 32);
}
