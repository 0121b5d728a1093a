import { timingSafeEqual } from 'node:crypto';
import { HOTP, Secret, TOTP } from 'otpauth';

/** RFC 6238 parameters every authenticator app understands: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Accepted drift: one step either side of the server's (±30 s). */
export const TOTP_WINDOW = 1;
/** 160-bit seeds (RFC 4226 §4 recommends at least 128, 160 for SHA-1). */
const SECRET_BYTES = 20;
const ISSUER = 'Separ';
const CODE_SHAPE = /^\d{6}$/;

/** A fresh random seed, base32 (RFC 4648, no padding): what the user types or scans. */
export const newTotpSecret = (): string => new Secret({ size: SECRET_BYTES }).base32;

/** The otpauth:// URI authenticator apps import (Key Uri Format). */
export function otpauthUrl(secretBase32: string, account: string): string {
  return new TOTP({
    issuer: ISSUER,
    label: account,
    secret: Secret.fromBase32(secretBase32),
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  }).toString();
}

/** The RFC 6238 time step of `nowMs`. */
export const totpStep = (nowMs: number): number => Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);

/** The code for time step `step` (for tests and tools; the server only verifies). */
export const totpCode = (secretBase32: string, step: number): string =>
  HOTP.generate({ secret: Secret.fromBase32(secretBase32), counter: step, digits: TOTP_DIGITS, algorithm: 'SHA1' });

/**
 * The time step whose code `code` is, within ±TOTP_WINDOW of now, or null. Every candidate is computed and
 * compared in constant time; the caller refuses a step at or below the last one used (replay).
 */
export function matchTotp(secretBase32: string, code: string, nowMs: number): number | null {
  if (!CODE_SHAPE.test(code)) return null;
  const given = Buffer.from(code, 'utf8');
  const now = totpStep(nowMs);
  let matched: number | null = null;
  for (let step = now - TOTP_WINDOW; step <= now + TOTP_WINDOW; step++) {
    const expected = Buffer.from(totpCode(secretBase32, step), 'utf8');
    if (timingSafeEqual(expected, given) && matched === null) matched = step;
  }
  return matched;
}
