import QRCode from 'qrcode';
import type { Clock } from '../../../platform/clock.js';
import type { IdentityStore } from '../identity.repository.js';
import type { SecretSealer } from '../secret-sealer.js';
import { matchTotp, newTotpSecret, otpauthUrl } from './totp.js';

export interface TotpEnrolment {
  /** Base32 seed, shown once to be typed into an authenticator app. */
  secret: string;
  otpauthUrl: string;
  /** The otpauth URL as a QR code (PNG data URL). */
  qrCode: string;
}

export type TotpCheck = 'ok' | 'wrong' | 'replayed' | 'not-enrolled';

export const sealPurpose = (userId: string, pending: boolean): string => `totp${pending ? '-pending' : ''}:${userId}`;

/**
 * TOTP seeds: generated here, sealed at rest (SecretSealer, bound to the user), shown only in the enrolment
 * answer and never readable again. A code is accepted once: the time step it belongs to must be later than the
 * last accepted one, recorded with a compare-and-set.
 */
export class TotpService {
  constructor(private readonly deps: { store: IdentityStore; sealer: SecretSealer; clock: Clock }) {}

  async begin(userId: string, account: string): Promise<TotpEnrolment> {
    const secret = newTotpSecret();
    const sealed = await this.deps.sealer.seal(sealPurpose(userId, true), secret);
    await this.deps.store.repos.mfa.setPendingTotp(userId, sealed, this.deps.clock.now().toISOString());
    const url = otpauthUrl(secret, account);
    return { secret, otpauthUrl: url, qrCode: await QRCode.toDataURL(url, { errorCorrectionLevel: 'M', margin: 2 }) };
  }

  /** Confirms the pending seed with a current code; the seed becomes (or replaces) the active one. */
  async confirm(userId: string, code: string): Promise<'ok' | 'wrong' | 'no-enrolment'> {
    const row = await this.deps.store.repos.mfa.findTotp(userId);
    const pending = row?.pending_secret_sealed ?? null;
    if (pending === null) return 'no-enrolment';
    const secret = await this.deps.sealer.open(sealPurpose(userId, true), pending);
    const now = this.deps.clock.now();
    const step = matchTotp(secret, code, now.getTime());
    if (step === null) return 'wrong';
    const active = await this.deps.sealer.seal(sealPurpose(userId, false), secret);
    // The step this code used is recorded, so the confirmation code cannot be replayed to sign in.
    const confirmed = await this.deps.store.repos.mfa.confirmTotp(userId, pending, active, step, now.toISOString());
    return confirmed ? 'ok' : 'no-enrolment';
  }

  /** Checks a sign-in or step-up code against the active seed, consuming its time step. */
  async verify(userId: string, code: string): Promise<TotpCheck> {
    const { mfa } = this.deps.store.repos;
    const row = await mfa.findTotp(userId);
    if (!row?.secret_sealed) return 'not-enrolled';
    const secret = await this.deps.sealer.open(sealPurpose(userId, false), row.secret_sealed);
    const now = this.deps.clock.now();
    const step = matchTotp(secret, code, now.getTime());
    if (step === null) return 'wrong';
    if (step <= row.last_counter) return 'replayed';
    return (await mfa.advanceTotpCounter(userId, step, now.toISOString())) ? 'ok' : 'replayed';
  }

  async isEnrolled(userId: string): Promise<boolean> {
    const row = await this.deps.store.repos.mfa.findTotp(userId);
    return Boolean(row?.secret_sealed);
  }
}
