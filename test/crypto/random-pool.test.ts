import { describe, expect, it } from 'vitest';
import { fillRandom, randomKey } from '../../src/security/crypto/random-pool.js';
import { aesGcm, xchacha } from '../../src/security/crypto/aead.js';

describe('pooled randomness', () => {
  it('never hands out the same bytes twice, across pool refills too', () => {
    const seen = new Set<string>();
    // 3,000 keys of 32 bytes span several 16 KiB pool refills.
    for (let i = 0; i < 3000; i++) seen.add(randomKey(32).toString('hex'));
    expect(seen.size).toBe(3000);
  });

  it('fills requests larger than the pool and ones that straddle a refill', () => {
    const big = Buffer.alloc(40_000);
    fillRandom(big);
    // 40,000 random bytes: every byte value appears, and no 4 KiB stretch stayed zero.
    expect(new Set(big).size).toBe(256);
    for (let o = 0; o < big.length; o += 4096) expect(big.subarray(o, o + 4096).some((b) => b !== 0)).toBe(true);
    const odd = Array.from({ length: 700 }, () => randomKey(23).toString('hex'));
    expect(new Set(odd).size).toBe(700);
  });

  it('returns keys in their own memory, not views into the pool (which wipes what it hands out)', () => {
    const a = randomKey(32);
    const copy = Buffer.from(a);
    fillRandom(Buffer.alloc(64 * 1024)); // refills the pool several times
    expect(a.equals(copy)).toBe(true);
    expect(Buffer.alloc(32).equals(a)).toBe(false);
  });

  it('gives every sealed envelope its own nonce (both ciphers)', () => {
    const key = randomKey(32);
    const aad = Buffer.from('t');
    for (const aead of [xchacha, aesGcm]) {
      const nonceBytes = aead === xchacha ? 24 : 12;
      const nonces = new Set<string>();
      for (let i = 0; i < 2000; i++) {
        const sealed = aead.seal(key, Buffer.from('same plaintext'), aad);
        nonces.add(sealed.subarray(0, nonceBytes).toString('hex'));
        if (i % 500 === 0) expect(aead.open(key, sealed, aad).toString()).toBe('same plaintext');
      }
      expect(nonces.size).toBe(2000);
    }
  });
});
