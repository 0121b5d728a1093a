import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { AppError, forbidden, notFound } from '../../../platform/app-error.js';
import type { Clock } from '../../../platform/clock.js';
import { requireCapability } from '../../access/access.service.js';
import type { Actor } from '../../access/actor.js';
import { checkDisplayText } from '../display-text.js';
import { actorContext, type IdentityEvents } from '../identity-events.js';
import type { IdentityStore } from '../identity.repository.js';
import type { SessionService } from '../session.service.js';
import type { SignInFlow } from '../sign-in.service.js';
import type { MfaMethod } from './mfa-policy.js';
import type { RecoveryCodeService } from './recovery.service.js';
import type { TotpEnrolment, TotpService } from './totp.service.js';
import type { WebauthnCredentialView, WebauthnService } from './webauthn.service.js';

export const MAX_CREDENTIAL_NAME_LENGTH = 64;

export interface MfaStatus {
  /** Whether sign-in needs a second factor for this user (their roles' policy). */
  required: boolean;
  allowedMethods: MfaMethod[];
  totp: { enrolled: boolean; confirmedAt: string | null; enrolmentPending: boolean };
  webauthn: WebauthnCredentialView[];
  recoveryCodes: { total: number; remaining: number; createdAt: string | null };
}

export interface EnrolmentResult {
  /** Ten recovery codes when this was the account's first method (shown once); otherwise null. */
  recoveryCodes: string[] | null;
}

export interface MfaServiceDeps {
  store: IdentityStore;
  totp: TotpService;
  webauthn: WebauthnService;
  recovery: RecoveryCodeService;
  sessions: SessionService;
  signIn: SignInFlow;
  events: IdentityEvents;
  clock: Clock;
}

const wrongCode = (): AppError =>
  new AppError('SEPAR_ERR_VALIDATION', 'Code not accepted', {
    detail: 'That code is not the current one for the new secret; check the device clock and try again.',
    errors: [{ field: 'code', message: 'is not the current code' }],
  });

/**
 * Each user's MFA methods: enrolment (TOTP, WebAuthn) within what their roles' policy allows, removal (never
 * the last allowed method while MFA is required), recovery codes, and an administrator's reset for a user who
 * lost their devices. Managing MFA needs an interactive session — an API token can neither read nor change it —
 * and every change ends the user's other sessions. Secrets are never returned after enrolment.
 */
export class MfaService {
  constructor(private readonly deps: MfaServiceDeps) {}

  async status(actor: Actor): Promise<MfaStatus> {
    const userId = requireSessionActor(actor);
    const { mfa } = this.deps.store.repos;
    const [state, totp, webauthn, codes] = await Promise.all([
      this.deps.signIn.mfaState(userId),
      mfa.findTotp(userId),
      this.deps.webauthn.list(userId),
      this.deps.recovery.stats(userId),
    ]);
    return {
      required: state.policy.required,
      allowedMethods: state.policy.allowed,
      totp: {
        enrolled: Boolean(totp?.secret_sealed),
        confirmedAt: totp?.secret_sealed ? totp.confirmed_at : null,
        enrolmentPending: Boolean(totp?.pending_secret_sealed),
      },
      webauthn,
      recoveryCodes: codes,
    };
  }

  async startTotp(actor: Actor): Promise<TotpEnrolment> {
    const userId = requireSessionActor(actor);
    await this.requireAllowed(userId, 'totp');
    const user = await this.deps.store.repos.users.findById(userId);
    if (!user) throw notFound('User');
    return this.deps.totp.begin(userId, user.email);
  }

  async confirmTotp(actor: Actor, code: string): Promise<EnrolmentResult> {
    const userId = requireSessionActor(actor);
    await this.requireAllowed(userId, 'totp');
    const outcome = await this.deps.totp.confirm(userId, code);
    if (outcome === 'no-enrolment') {
      throw new AppError('SEPAR_ERR_CONFLICT', 'Nothing to confirm', {
        detail: 'Start with POST /api/v1/me/mfa/totp to get a secret, then confirm a code from it.',
      });
    }
    if (outcome === 'wrong') {
      this.emit(actor, 'mfa.enrol', 'failure', { method: 'totp', reason: 'wrong-code' });
      throw wrongCode();
    }
    return this.enrolled(actor, 'totp');
  }

  async webauthnRegistrationOptions(actor: Actor): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const userId = requireSessionActor(actor);
    await this.requireAllowed(userId, 'webauthn');
    const user = await this.deps.store.repos.users.findById(userId);
    if (!user || actor.sessionId === null) throw notFound('User');
    return this.deps.webauthn.registrationOptions(user, actor.sessionId);
  }

  async registerWebauthn(
    actor: Actor,
    response: RegistrationResponseJSON,
    name: string | undefined,
  ): Promise<EnrolmentResult & { credential: WebauthnCredentialView }> {
    const userId = requireSessionActor(actor);
    await this.requireAllowed(userId, 'webauthn');
    const label = checkDisplayText('name', name ?? 'Passkey', MAX_CREDENTIAL_NAME_LENGTH);
    const user = await this.deps.store.repos.users.findById(userId);
    if (!user || actor.sessionId === null) throw notFound('User');
    const result = await this.deps.webauthn.verifyRegistration(user, actor.sessionId, response, label);
    if (!result.ok) {
      this.emit(actor, 'mfa.enrol', 'failure', { method: 'webauthn', reason: result.reason });
      throw new AppError('SEPAR_ERR_VALIDATION', 'Passkey not registered', {
        detail: `The new passkey could not be verified (${result.reason}); start the registration again.`,
        errors: [{ field: 'credential', message: 'could not be verified' }],
      });
    }
    return { ...(await this.enrolled(actor, 'webauthn', result.value.id)), credential: result.value };
  }

  async removeTotp(actor: Actor): Promise<void> {
    const userId = requireSessionActor(actor);
    await this.requireRemovable(userId, 'totp');
    if ((await this.deps.store.repos.mfa.deleteTotp(userId)) === 0) throw notFound('TOTP enrolment');
    await this.removed(actor, { method: 'totp' });
  }

  async removeWebauthn(actor: Actor, credentialId: string): Promise<void> {
    const userId = requireSessionActor(actor);
    const creds = await this.deps.store.repos.mfa.listCredentials(userId);
    if (!creds.some((c) => c.id === credentialId)) throw notFound('Passkey');
    if (creds.length === 1) await this.requireRemovable(userId, 'webauthn');
    await this.deps.store.repos.mfa.deleteCredential(userId, credentialId);
    await this.removed(actor, { method: 'webauthn', credential: credentialId });
  }

  async regenerateRecoveryCodes(actor: Actor): Promise<string[]> {
    const userId = requireSessionActor(actor);
    const state = await this.deps.signIn.mfaState(userId);
    if (state.usable.length === 0) {
      throw new AppError('SEPAR_ERR_CONFLICT', 'No MFA method', {
        detail: 'Enrol an authenticator app or a passkey first; recovery codes back one up.',
      });
    }
    const codes = await this.deps.recovery.regenerate(userId);
    const ended = await this.deps.sessions.revokeAllForUser(userId, 'mfa-changed', actor.sessionId ?? undefined);
    this.emit(actor, 'mfa.recovery.regenerate', 'success', { endedSessions: ended });
    return codes;
  }

  /** An administrator removes every factor of another user (lost device); they enrol again at next sign-in. */
  async resetForUser(actor: Actor, userId: string): Promise<void> {
    requireCapability(actor, 'manage-users');
    if (actor.userId === userId) throw forbidden('Manage your own methods under /api/v1/me/mfa.');
    const { users } = this.deps.store.repos;
    if (!(await users.findById(userId))) throw notFound('User');
    const removed = await this.deps.store.transaction(async (tx) => {
      const counts = [
        await tx.mfa.deleteTotp(userId),
        await tx.mfa.deleteCredentials(userId),
        await tx.mfa.deleteRecoveryCodes(userId),
      ];
      const now = this.deps.clock.now().toISOString();
      const ended = await tx.sessions.revokeAllForUser(userId, now, 'mfa-reset', null);
      return { totp: counts[0] ?? 0, webauthn: counts[1] ?? 0, recoveryCodes: counts[2] ?? 0, endedSessions: ended };
    });
    this.deps.events.emit({
      type: 'mfa.reset',
      outcome: 'success',
      context: actorContext(actor),
      target: { type: 'user', id: userId },
      detail: removed,
    });
  }

  private async enrolled(actor: Actor, method: MfaMethod, credential?: string): Promise<EnrolmentResult> {
    const userId = actor.userId;
    const codes = await this.deps.recovery.stats(userId);
    const recoveryCodes = codes.total === 0 ? await this.deps.recovery.regenerate(userId) : null;
    const ended = await this.deps.sessions.revokeAllForUser(userId, 'mfa-changed', actor.sessionId ?? undefined);
    this.emit(actor, 'mfa.enrol', 'success', {
      method,
      ...(credential ? { credential } : {}),
      recoveryCodesIssued: recoveryCodes !== null,
      endedSessions: ended,
    });
    return { recoveryCodes };
  }

  private async removed(actor: Actor, detail: Record<string, unknown>): Promise<void> {
    const userId = actor.userId;
    const state = await this.deps.signIn.mfaState(userId);
    if (state.usable.length === 0) await this.deps.store.repos.mfa.deleteRecoveryCodes(userId);
    const ended = await this.deps.sessions.revokeAllForUser(userId, 'mfa-changed', actor.sessionId ?? undefined);
    this.emit(actor, 'mfa.remove', 'success', { ...detail, endedSessions: ended });
  }

  private async requireAllowed(userId: string, method: MfaMethod): Promise<void> {
    const state = await this.deps.signIn.mfaState(userId);
    if (!state.policy.allowed.includes(method)) {
      throw forbidden(
        `Your role's policy does not allow ${method === 'totp' ? 'authenticator apps' : 'passkeys'}; ` +
          `use ${state.policy.allowed.join(' or ')}.`,
      );
    }
  }

  /** Refuses removing the last method the policy allows while MFA is required. */
  private async requireRemovable(userId: string, method: MfaMethod): Promise<void> {
    const state = await this.deps.signIn.mfaState(userId);
    const left = state.usable.filter((m) => m !== method);
    if (state.policy.required && left.length === 0 && state.usable.includes(method)) {
      throw new AppError('SEPAR_ERR_CONFLICT', 'Last method', {
        detail: 'This is your last sign-in method and your account requires MFA: add another one first.',
      });
    }
  }

  private emit(
    actor: Actor,
    type: 'mfa.enrol' | 'mfa.remove' | 'mfa.recovery.regenerate',
    outcome: 'success' | 'failure',
    detail: Record<string, unknown>,
  ): void {
    this.deps.events.emit({
      type,
      outcome,
      context: actorContext(actor),
      target: { type: 'user', id: actor.userId },
      detail,
    });
  }
}

/** MFA is managed from a signed-in browser session only: an API token cannot read or change it. */
function requireSessionActor(actor: Actor): string {
  if (actor.kind !== 'user' || actor.sessionId === null) {
    throw forbidden('Managing multi-factor authentication needs a signed-in session, not an API token.');
  }
  return actor.userId;
}
