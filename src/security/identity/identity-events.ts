import type { Clock } from '../../platform/clock.js';
import type { EventBus, EventContext } from '../../platform/events.js';
import type { Actor } from '../access/actor.js';

/** Request facts a service needs to leave evidence for an anonymous caller (login). */
export interface CallerMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export type IdentityEventType =
  /** Password (first factor) checked: success carries what comes next (mfa, enrol, none); failure a reason. */
  | 'auth.login'
  | 'auth.logout'
  /** An account (for unknown devices) or a device reached its failure threshold and is locked. */
  | 'auth.lockout'
  /** A second factor answered at sign-in (detail.method: totp, webauthn, recovery). */
  | 'auth.mfa'
  /** Sign-in with a passkey alone (WebAuthn with user verification). */
  | 'auth.passkey'
  /** Sign-in through the OpenID Connect provider. */
  | 'auth.sso'
  | 'auth.step-up'
  /** A full session started: the user is signed in. */
  | 'auth.session.start'
  | 'auth.new-device'
  | 'mfa.enrol'
  | 'mfa.remove'
  | 'mfa.reset'
  | 'mfa.recovery.use'
  | 'mfa.recovery.regenerate'
  | 'session.revoke'
  /** A session ended by itself: idle or absolute timeout, too many second-factor failures. */
  | 'session.end'
  | 'token.create'
  | 'token.revoke'
  | 'user.create'
  | 'user.update'
  | 'user.disable'
  | 'user.invite'
  | 'user.invitation.accept'
  | 'user.password.change'
  | 'user.password.set'
  | 'user.password.reset.request'
  | 'user.password.reset';

export const actorContext = (actor: Actor): EventContext => ({
  actorId: actor.userId,
  actorType: actor.kind,
  ip: actor.ip,
  userAgent: actor.userAgent,
  requestId: actor.requestId,
});

/** The context of a user acting through a request that has no actor yet (sign-in steps). */
export const userContext = (userId: string, meta: CallerMeta): EventContext => ({
  actorId: userId,
  actorType: 'user',
  ip: meta.ip,
  userAgent: meta.userAgent,
  requestId: meta.requestId,
});

export const anonymousContext = (meta: CallerMeta): EventContext => ({
  actorId: null,
  actorType: 'anonymous',
  ip: meta.ip,
  userAgent: meta.userAgent,
  requestId: meta.requestId,
});

export interface IdentityEventInput {
  type: IdentityEventType;
  outcome: 'success' | 'failure';
  context: EventContext;
  target?: { type: 'user' | 'session' | 'token' | 'credential'; id: string };
  /** Never passwords, tokens, cookies or personal data: ids, reasons, field names. */
  detail?: Record<string, unknown>;
}

/** Emits identity events on the bus with the injected clock's time. */
export class IdentityEvents {
  constructor(
    private readonly bus: EventBus,
    private readonly clock: Clock,
  ) {}

  emit(e: IdentityEventInput): void {
    this.bus.emit({
      type: e.type,
      outcome: e.outcome,
      at: this.clock.now().toISOString(),
      context: e.context,
      target: e.target,
      detail: e.detail,
    });
  }
}
