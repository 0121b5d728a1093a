import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { AppError } from '../../platform/app-error.js';
import type { Clock } from '../../platform/clock.js';
import { AuthDefense, type LockScope } from './auth-defense.js';
import { anonymousContext, userContext, type CallerMeta, type IdentityEvents } from './identity-events.js';
import type { IdentityStore } from './identity.repository.js';
import type { RecoveryCodeService } from './mfa/recovery.service.js';
import type { TotpService } from './mfa/totp.service.js';
import type { WebauthnService } from './mfa/webauthn.service.js';
import type { PasswordHasher } from './password.js';
import type { AuthMethod, NewSession, ResolvedSession, SessionService } from './session.service.js';
import type { SecondFactor, SignInContext, SignInFlow, SignInResult } from './sign-in.service.js';

/** Wrong second-factor answers a pending session may give before it ends (then: the password again). */
export const PENDING_MFA_ATTEMPTS = 5;

export interface SecondFactorDeps {
  store: IdentityStore;
  sessions: SessionService;
  signIn: SignInFlow;
  defense: AuthDefense;
  totp: TotpService;
  webauthn: WebauthnService;
  recovery: RecoveryCodeService;
  passwords: PasswordHasher;
  events: IdentityEvents;
  clock: Clock;
}

/** A second-factor answer: a TOTP code, a WebAuthn assertion or a recovery code. */
export type FactorAnswer =
  | { method: 'totp'; code: string }
  | { method: 'webauthn'; response: AuthenticationResponseJSON }
  | { method: 'recovery'; code: string };

const wrongAnswer = (): AppError =>
  new AppError('SEPAR_ERR_INVALID_CREDENTIALS', 'Second factor not accepted', {
    detail: 'That code or key was not accepted (wrong, expired or already used).',
  });

const sessionGone = (): AppError =>
  new AppError('SEPAR_ERR_UNAUTHENTICATED', 'Sign in again', {
    detail: 'This sign-in has ended (too many wrong answers, or it expired); sign in again.',
  });

/**
 * The second step of sign-in and re-authentication (step-up). Answers are checked against what the user
 * enrolled and the policy allows; each wrong answer counts against the pending session (ended after five) and
 * against a lockout counter (the known device's own, or the account's for unknown devices), so a stolen
 * password does not buy unlimited code guessing. A success rotates the session id.
 */
export class SecondFactorService {
  constructor(private readonly deps: SecondFactorDeps) {}

  /** Completes a pending sign-in. */
  async complete(session: ResolvedSession, answer: FactorAnswer, ctx: SignInContext): Promise<SignInResult> {
    if (session.kind !== 'pending') throw sessionGone();
    await this.deps.defense.consume('mfa-ip', ctx.meta.ip ?? 'unknown');
    const ok = await this.check(session, answer, ctx.meta, 'auth.mfa');
    if (!ok) {
      if (await this.deps.sessions.recordMfaFailure(session.id, PENDING_MFA_ATTEMPTS, ctx.meta, session.userId)) {
        throw sessionGone();
      }
      throw wrongAnswer();
    }
    const result = await this.deps.signIn.afterSecondFactor(session, answer.method, ctx);
    if (!result) throw sessionGone();
    return result;
  }

  /** WebAuthn options for a pending sign-in or a step-up, bound to this session. */
  async webauthnOptions(
    session: ResolvedSession,
    ceremony: 'mfa' | 'step-up',
  ): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const state = await this.deps.signIn.mfaState(session.userId);
    if (!state.usable.includes('webauthn')) {
      throw new AppError('SEPAR_ERR_CONFLICT', 'No passkey', { detail: 'You have no passkey or security key.' });
    }
    return this.deps.webauthn.authenticationOptions(session.userId, session.id, ceremony);
  }

  /**
   * Re-authentication for sensitive actions: a fresh second factor (or, for an account without MFA under an
   * optional policy, the password). The session gets a new id and `authenticatedAt` = now.
   */
  async stepUp(
    session: ResolvedSession,
    answer: FactorAnswer | { method: 'password'; password: string },
    meta: CallerMeta,
  ): Promise<{ session: NewSession; authenticatedAt: string }> {
    // A restricted session (account setup) may re-confirm with its password, e.g. before enrolling MFA.
    if (session.kind !== 'full' && !(session.kind === 'restricted' && answer.method === 'password')) {
      throw sessionGone();
    }
    await this.deps.defense.consume('mfa-ip', meta.ip ?? 'unknown');
    let ok: boolean;
    if (answer.method === 'password') {
      const state = await this.deps.signIn.mfaState(session.userId);
      if (state.usable.length > 0) {
        throw new AppError('SEPAR_ERR_VALIDATION', 'Use your second factor', {
          detail: 'Confirm with your authenticator code or passkey.',
          errors: [{ field: 'method', message: `must be one of ${state.usable.join(', ')}` }],
        });
      }
      ok = await this.checkPassword(session, answer.password, meta);
    } else {
      ok = await this.check(session, answer, meta, 'auth.step-up');
    }
    if (!ok) throw wrongAnswer();
    const methods: AuthMethod[] = [...session.authMethods, answer.method === 'password' ? 'pwd' : answer.method];
    const rotated = await this.deps.sessions.rotate(session.id, meta, { authMethods: methods, reauthenticated: true });
    if (!rotated) throw sessionGone();
    this.deps.events.emit({
      type: 'auth.step-up',
      outcome: 'success',
      context: userContext(session.userId, meta),
      target: { type: 'session', id: rotated.publicId },
      detail: { method: answer.method },
    });
    return { session: rotated, authenticatedAt: this.deps.clock.now().toISOString() };
  }

  /** Checks one answer, with the lockout rules; leaves `auth.mfa`/`auth.step-up` (and recovery) evidence. */
  private async check(
    session: ResolvedSession,
    answer: FactorAnswer,
    meta: CallerMeta,
    event: 'auth.mfa' | 'auth.step-up',
  ): Promise<boolean> {
    const userId = session.userId;
    const scope: LockScope = { kind: 'mfa', userId, deviceHash: session.deviceId };
    const fail = async (reason: string): Promise<false> => {
      const outcome = await this.deps.defense.fail(scope);
      this.deps.events.emit({
        type: event,
        outcome: 'failure',
        context: userContext(userId, meta),
        target: { type: 'user', id: userId },
        detail: { method: answer.method, reason },
      });
      if (outcome.lockedNow) {
        this.deps.events.emit({
          type: 'auth.lockout',
          outcome: 'success',
          context: userContext(userId, meta),
          target: { type: 'user', id: userId },
          detail: { scope: session.deviceId === null ? 'second-factor' : 'second-factor-known-device' },
        });
      }
      return false;
    };

    if (await this.deps.defense.isLocked(scope)) {
      this.deps.events.emit({
        type: event,
        outcome: 'failure',
        context: userContext(userId, meta),
        target: { type: 'user', id: userId },
        detail: { method: answer.method, reason: 'locked' },
      });
      throw AuthDefense.mfaLocked(await this.deps.defense.lockedFor(scope));
    }
    const state = await this.deps.signIn.mfaState(userId);
    const allowed: SecondFactor[] = [...state.usable, ...(state.hasRecoveryCodes ? (['recovery'] as const) : [])];
    if (!allowed.includes(answer.method)) return fail('method-not-available');

    switch (answer.method) {
      case 'totp': {
        const r = await this.deps.totp.verify(userId, answer.code);
        if (r !== 'ok') return fail(r);
        break;
      }
      case 'webauthn': {
        const ceremony = event === 'auth.mfa' ? 'mfa' : 'step-up';
        const r = await this.deps.webauthn.verifyAuthentication(userId, session.id, ceremony, answer.response);
        if (!r.ok) return fail(r.reason);
        break;
      }
      case 'recovery': {
        if (!(await this.deps.recovery.use(userId, answer.code))) return fail('wrong-or-used');
        const { remaining } = await this.deps.recovery.stats(userId);
        this.deps.events.emit({
          type: 'mfa.recovery.use',
          outcome: 'success',
          context: userContext(userId, meta),
          target: { type: 'user', id: userId },
          detail: { remaining },
        });
        break;
      }
    }
    await this.deps.defense.reset(scope);
    if (event === 'auth.mfa') {
      this.deps.events.emit({
        type: 'auth.mfa',
        outcome: 'success',
        context: userContext(userId, meta),
        target: { type: 'user', id: userId },
        detail: { method: answer.method },
      });
    }
    return true;
  }

  private async checkPassword(session: ResolvedSession, password: string, meta: CallerMeta): Promise<boolean> {
    const user = await this.deps.store.repos.users.findById(session.userId);
    const ok =
      user?.password_hash === null || !user
        ? (await this.deps.passwords.verifyDummy(password), false)
        : await this.deps.passwords.verify(user.password_hash, password);
    if (!ok) {
      this.deps.events.emit({
        type: 'auth.step-up',
        outcome: 'failure',
        context: userContext(session.userId, meta),
        target: { type: 'user', id: session.userId },
        detail: { method: 'password', reason: 'wrong-password' },
      });
      await this.deps.defense.fail({ kind: 'mfa', userId: session.userId, deviceHash: session.deviceId });
      return false;
    }
    return true;
  }
}

/** Sign-in with a passkey alone: WebAuthn with user verification counts as both factors. */
export class PasskeySignIn {
  constructor(
    private readonly deps: {
      store: IdentityStore;
      webauthn: WebauthnService;
      signIn: SignInFlow;
      defense: AuthDefense;
      events: IdentityEvents;
      isIdle: (userId: string, meta: CallerMeta) => Promise<boolean>;
    },
  ) {}

  async options(meta: CallerMeta): Promise<PublicKeyCredentialRequestOptionsJSON> {
    await this.deps.defense.consume('public-ip', meta.ip ?? 'unknown');
    return this.deps.webauthn.passkeyOptions();
  }

  async signIn(response: AuthenticationResponseJSON, ctx: SignInContext): Promise<SignInResult> {
    await this.deps.defense.consume('public-ip', ctx.meta.ip ?? 'unknown');
    const verified = await this.deps.webauthn.verifyPasskey(response);
    const user = verified.ok ? await this.deps.store.repos.users.findById(verified.value.userId) : undefined;
    const reason = !verified.ok
      ? verified.reason
      : !user || user.status !== 'active'
        ? 'disabled'
        : (await this.deps.isIdle(user.id, ctx.meta))
          ? 'idle'
          : null;
    if (reason !== null || !user) {
      this.deps.events.emit({
        type: 'auth.passkey',
        outcome: 'failure',
        context: user ? userContext(user.id, ctx.meta) : anonymousContext(ctx.meta),
        ...(user ? { target: { type: 'user' as const, id: user.id } } : {}),
        detail: { reason: reason ?? 'unknown' },
      });
      throw new AppError('SEPAR_ERR_INVALID_CREDENTIALS', 'Passkey not accepted', {
        detail: 'This passkey could not sign you in. Try again, or sign in with your password.',
      });
    }
    this.deps.events.emit({
      type: 'auth.passkey',
      outcome: 'success',
      context: userContext(user.id, ctx.meta),
      target: { type: 'user', id: user.id },
    });
    return this.deps.signIn.afterFirstFactor(user, 'passkey', ctx);
  }
}
