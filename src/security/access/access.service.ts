import { AppError, forbidden } from '../../platform/app-error.js';
import type { Actor } from './actor.js';

/**
 * The one place that answers "may this actor do this?". Routes never decide access and
 * repositories never skip it. This is the foundation policy (admin: everything; everyone else: their
 * own records); the authorization issue replaces the policy behind the same functions.
 */
export type CrmObject = 'companies' | 'contacts' | 'deals' | 'activities';
export type RecordOp = 'read' | 'create' | 'update' | 'delete';
export type AdminCapability =
  'manage-users' | 'manage-roles' | 'manage-fields' | 'manage-pipelines' | 'manage-settings';
export type RecordScope = { kind: 'all' } | { kind: 'own'; userId: string };

const isAdmin = (actor: Actor): boolean => actor.kind === 'system' || actor.roles.includes('admin');

function tokenAllows(actor: Actor, scope: string): boolean {
  if (actor.scopes === null) return true;
  const [object] = scope.split(':');
  return actor.scopes.includes(scope) || actor.scopes.includes(`${object}:*`) || actor.scopes.includes('*');
}

/** Which records of `object` the actor may see at all; applied inside every query. */
export function recordScope(actor: Actor, object: CrmObject, op: RecordOp = 'read'): RecordScope {
  requireObjectAccess(actor, object, op);
  return isAdmin(actor) ? { kind: 'all' } : { kind: 'own', userId: actor.userId };
}

export function requireObjectAccess(actor: Actor, object: CrmObject, op: RecordOp): void {
  const scope = `${object}:${op === 'read' ? 'read' : 'write'}`;
  if (!tokenAllows(actor, scope)) {
    throw new AppError('SEPAR_ERR_FORBIDDEN', 'Forbidden', { detail: `This API token is not scoped for ${scope}.` });
  }
  if (actor.roles.length === 0 && !isAdmin(actor)) {
    // Privacy by default: a user with no role sees no customer data.
    throw forbidden('Your account has no role that grants access to customer data.');
  }
}

/** True when the actor may act on a record owned by `ownerId`. */
export function ownsOrAll(scope: RecordScope, ownerId: string): boolean {
  return scope.kind === 'all' || scope.userId === ownerId;
}

/** Setting or changing an owner to someone else needs the all-records scope. */
export function requireCanAssignOwner(actor: Actor, ownerId: string): void {
  if (!isAdmin(actor) && ownerId !== actor.userId) {
    throw forbidden('Only an administrator can assign a record to another user.');
  }
}

export function requireCapability(actor: Actor, capability: AdminCapability): void {
  if (!tokenAllows(actor, `admin:${capability}`) || !isAdmin(actor)) {
    throw forbidden(`This needs the '${capability}' capability.`);
  }
}

export function hasCapability(actor: Actor, capability: AdminCapability): boolean {
  return tokenAllows(actor, `admin:${capability}`) && isAdmin(actor);
}

export const TOKEN_SCOPES = [
  '*',
  'companies:read',
  'companies:write',
  'contacts:read',
  'contacts:write',
  'deals:read',
  'deals:write',
  'activities:read',
  'activities:write',
  'companies:*',
  'contacts:*',
  'deals:*',
  'activities:*',
  'admin:manage-users',
  'admin:manage-roles',
  'admin:manage-fields',
  'admin:manage-pipelines',
  'admin:manage-settings',
] as const;
