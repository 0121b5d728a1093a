import type { EventContext } from '../../platform/events.js';
import type { Actor } from '../../security/access/index.js';

export function eventContext(actor: Actor): EventContext {
  return {
    actorId: actor.kind === 'system' ? null : actor.userId,
    actorType: actor.kind,
    ip: actor.ip,
    userAgent: actor.userAgent,
    requestId: actor.requestId,
  };
}
