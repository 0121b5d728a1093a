import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Clock } from '../../../platform/clock.js';
import type { IdentityStore } from '../identity.repository.js';
import { secretHash } from '../secret-hash.js';
import type { WebauthnCredentialRow } from './mfa.repository.js';

/** A challenge is valid this long (the browser prompt itself times out after WEBAUTHN_TIMEOUT_MS). */
const CHALLENGE_TTL_MS = 5 * 60_000;
const WEBAUTHN_TIMEOUT_MS = 120_000;
/** COSE algorithms offered: EdDSA, ES256, RS256. */
const ALGORITHMS = [-8, -7, -257];
export const MAX_CREDENTIALS_PER_USER = 20;

/** Which ceremony a challenge belongs to; a challenge issued for one is useless for another. */
export type WebauthnCeremony = 'register' | 'mfa' | 'step-up' | 'passkey';

export interface WebauthnSettings {
  /** The relying-party id: SEPAR_PUBLIC_URL's host name. */
  rpId: string;
  rpName: string;
  /** The exact origin browsers run the ceremony on: SEPAR_PUBLIC_URL. */
  origin: string;
}

export interface WebauthnCredentialView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  /** Synced (multi-device) passkey or single-device key. */
  deviceType: string | null;
  backedUp: boolean;
}

export interface WebauthnUser {
  id: string;
  email: string;
  name: string;
}

export type WebauthnResult<T> = { ok: true; value: T } | { ok: false; reason: string };

const toView = (r: WebauthnCredentialRow): WebauthnCredentialView => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  deviceType: r.device_type,
  backedUp: r.backed_up === 1,
});

/** The WebAuthn user handle: the user's UUID as 16 bytes (no personal data). */
const userHandle = (userId: string): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(Buffer.from(userId.replace(/-/g, ''), 'hex'));

function parseTransports(stored: string): string[] {
  try {
    const v: unknown = JSON.parse(stored);
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

const reasonOf = (err: unknown): string =>
  err instanceof Error ? err.message.replace(/[\r\n]+/g, ' ').slice(0, 200) : 'verification failed';

/**
 * WebAuthn (passkeys and security keys) with @simplewebauthn/server: registration, second-factor and step-up
 * assertions bound to the session that asked for them, and passkey sign-in (user verification required).
 * Challenges are single-use and expire; the relying party and origin come from SEPAR_PUBLIC_URL, so a
 * credential made for a look-alike site never verifies here (phishing resistance).
 */
export class WebauthnService {
  constructor(private readonly deps: { store: IdentityStore; clock: Clock; settings: WebauthnSettings }) {}

  get settings(): WebauthnSettings {
    return this.deps.settings;
  }

  async registrationOptions(user: WebauthnUser, sessionId: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.deps.store.repos.mfa.listCredentials(user.id);
    const options = await generateRegistrationOptions({
      rpName: this.deps.settings.rpName,
      rpID: this.deps.settings.rpId,
      userName: user.email,
      userDisplayName: user.name,
      userID: userHandle(user.id),
      attestationType: 'none',
      timeout: WEBAUTHN_TIMEOUT_MS,
      excludeCredentials: existing.map((c) => ({ id: c.id, transports: parseTransports(c.transports) })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
      supportedAlgorithmIDs: ALGORITHMS,
    });
    await this.putChallenge('register', sessionId, options.challenge, user.id);
    return options;
  }

  async verifyRegistration(
    user: WebauthnUser,
    sessionId: string,
    response: RegistrationResponseJSON,
    name: string,
  ): Promise<WebauthnResult<WebauthnCredentialView>> {
    const challenge = await this.takeChallenge('register', sessionId, user.id);
    if (challenge === null) return { ok: false, reason: 'no-challenge' };
    const { mfa } = this.deps.store.repos;
    if ((await mfa.listCredentials(user.id)).length >= MAX_CREDENTIALS_PER_USER) {
      return { ok: false, reason: 'too-many-credentials' };
    }
    let verified;
    try {
      verified = await verifyRegistrationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: this.deps.settings.origin,
        expectedRPID: this.deps.settings.rpId,
        requireUserVerification: false,
        supportedAlgorithmIDs: ALGORITHMS,
      });
    } catch (err) {
      return { ok: false, reason: reasonOf(err) };
    }
    if (!verified.verified) return { ok: false, reason: 'not-verified' };
    const info = verified.registrationInfo;
    if (await mfa.findCredential(info.credential.id)) return { ok: false, reason: 'credential-exists' };
    const now = this.deps.clock.now().toISOString();
    const row: WebauthnCredentialRow = {
      id: info.credential.id,
      user_id: user.id,
      public_key: Buffer.from(info.credential.publicKey).toString('base64url'),
      counter: info.credential.counter,
      transports: JSON.stringify(response.response.transports ?? []),
      device_type: info.credentialDeviceType,
      backed_up: info.credentialBackedUp ? 1 : 0,
      aaguid: info.aaguid,
      name,
      created_at: now,
      last_used_at: null,
    };
    await mfa.insertCredential(row);
    return { ok: true, value: toView(row) };
  }

  /** Options for a second-factor or step-up assertion with one of the user's credentials. */
  async authenticationOptions(
    userId: string,
    sessionId: string,
    ceremony: 'mfa' | 'step-up',
  ): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const creds = await this.deps.store.repos.mfa.listCredentials(userId);
    const options = await generateAuthenticationOptions({
      rpID: this.deps.settings.rpId,
      timeout: WEBAUTHN_TIMEOUT_MS,
      userVerification: 'preferred',
      allowCredentials: creds.map((c) => ({ id: c.id, transports: parseTransports(c.transports) })),
    });
    await this.putChallenge(ceremony, sessionId, options.challenge, userId);
    return options;
  }

  async verifyAuthentication(
    userId: string,
    sessionId: string,
    ceremony: 'mfa' | 'step-up',
    response: AuthenticationResponseJSON,
  ): Promise<WebauthnResult<string>> {
    const challenge = await this.takeChallenge(ceremony, sessionId, userId);
    if (challenge === null) return { ok: false, reason: 'no-challenge' };
    const row = await this.deps.store.repos.mfa.findCredential(response.id);
    if (!row || row.user_id !== userId) return { ok: false, reason: 'unknown-credential' };
    return this.verifyAssertion(row, response, challenge, false);
  }

  /** Options for signing in with a passkey alone (discoverable credential, user verification required). */
  async passkeyOptions(): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const options = await generateAuthenticationOptions({
      rpID: this.deps.settings.rpId,
      timeout: WEBAUTHN_TIMEOUT_MS,
      userVerification: 'required',
    });
    await this.putChallenge('passkey', options.challenge, options.challenge, null);
    return options;
  }

  /** The user a passkey assertion proves, or why not. */
  async verifyPasskey(response: AuthenticationResponseJSON): Promise<WebauthnResult<{ userId: string }>> {
    const challenge = clientChallenge(response.response.clientDataJSON);
    const stored = challenge === null ? null : await this.takeChallenge('passkey', challenge, null);
    if (stored === null) return { ok: false, reason: 'no-challenge' };
    const row = await this.deps.store.repos.mfa.findCredential(response.id);
    if (!row) return { ok: false, reason: 'unknown-credential' };
    const handle = response.response.userHandle;
    if (handle !== undefined && handle !== Buffer.from(userHandle(row.user_id)).toString('base64url')) {
      return { ok: false, reason: 'user-handle-mismatch' };
    }
    const result = await this.verifyAssertion(row, response, stored, true);
    return result.ok ? { ok: true, value: { userId: row.user_id } } : result;
  }

  async list(userId: string): Promise<WebauthnCredentialView[]> {
    return (await this.deps.store.repos.mfa.listCredentials(userId)).map(toView);
  }

  private async verifyAssertion(
    row: WebauthnCredentialRow,
    response: AuthenticationResponseJSON,
    challenge: string,
    requireUserVerification: boolean,
  ): Promise<WebauthnResult<string>> {
    let verified;
    try {
      verified = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: this.deps.settings.origin,
        expectedRPID: this.deps.settings.rpId,
        requireUserVerification,
        credential: {
          id: row.id,
          publicKey: Uint8Array.from(Buffer.from(row.public_key, 'base64url')),
          counter: row.counter,
          transports: parseTransports(row.transports),
        },
      });
    } catch (err) {
      return { ok: false, reason: reasonOf(err) };
    }
    if (!verified.verified) return { ok: false, reason: 'not-verified' };
    const used = await this.deps.store.repos.mfa.useCredential(
      row.id,
      row.counter,
      verified.authenticationInfo.newCounter,
      this.deps.clock.now().toISOString(),
    );
    return used ? { ok: true, value: row.id } : { ok: false, reason: 'counter-race' };
  }

  private challengeKey(ceremony: WebauthnCeremony, binding: string): string {
    return secretHash(`webauthn:${ceremony}:${binding}`);
  }

  private async putChallenge(
    ceremony: WebauthnCeremony,
    binding: string,
    challenge: string,
    userId: string | null,
  ): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.store.repos.challenges.put(
      {
        id: this.challengeKey(ceremony, binding),
        purpose: `webauthn-${ceremony}`,
        user_id: userId,
        session_id: ceremony === 'passkey' ? null : binding,
        challenge,
        data: '{}',
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + CHALLENGE_TTL_MS).toISOString(),
      },
      now.toISOString(),
    );
  }

  /** The outstanding challenge for this ceremony and binding, consumed; null when missing, expired or foreign. */
  private async takeChallenge(
    ceremony: WebauthnCeremony,
    binding: string,
    userId: string | null,
  ): Promise<string | null> {
    const row = await this.deps.store.repos.challenges.take(this.challengeKey(ceremony, binding));
    if (!row || row.user_id !== userId) return null;
    if (Date.parse(row.expires_at) <= this.deps.clock.now().getTime()) return null;
    return row.challenge;
  }
}

/** The challenge inside a response's clientDataJSON (not trusted: it only selects the stored challenge). */
function clientChallenge(clientDataJSON: string): string | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'));
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'challenge' in parsed &&
      typeof parsed.challenge === 'string'
    ) {
      return /^[A-Za-z0-9_-]{16,128}$/.test(parsed.challenge) ? parsed.challenge : null;
    }
  } catch {
    return null;
  }
  return null;
}
