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
  | 'auth.login'
  | 'auth.logout'
  | 'session.revoke'
  | 'token.create'
  | 'token.revoke'
  | 'user.create'
  | 'user.update'
  | 'user.password.change'
  | 'user.password.set';

export const actorContext = (actor: Actor): EventContext => ({
  actorId: actor.userId,
  actorType: actor.kind,
  ip: actor.ip,
  userAgent: actor.userAgent,
  requestId: actor.requestId,
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
  target?: { type: 'user' | 'session' | 'token'; id: string };
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
