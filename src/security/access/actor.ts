import type { EventContext } from '../../platform/events.js';
import type { EffectiveAccess } from './effective-access.js';

/**
 * Who is asking. Every service method takes an Actor first; the CLI and background jobs use a
 * system actor, which is still an actor and still leaves evidence.
 */
export type RoleId = string;

export const BUILTIN_ROLE_IDS = [
  'admin',
  'security-officer',
  'sales-manager',
  'sales-rep',
  'support',
  'auditor',
  'read-only',
] as const;
export type BuiltinRoleId = (typeof BUILTIN_ROLE_IDS)[number];

export interface Actor {
  readonly kind: 'user' | 'token' | 'system';
  /** The user acting (for a token, its owner). For the system actor, 'system'. */
  readonly userId: string;
  readonly roles: readonly RoleId[];
  readonly sessionId: string | null;
  readonly tokenId: string | null;
  /** A token may be scoped down; null means the user's full permissions. */
  readonly scopes: readonly string[] | null;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly requestId: string | null;
  /** Permissions resolved for this request (roles allowed from this network, narrowed by token scopes). */
  readonly access?: EffectiveAccess;
}

export const SYSTEM_USER_ID = 'system';

export function systemActor(reason = 'system'): Actor {
  return {
    kind: 'system',
    userId: SYSTEM_USER_ID,
    roles: ['admin'],
    sessionId: null,
    tokenId: null,
    scopes: null,
    ip: null,
    userAgent: reason,
    requestId: null,
  };
}

export const isSystem = (a: Actor): boolean => a.kind === 'system';

/** Who did it, from where, in which request: the context every event an actor causes carries. */
export function eventContext(actor: Actor): EventContext {
  return {
    actorId: actor.kind === 'system' ? null : actor.userId,
    actorType: actor.kind,
    ip: actor.ip,
    userAgent: actor.userAgent,
    requestId: actor.requestId,
  };
}
