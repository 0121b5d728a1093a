import { createHash, randomInt } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;
/** Crockford base32 (no I, L, O, U): 16 symbols ≈ 80 random bits, so a fast hash at rest is enough. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_SYMBOLS = 16;

/** A fresh code shown as four groups of four: `7K3Q-M9XD-2HPT-W4RA`. */
export function newRecoveryCode(): string {
  let s = '';
  for (let i = 0; i < CODE_SYMBOLS; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s.match(/.{4}/g)?.join('-') ?? s;
}

/** What the user typed, in canonical form: case, spaces and dashes ignored; O→0, I/L→1 (Crockford). */
export function normalizeRecoveryCode(input: string): string | null {
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== CODE_SYMBOLS || [...s].some((c) => !ALPHABET.includes(c))) return null;
  return s;
}

/** Stored form: SHA-256 bound to the user, so the table never holds a usable code. */
export const recoveryCodeHash = (userId: string, normalized: string): string =>
  createHash('sha256').update(`separ/recovery/v1\0${userId}\0${normalized}`, 'utf8').digest('hex');
