import type { AuthConfig } from '../../config/config.js';
import type { Clock } from '../../platform/clock.js';
import type { DeviceCookies } from './devices/device-cookie.js';
import type { KnownDevices } from './devices/known-devices.service.js';
import { userContext, type CallerMeta, type IdentityEvents } from './identity-events.js';
import type { IdentityStore } from './identity.repository.js';
import { mfaPolicyFor, type MfaMethod, type UserMfaPolicy } from './mfa/mfa-policy.js';
import type { ResolvedSession, NewSession, SessionService, AuthMethod } from './session.service.js';
import type { UserRow } from './user.repository.js';
import { userView, type UserView } from './user.service.js';

/** What answers a pending session's challenge: an enrolled method, or a recovery code. */
export type SecondFactor = MfaMethod | 'recovery';
/** What a restricted session must do before it becomes a full one. */
export type SetupStep = 'mfa-enrolment' | 'password-change';

/** How the user proved who they are first: a password, SSO (with or without MFA at the IdP), or a passkey. */
export type FirstFactor = 'pwd' | 'sso' | 'sso-mfa' | 'passkey';

export interface SignInContext {
  meta: CallerMeta;
  /** The device the request came from (verified device cookie), or null. */
  deviceHash: string | null;
  /** The session cookie the browser already held: it ends, so every sign-in starts a new session. */
  previousSessionToken?: string | null;
}

export type SignInResult =
  | { state: 'full'; user: UserView; session: NewSession; deviceCookie: string | null }
  | { state: 'pending'; session: NewSession; methods: SecondFactor[] }
  | { state: 'restricted'; user: UserView; session: NewSession; setup: SetupStep[]; methods: MfaMethod[] };

export interface MfaState {
  policy: UserMfaPolicy;
  /** Enrolled methods the policy allows. */
  usable: MfaMethod[];
  hasRecoveryCodes: boolean;
}

/** Methods that count as a second factor when a session holds them. */
const MFA_PROOFS: readonly AuthMethod[] = ['totp', 'webauthn', 'recovery', 'passkey', 'sso-mfa'];

export interface SignInFlowDeps {
  store: IdentityStore;
  sessions: SessionService;
  devices: KnownDevices;
  deviceCookies: DeviceCookies;
  events: IdentityEvents;
  clock: Clock;
  auth: AuthConfig;
}

/**
 * The states of a sign-in, whatever the first factor: pending (a second factor is due), restricted (the
 * account must enrol MFA or change an administrator-chosen password first; nothing else is allowed) and
 * full. Every change of state gives the session a new id. Completing a sign-in records the device, notices new
 * devices and networks, and leaves `auth.session.start`.
 */
export class SignInFlow {
  constructor(private readonly deps: SignInFlowDeps) {}

  /** The user's MFA policy (from their roles) and the methods they can answer with. */
  async mfaState(userId: string): Promise<MfaState> {
    const { users, mfa } = this.deps.store.repos;
    const roles = await users.rolesOf(userId);
    const policy = mfaPolicyFor(this.deps.auth.mfaPolicy, roles);
    const [totp, creds, codes] = await Promise.all([
      mfa.findTotp(userId),
      mfa.listCredentials(userId),
      mfa.recoveryCodeStats(userId),
    ]);
    const enrolled: MfaMethod[] = [];
    if (totp?.secret_sealed) enrolled.push('totp');
    if (creds.length > 0) enrolled.push('webauthn');
    return {
      policy,
      usable: enrolled.filter((m) => policy.allowed.includes(m)),
      hasRecoveryCodes: codes.remaining > 0,
    };
  }

  /** After a correct first factor: a pending, restricted or full session. */
  async afterFirstFactor(user: UserRow, factor: FirstFactor, ctx: SignInContext): Promise<SignInResult> {
    if (ctx.previousSessionToken) await this.deps.sessions.revokeByToken(ctx.previousSessionToken, 'replaced');
    const state = await this.mfaState(user.id);
    const knownDevice = await this.deps.devices.isKnown(user.id, ctx.deviceHash);
    // A passkey (with user verification) or an IdP that did MFA is two factors already; an optional-MFA user
    // who enrolled a method is still asked for it.
    const mfaDone =
      factor === 'passkey' || factor === 'sso-mfa' || (!state.policy.required && state.usable.length === 0);
    const methods: AuthMethod[] = [factor];

    if (!mfaDone && state.usable.length > 0) {
      const session = await this.deps.sessions.create(user.id, ctx.meta, {
        kind: 'pending',
        authMethods: methods,
        deviceId: knownDevice ? ctx.deviceHash : null,
      });
      return {
        state: 'pending',
        session,
        methods: [...state.usable, ...(state.hasRecoveryCodes ? (['recovery'] as const) : [])],
      };
    }
    const setup = this.setupSteps(user, state, methods);
    if (setup.length > 0) {
      const session = await this.deps.sessions.create(user.id, ctx.meta, {
        kind: 'restricted',
        authMethods: methods,
        deviceId: knownDevice ? ctx.deviceHash : null,
      });
      return { state: 'restricted', user: await this.view(user), session, setup, methods: state.policy.allowed };
    }
    const session = await this.deps.sessions.create(user.id, ctx.meta, { kind: 'full', authMethods: methods });
    return this.finish(user, session, methods, ctx);
  }

  /** After a pending session's second factor was verified. Null when the pending session is no longer live. */
  async afterSecondFactor(
    pending: ResolvedSession,
    method: SecondFactor,
    ctx: SignInContext,
  ): Promise<SignInResult | null> {
    const user = await this.deps.store.repos.users.findById(pending.userId);
    if (!user) return null;
    const methods: AuthMethod[] = [...pending.authMethods, method];
    const state = await this.mfaState(user.id);
    const setup = this.setupSteps(user, state, methods);
    const session = await this.deps.sessions.rotate(pending.id, ctx.meta, {
      kind: setup.length > 0 ? 'restricted' : 'full',
      authMethods: methods,
      reauthenticated: true,
    });
    if (!session) return null;
    if (setup.length > 0) {
      return { state: 'restricted', user: await this.view(user), session, setup, methods: state.policy.allowed };
    }
    return this.finish(user, session, methods, ctx);
  }

  /**
   * After a setup step in a restricted session (a method enrolled — `proved` — or the password changed): the
   * session becomes full once nothing is left. Returns the new session (null when it stays as it is) and what
   * is still to do.
   */
  async afterSetupStep(
    current: ResolvedSession,
    ctx: SignInContext,
    proved?: MfaMethod,
  ): Promise<{ session: NewSession | null; setup: SetupStep[]; user: UserView | null; deviceCookie: string | null }> {
    const user = await this.deps.store.repos.users.findById(current.userId);
    if (!user || current.kind !== 'restricted') return { session: null, setup: [], user: null, deviceCookie: null };
    const methods: AuthMethod[] = proved ? [...current.authMethods, proved] : current.authMethods;
    const setup = this.setupSteps(user, await this.mfaState(user.id), methods);
    if (setup.length > 0) {
      const session = proved
        ? await this.deps.sessions.rotate(current.id, ctx.meta, { authMethods: methods, reauthenticated: true })
        : null;
      return { session, setup, user: null, deviceCookie: null };
    }
    const session = await this.deps.sessions.rotate(current.id, ctx.meta, {
      kind: 'full',
      authMethods: methods,
      reauthenticated: proved !== undefined,
    });
    if (!session) return { session: null, setup: [], user: null, deviceCookie: null };
    const done = await this.finish(user, session, methods, ctx);
    return done.state === 'full'
      ? { session, setup: [], user: done.user, deviceCookie: done.deviceCookie }
      : { session, setup: [], user: null, deviceCookie: null };
  }

  /** What a restricted session still has to do. */
  async remainingSetup(session: ResolvedSession): Promise<SetupStep[]> {
    const user = await this.deps.store.repos.users.findById(session.userId);
    return user ? this.setupSteps(user, await this.mfaState(user.id), session.authMethods) : [];
  }

  /** What a restricted session with these proofs still has to do. */
  setupSteps(user: UserRow, state: MfaState, methods: readonly AuthMethod[]): SetupStep[] {
    const steps: SetupStep[] = [];
    if (state.policy.required && !methods.some((m) => MFA_PROOFS.includes(m))) steps.push('mfa-enrolment');
    if (user.must_change_password === 1 && methods.includes('pwd')) steps.push('password-change');
    return steps;
  }

  private async finish(
    user: UserRow,
    session: NewSession,
    methods: readonly AuthMethod[],
    ctx: SignInContext,
  ): Promise<SignInResult> {
    let deviceHash = ctx.deviceHash;
    let deviceCookie: string | null = null;
    if (deviceHash === null) {
      const issued = await this.deps.deviceCookies.issue();
      deviceHash = issued.deviceHash;
      deviceCookie = issued.cookie;
    }
    const now = this.deps.clock.now().toISOString();
    await this.deps.store.repos.users.setLastLogin(user.id, now);
    await this.deps.devices.recordSignIn(user, deviceHash, ctx.meta);
    this.deps.events.emit({
      type: 'auth.session.start',
      outcome: 'success',
      context: userContext(user.id, ctx.meta),
      target: { type: 'user', id: user.id },
      detail: { session: session.publicId, methods: [...new Set(methods)] },
    });
    return { state: 'full', user: await this.view({ ...user, last_login_at: now }), session, deviceCookie };
  }

  private async view(user: UserRow): Promise<UserView> {
    return userView(user, await this.deps.store.repos.users.rolesOf(user.id));
  }
}
