import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { Lockout, MemoryLockoutStore } from '../../src/security/defense/index.js';
import { networkOf } from '../../src/security/identity/devices/network.js';
import type { InstallationSecretRepository } from '../../src/security/identity/installation-secret.repository.js';
import { InstallationKeys } from '../../src/security/identity/installation-keys.js';
import { mfaPolicyFor } from '../../src/security/identity/mfa/mfa-policy.js';
import { normalizeRecoveryCode, newRecoveryCode } from '../../src/security/identity/mfa/recovery-codes.js';
import { matchTotp, totpCode, totpStep } from '../../src/security/identity/mfa/totp.js';
import { LocalSecretSealer, SealedValueError } from '../../src/security/identity/secret-sealer.js';
import { describeUserAgent } from '../../src/security/identity/user-agent.js';

const keysFrom = (secret: Buffer): InstallationKeys =>
  new InstallationKeys({ getOrCreate: () => Promise.resolve(secret) } as unknown as InstallationSecretRepository);

describe('secret sealing (AES-256-GCM under an HKDF-derived installation key)', () => {
  const sealer = new LocalSecretSealer(keysFrom(randomBytes(32)));

  it('round-trips, with a fresh nonce each time, naming its format and key id', async () => {
    const a = await sealer.seal('totp:u1', 'JBSWY3DPEHPK3PXP');
    const b = await sealer.seal('totp:u1', 'JBSWY3DPEHPK3PXP');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^sv1\.[0-9a-f]{16}\.[A-Za-z0-9_-]+$/);
    expect(a).not.toContain('JBSWY3DPEHPK3PXP');
    expect(await sealer.open('totp:u1', a)).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses a value moved to another purpose or user, tampered, or sealed under another installation key', async () => {
    const sealed = await sealer.seal('totp:u1', 'secret');
    await expect(sealer.open('totp:u2', sealed)).rejects.toBeInstanceOf(SealedValueError);
    const [f, kid, body = ''] = sealed.split('.');
    const raw = Buffer.from(body, 'base64url');
    raw[raw.length - 20] = (raw[raw.length - 20] ?? 0) ^ 1;
    await expect(sealer.open('totp:u1', `${f}.${kid}.${raw.toString('base64url')}`)).rejects.toBeInstanceOf(
      SealedValueError,
    );
    const other = new LocalSecretSealer(keysFrom(randomBytes(32)));
    await expect(other.open('totp:u1', sealed)).rejects.toBeInstanceOf(SealedValueError);
    await expect(sealer.open('totp:u1', 'not-sealed')).rejects.toBeInstanceOf(SealedValueError);
  });
});

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC 6238 SHA-1 test vectors (8 digits truncated to the last 6)', () => {
    // RFC 6238 Appendix B, secret "12345678901234567890": T=59 → 94287082, T=1111111109 → 07081804.
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(totpCode(secret, totpStep(59_000))).toBe('287082');
    expect(totpCode(secret, totpStep(1_111_111_109_000))).toBe('081804');
    expect(matchTotp(secret, '287082', 59_000)).toBe(1);
    expect(matchTotp(secret, '287082', 59_000 + 30_000)).toBe(1);
    expect(matchTotp(secret, '287082', 59_000 + 60_000)).toBeNull();
    expect(matchTotp(secret, '28708', 59_000)).toBeNull();
    expect(matchTotp(secret, '2870822', 59_000)).toBeNull();
  });
});

describe('MFA policy per role', () => {
  const policy = {
    admin: { methods: ['webauthn' as const], optional: false },
    'read-only': { methods: ['totp' as const, 'webauthn' as const], optional: true },
    '*': { methods: ['totp' as const, 'webauthn' as const], optional: false },
  };

  it('takes the strictest of a user’s roles', () => {
    expect(mfaPolicyFor(policy, ['sales-rep'])).toEqual({ allowed: ['totp', 'webauthn'], required: true });
    expect(mfaPolicyFor(policy, ['admin', 'sales-rep'])).toEqual({ allowed: ['webauthn'], required: true });
    expect(mfaPolicyFor(policy, ['read-only'])).toEqual({ allowed: ['totp', 'webauthn'], required: false });
    expect(mfaPolicyFor(policy, ['read-only', 'support']).required).toBe(true);
    expect(mfaPolicyFor(policy, [])).toEqual({ allowed: ['totp', 'webauthn'], required: true });
  });
});

describe('lockout counter (injected clock)', () => {
  it('locks at the threshold, ignores failures while locked, and starts over after the lock', async () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    const lockout = new Lockout(new MemoryLockoutStore(), clock);
    const rule = { threshold: 3, lockMs: 30 * 60_000 };
    expect((await lockout.fail('k', rule)).lockedNow).toBe(false);
    expect((await lockout.fail('k', rule)).lockedNow).toBe(false);
    expect((await lockout.fail('k', rule)).lockedNow).toBe(true);
    expect(await lockout.isLocked('k')).toBe(true);
    expect((await lockout.fail('k', rule)).lockedNow).toBe(false);
    clock.advance(30 * 60_000);
    expect(await lockout.isLocked('k')).toBe(false);
    expect((await lockout.fail('k', rule)).failures).toBe(1);
    await lockout.reset('k');
    expect((await lockout.fail('k', rule)).failures).toBe(1);
  });
});

describe('small helpers', () => {
  it('groups addresses into networks (IPv4 /24, IPv6 /48)', () => {
    expect(networkOf('203.0.113.77')).toBe('203.0.113.0/24');
    expect(networkOf('::ffff:203.0.113.77')).toBe('203.0.113.0/24');
    expect(networkOf('2001:db8:1234:5678::1')).toBe('2001:db8:1234::/48');
    expect(networkOf('::1')).toBe('0:0:0::/48');
    expect(networkOf('not an ip')).toBeNull();
  });

  it('labels user agents without passing control characters through', () => {
    expect(
      describeUserAgent(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
      ),
    ).toBe('Safari 17 on macOS');
    expect(describeUserAgent('curl/8.5.0')).toBe('curl 8');
    expect(describeUserAgent('Evil\nINFO forged')).not.toContain('\n');
    expect(describeUserAgent(null)).toBeNull();
  });

  it('reads recovery codes forgivingly but only in their own alphabet', () => {
    const code = newRecoveryCode();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(normalizeRecoveryCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code.replace(/-/g, ''));
    expect(normalizeRecoveryCode('OOOO-IIII-LLLL-0000')).toBe('0000111111110000');
    expect(normalizeRecoveryCode('UUUU-0000-0000-0000')).toBeNull();
    expect(normalizeRecoveryCode('too-short')).toBeNull();
  });
});
