import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/platform/app-error.js';
import { ConcurrencyLimiter } from '../../src/security/identity/concurrency-limiter.js';
import { PasswordHasher } from '../../src/security/identity/password.js';
import { assertPasswordAcceptable, passwordProblems } from '../../src/security/identity/password-policy.js';

const owner = { email: 'Mahsa.Karimi@example.test', name: 'Mahsa Karimi' };

describe('password policy', () => {
  it('counts Unicode code points as typed, accepts up to 1024 and never truncates', () => {
    expect(passwordProblems('🔐🗝🐘🌵🎻🧭🪁🥨🦉⛵', owner)).toEqual(['must be at least 12 characters long']);
    expect(passwordProblems('🔐🗝🐘🌵🎻🧭🪁🥨🦉⛵🧩🍉', owner)).toEqual([]);
    expect(passwordProblems('گذرواژه‌ی بلند من', owner)).toEqual([]);
    const long = Array.from({ length: 1024 }, (_, i) => 'qzxjvkwp'[(i * 7 + (i >> 3)) % 8]).join('');
    const strongLong = `${randomBytes(8).toString('hex')}${long}`.slice(0, 1024);
    expect(passwordProblems(strongLong, owner)).toEqual([]);
    expect(passwordProblems(`${strongLong}k`, owner)).toEqual(['must be at most 1024 characters long']);
    // One keystroke that NFKC expands to 18 characters is still one character typed.
    expect(passwordProblems('\uFDFA', owner)).toEqual(['must be at least 12 characters long']);
    // Lone surrogates would become U+FFFD when hashed: two passwords would share a hash.
    expect(passwordProblems(`${strongLong.slice(0, 20)}\uD800`, owner)).toEqual([
      'must be valid Unicode text (it contains a broken surrogate pair)',
    ]);
  });

  it('refuses common, breached and patterned passwords (zxcvbn score < 3), saying why', () => {
    for (const weak of ['password1234', 'qwertyuiop123', '123456789012', 'iloveyou2024!', 'kkkkkkkkkkkkkkkk']) {
      const problems = passwordProblems(weak, owner);
      expect(problems, weak).toHaveLength(1);
      expect(problems[0], weak).toMatch(/^is too easy to guess/);
    }
    expect(passwordProblems('correct horse battery staple 2026', owner)).toEqual([]);
    expect(passwordProblems('a sales rep passphrase 42', owner)).toEqual([]);
  });

  it("refuses the product name and the user's own name or email, in any case, saying why", () => {
    expect(passwordProblems('my SePaR password', owner)).toEqual(["must not contain the product name 'separ'"]);
    expect(passwordProblems('ilove-mahsa.karimi', owner)).toEqual(
      expect.arrayContaining(['must not contain your email address or a part of it']),
    );
    expect(passwordProblems('KARIMI-and-more-words', owner)).toEqual(
      expect.arrayContaining(['must not contain your name or a part of it']),
    );
    // Parts shorter than four characters are too common to refuse.
    expect(passwordProblems('correct horse jo battery', { name: 'Jo Li', email: 'jo@example.test' })).toEqual([]);
    // Built from the name with other words around it: still refused.
    expect(passwordProblems('Mahsa-was-here-in-2026', owner)).toEqual([
      'must not contain your email address or a part of it',
      'must not contain your name or a part of it',
    ]);
  });

  it('throws SEPAR_ERR_VALIDATION listing each reason under the field', () => {
    let caught: unknown;
    try {
      assertPasswordAcceptable('separ', owner, 'newPassword');
    } catch (err) {
      caught = err;
    }
    expect(isAppError(caught)).toBe(true);
    if (!isAppError(caught)) return;
    expect(caught.code).toBe('SEPAR_ERR_VALIDATION');
    expect(caught.status).toBe(400);
    expect(caught.errors?.map((e) => e.field)).toEqual(['newPassword', 'newPassword']);
    expect(caught.detail).toMatch(/at least 12 characters.*product name/);
  });
});

describe('password hashing', () => {
  const hasher = new PasswordHasher(
    new ConcurrencyLimiter({ maxConcurrent: 2, maxQueued: 8, retryAfterSeconds: 1, what: 'password checks' }),
  );

  it('hashes with argon2id m=19456,t=2,p=1 and a fresh 16-byte salt each time', async () => {
    const [a, b] = await Promise.all([hasher.hash('a long test password'), hasher.hash('a long test password')]);
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(a).not.toBe(b);
    expect(await hasher.verify(a, 'a long test password')).toBe(true);
    expect(await hasher.verify(a, 'a long test password ')).toBe(false);
    expect(await hasher.verify('not a hash', 'a long test password')).toBe(false);
    expect(hasher.needsRehash(a)).toBe(false);
    expect(hasher.needsRehash('$argon2id$v=19$m=4096,t=3,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA')).toBe(true);
  });

  it('compares passwords after NFKC normalisation', async () => {
    const composed = 'caf\u00e9 au lait, s\u2019il vous pla\u00eet';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    const h = await hasher.hash(composed);
    expect(await hasher.verify(h, decomposed)).toBe(true);
  });
});

describe('concurrency limiter', () => {
  it('runs at most maxConcurrent at once and sheds load with 503 + Retry-After when the queue is full', async () => {
    const limiter = new ConcurrencyLimiter({ maxConcurrent: 2, maxQueued: 3, retryAfterSeconds: 7, what: 'tests' });
    let running = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const task = (): Promise<void> =>
      new Promise<void>((resolve) => {
        running++;
        peak = Math.max(peak, running);
        releases.push(() => {
          running--;
          resolve();
        });
      });
    const accepted = Array.from({ length: 5 }, () => limiter.run(task));
    await Promise.resolve();
    expect(limiter.stats).toEqual({ active: 2, queued: 3 });

    const refused = await limiter.run(task).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isAppError(refused) && refused.code).toBe('SEPAR_ERR_UNAVAILABLE');
    expect(isAppError(refused) && refused.status).toBe(503);
    expect(isAppError(refused) && refused.headers?.['retry-after']).toBe('7');

    while (releases.length > 0 || running > 0) {
      releases.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(accepted);
    expect(peak).toBe(2);
    expect(limiter.stats).toEqual({ active: 0, queued: 0 });
  });

  it('frees the slot when a task fails', async () => {
    const limiter = new ConcurrencyLimiter({ maxConcurrent: 1, maxQueued: 0, retryAfterSeconds: 1, what: 'tests' });
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(() => Promise.resolve(42))).resolves.toBe(42);
  });
});
