import { randomBytes } from 'node:crypto';
import { argon2id, hash, needsRehash, verify } from 'argon2';
import { newSecret } from '../../platform/ids.js';
import type { ConcurrencyLimiter } from './concurrency-limiter.js';

/**
 * argon2id at OWASP's first recommended setting (m = 19 MiB, t = 2, p = 1), 128-bit salt, 256-bit output.
 * STANDARDS.md: m ≥ 19 MiB, t ≥ 2, p = 1, salt ≥ 128 bits; the stored string starts `$argon2id$`.
 */
export const ARGON2_PARAMS = {
  type: argon2id,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
  hashLength: 32,
} as const;
export const SALT_BYTES = 16;

/**
 * Passwords are compared after Unicode NFKC normalisation (NIST SP 800-63B §3.1.1.2), so the same password typed
 * on two keyboards that compose characters differently still matches. Never truncated.
 */
export const normalizePassword = (password: string): string => password.normalize('NFKC');

/** Lone UTF-16 surrogates would become U+FFFD when argon2 encodes UTF-8, so two passwords would share a hash. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const isWellFormedText = (s: string): boolean => !LONE_SURROGATE.test(s);

/**
 * Hashes and verifies passwords. Every argon2 call goes through the concurrency limiter, so a login flood waits
 * its turn (or gets 503) instead of exhausting memory and CPU.
 */
export class PasswordHasher {
  private dummy: Promise<string> | undefined;
  private verified = 0;

  constructor(private readonly limiter: ConcurrencyLimiter) {}

  /** Verifications run so far (real and dummy alike): every sign-in outcome costs exactly one. */
  get stats(): { verifications: number } {
    return { verifications: this.verified };
  }

  hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    return this.limiter.run(() => hash(normalizePassword(password), { ...ARGON2_PARAMS, salt }));
  }

  /** True when `password` matches `digest`; false for a wrong password or a malformed digest. */
  verify(digest: string, password: string): Promise<boolean> {
    this.verified++;
    return this.limiter.run(async () => {
      try {
        // A malformed password still costs one verification (against the real hash), then fails.
        if (!isWellFormedText(password)) return await verify(digest, normalizePassword(password)).then(() => false);
        return await verify(digest, normalizePassword(password));
      } catch {
        return false;
      }
    });
  }

  /**
   * Spends the same work as a real verification against a hash nobody knows the password of, so an unknown
   * account or an account without a password answers in the same time as a wrong password.
   */
  async verifyDummy(password: string): Promise<void> {
    const dummy = await this.dummyHash();
    await this.verify(dummy, password);
  }

  /** True when `digest` was made with weaker (older) parameters and should be replaced at the next login. */
  needsRehash(digest: string): boolean {
    try {
      return !digest.startsWith('$argon2id$') || needsRehash(digest, ARGON2_PARAMS);
    } catch {
      return true;
    }
  }

  /** Computes the dummy hash ahead of the first login that needs it (fire and forget). */
  warmUp(): void {
    this.dummyHash().catch(() => undefined);
  }

  private dummyHash(): Promise<string> {
    if (!this.dummy) {
      this.dummy = this.hash(newSecret(32)).catch((err: unknown) => {
        this.dummy = undefined;
        throw err;
      });
    }
    return this.dummy;
  }
}
