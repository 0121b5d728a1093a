import { startAuthentication, startRegistration } from '@simplewebauthn/browser';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import { withStepUp } from '../step-up';
import { callContract, setCsrfToken } from './client';

/**
 * Multi-factor sign-in and enrolment, as the API contract names them. A second factor or a finished
 * enrolment starts a new session: the answer carries its CSRF token, which replaces the old one.
 */
export interface TotpEnrolment {
  secret: string;
  otpauthUrl: string;
}

export type SetupStep = 'mfa-enrolment' | 'password-change';

export interface SessionState {
  kind: 'full' | 'pending' | 'restricted';
  methods: string[];
  setupRequired: SetupStep[];
  mfaMethods: string[];
  csrfToken: string;
}

interface Enrolled {
  recoveryCodes?: string[];
  codes?: string[];
  csrfToken?: string;
  setupRequired?: SetupStep[];
}

function adopt(res: { csrfToken?: unknown } | null): void {
  if (res && typeof res.csrfToken === 'string') setCsrfToken(res.csrfToken);
}

/** GET /auth/session: signed in, second factor due, or setup due (401 when there is no session). */
export async function sessionState(): Promise<SessionState> {
  const s = await callContract<SessionState>('GET', '/auth/session');
  adopt(s);
  return s;
}

/*
 * Enrolment changes are sensitive (step-up): on the profile, after the step-up window, the person confirms it is
 * them and the call runs again. During sign-in setup the session is fresh, and no dialog is mounted there.
 */
export const startTotp = () => withStepUp(() => callContract<TotpEnrolment>('POST', '/me/mfa/totp'));

export async function confirmTotp(code: string): Promise<string[]> {
  const res = await withStepUp(() => callContract<Enrolled | null>('POST', '/me/mfa/totp/confirm', { code }));
  adopt(res);
  return res?.recoveryCodes ?? res?.codes ?? [];
}

/** Register a passkey or security key with the browser's WebAuthn API. */
export async function registerPasskey(name: string): Promise<string[]> {
  const optionsJSON = await withStepUp(() =>
    callContract<PublicKeyCredentialCreationOptionsJSON>('POST', '/me/mfa/webauthn/register/options'),
  );
  const credential = await startRegistration({ optionsJSON });
  const res = await withStepUp(() =>
    callContract<Enrolled | null>('POST', '/me/mfa/webauthn/register', { credential, name }),
  );
  adopt(res);
  return res?.recoveryCodes ?? [];
}

/** The second step of signing in. */
export async function secondFactor(method: 'totp' | 'recovery' | 'webauthn', code = ''): Promise<unknown> {
  if (method === 'webauthn') {
    const optionsJSON = await callContract<PublicKeyCredentialRequestOptionsJSON>('POST', '/auth/mfa/webauthn/options');
    const credential = await startAuthentication({ optionsJSON });
    return callContract<unknown>('POST', '/auth/mfa/webauthn', { credential });
  }
  return callContract<unknown>('POST', `/auth/mfa/${method}`, { code });
}

/** Codes the API uses when the account must finish setting up (enrol MFA, change the first password). */
export const SETUP_CODES = new Set(['SEPAR_ERR_ACCOUNT_SETUP_REQUIRED', 'SEPAR_ERR_MFA_ENROLMENT_REQUIRED']);

/** GET /me/mfa: the user's methods and what the policy allows (never a secret). */
export interface MfaStatus {
  required: boolean;
  allowedMethods: string[];
  totp: { enrolled: boolean; confirmedAt: string | null; enrolmentPending: boolean };
  webauthn: { id: string; name: string; createdAt: string; lastUsedAt: string | null }[];
  recoveryCodes: { total: number; remaining: number; createdAt: string | null };
}

export const mfaStatus = () => callContract<MfaStatus>('GET', '/me/mfa');
