import type { MfaRoleRule } from '../../../config/config.schema.js';

export type MfaMethod = 'totp' | 'webauthn';
export const MFA_METHODS: readonly MfaMethod[] = ['totp', 'webauthn'];

export interface UserMfaPolicy {
  /** Methods this user may enrol and sign in with. */
  allowed: MfaMethod[];
  /** Whether signing in needs a second factor at all (true unless every role is marked optional). */
  required: boolean;
}

/**
 * The MFA rule for a user with `roles`, from the per-role policy (`*` for roles not named): the methods every one
 * of their roles allows (the strictest wins; if the roles disagree completely, passkeys), required unless every
 * role is optional. A user with no role follows `*`.
 */
export function mfaPolicyFor(
  policy: Readonly<Record<string, Readonly<MfaRoleRule>>>,
  roles: readonly string[],
): UserMfaPolicy {
  const fallback: MfaRoleRule = policy['*'] ?? { methods: ['totp', 'webauthn'], optional: false };
  const rules = (roles.length > 0 ? roles : ['*']).map((r) => policy[r] ?? fallback);
  let allowed = [...MFA_METHODS];
  for (const rule of rules) allowed = allowed.filter((m) => rule.methods.includes(m));
  if (allowed.length === 0) allowed = ['webauthn'];
  return { allowed, required: rules.some((r) => !r.optional) };
}
