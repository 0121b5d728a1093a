import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { InstallationKeys } from '../installation-keys.js';

/** The signed device cookie: proof that this browser signed in successfully before (OWASP "device cookies"). */
export const DEVICE_COOKIE = '__Host-separ_device';
export const DEVICE_COOKIE_OPTIONS: CookieSerializeOptions = {
  path: '/',
  secure: true,
  httpOnly: true,
  sameSite: 'strict',
  // Browsers cap cookie lifetimes at 400 days.
  maxAge: 400 * 86_400,
};

const SHAPE = /^d1\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

export interface IssuedDevice {
  /** The cookie value to set. */
  cookie: string;
  /** SHA-256 of the device id: what the database keeps. */
  deviceHash: string;
}

const hashOf = (id: string): string => createHash('sha256').update(`separ/device/v1\0${id}`, 'utf8').digest('hex');

/**
 * Issues and checks device cookies: `d1.<128-bit random id>.<HMAC-SHA256>`. The signature lets a forged or
 * edited cookie be refused without a database lookup; the database maps (user, hashed id) to "known device".
 * The cookie carries no personal data and is not a credential: it only decides which failure counter applies.
 */
export class DeviceCookies {
  constructor(private readonly keys: InstallationKeys) {}

  async issue(): Promise<IssuedDevice> {
    const id = randomBytes(16).toString('base64url');
    return { cookie: `d1.${id}.${await this.mac(id)}`, deviceHash: hashOf(id) };
  }

  /** The device hash a cookie value names, or null when absent, malformed or not signed by us. */
  async verify(value: string | undefined): Promise<string | null> {
    const m = value === undefined ? null : SHAPE.exec(value);
    if (!m?.[1] || !m[2]) return null;
    const expected = Buffer.from(await this.mac(m[1]), 'utf8');
    const given = Buffer.from(m[2], 'utf8');
    return expected.length === given.length && timingSafeEqual(expected, given) ? hashOf(m[1]) : null;
  }

  private async mac(id: string): Promise<string> {
    return createHmac('sha256', await this.keys.key('device-cookie'))
      .update(`d1.${id}`, 'utf8')
      .digest('base64url');
  }
}
