import { api, setCsrfToken, unwrap } from '../../../lib/api/client';
import { secondFactor } from '../../../lib/api/mfa';

/**
 * What sign-in answers: a full session; a pending one that needs a second factor (`mfaRequired`,
 * `methods`); or a restricted one that must finish account setup first (`setupRequired`).
 */
export type LoginOutcome = { kind: 'signed-in' } | { kind: 'mfa'; methods: string[] } | { kind: 'setup' };

function readOutcome(data: unknown): LoginOutcome {
  if (typeof data !== 'object' || data === null) return { kind: 'signed-in' };
  const d = data as { mfaRequired?: unknown; methods?: unknown; csrfToken?: unknown; setupRequired?: unknown };
  if (typeof d.csrfToken === 'string') setCsrfToken(d.csrfToken);
  if (d.mfaRequired === true) {
    const methods = Array.isArray(d.methods) ? d.methods.filter((m): m is string => typeof m === 'string') : [];
    return { kind: 'mfa', methods };
  }
  if (Array.isArray(d.setupRequired) && d.setupRequired.length > 0) return { kind: 'setup' };
  return { kind: 'signed-in' };
}

export async function login(email: string, password: string): Promise<LoginOutcome> {
  const data: unknown = await unwrap(api.POST('/api/v1/auth/login', { body: { email, password } }));
  return readOutcome(data);
}

/** Complete a pending sign-in with an authenticator code, a recovery code or a passkey. */
export async function completeSignIn(method: 'totp' | 'recovery' | 'webauthn', code = ''): Promise<LoginOutcome> {
  return readOutcome(await secondFactor(method, code));
}
