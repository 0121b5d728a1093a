import { AppError, forbidden } from '../../platform/app-error.js';
import type { Classification } from '../classification/index.js';
import type { Actor } from './actor.js';
import { EffectiveAccess, type ModeField, type Relation } from './effective-access.js';
import {
  builtinPolicy,
  CAPABILITIES,
  CRM_OBJECTS,
  type Capability,
  type CrmObject,
  type FieldMode,
  type RecordOp,
  intersectMode,
  unionMode,
} from './policy.js';

/**
 * The one place that answers "may this actor do this?". Services ask it with the actor first;
 * routes never decide access and repositories never skip the scope it returns.
 */
export type { CrmObject, RecordOp, FieldMode, Capability } from './policy.js';
export type AdminCapability = Capability;
export type RecordScope =
  { kind: 'all' } | { kind: 'own'; userId: string } | { kind: 'team'; userIds: readonly string[] };

/** The actor's resolved permissions (attached per request; built-in defaults for actors made in-process). */
export function accessOf(actor: Actor): EffectiveAccess {
  if (actor.access) return actor.access;
  if (actor.kind === 'system') return EffectiveAccess.system();
  const policies = actor.roles.flatMap((r) => {
    const p = builtinPolicy(r);
    return p ? [p] : [];
  });
  return new EffectiveAccess(policies, actor.scopes, [actor.userId]);
}

function refuse(actor: Actor, object: CrmObject, op: RecordOp): AppError {
  const a = accessOf(actor);
  if (!a.hasRoles) return forbidden('Your account has no role that grants access to customer data.');
  if (actor.scopes !== null && actor.scopes.length > 0 && a.scope(object, op) === null) {
    return new AppError('SEPAR_ERR_FORBIDDEN', 'Forbidden', {
      detail: `This API token is not scoped for ${object}:${op}.`,
    });
  }
  return forbidden(`Your role does not allow ${op} on ${object}.`);
}

/** Which records of `object` the actor may touch for `op`; applied inside every query. */
export function recordScope(actor: Actor, object: CrmObject, op: RecordOp = 'read'): RecordScope {
  const scope = accessOf(actor).scope(object, op);
  switch (scope) {
    case 'all':
      return { kind: 'all' };
    case 'team':
      return { kind: 'team', userIds: accessOf(actor).teamUserIds };
    case 'own':
      return { kind: 'own', userId: actor.userId };
    case null:
      throw refuse(actor, object, op);
  }
}

const SCOPE_REACH = { own: 0, team: 1, all: 2 } as const;

/** The narrower of two scopes (an export reaches only records both its read and its export grant reach). */
export function narrowerScope(a: RecordScope, b: RecordScope): RecordScope {
  return SCOPE_REACH[a.kind] <= SCOPE_REACH[b.kind] ? a : b;
}

export function requireObjectAccess(actor: Actor, object: CrmObject, op: RecordOp): void {
  recordScope(actor, object, op);
}

export function relationTo(actor: Actor, ownerId: string): Relation {
  if (ownerId === actor.userId) return 'own';
  return accessOf(actor).teamUserIds.includes(ownerId) ? 'team' : 'other';
}

/** How one field of a record owned by `ownerId` appears to the actor. */
export function fieldMode(
  actor: Actor,
  object: CrmObject,
  key: string,
  classification: Classification,
  ownerId: string,
): FieldMode {
  return accessOf(actor).fieldMode(object, key, classification, relationTo(actor, ownerId));
}

/**
 * How every field of `fields` appears on a record owned by `ownerId` (in order; the same as `fieldMode`
 * field by field). Records of one page with the same relation to the actor get the same array.
 */
export function fieldModes(
  actor: Actor,
  object: CrmObject,
  fields: readonly ModeField[],
  ownerId: string,
): readonly FieldMode[] {
  return accessOf(actor).modesFor(object, fields, relationTo(actor, ownerId));
}

/**
 * The modes of `fields` (as `fieldModes` gives them) for each relation a record can have to the actor: own, team
 * and other, whatever the read scope reaches (so a caller deciding what to read never assumes too little).
 */
export function fieldModesByRelation(
  actor: Actor,
  object: CrmObject,
  fields: readonly ModeField[],
): readonly (readonly FieldMode[])[] {
  const a = accessOf(actor);
  return [a.modesFor(object, fields, 'own'), a.modesFor(object, fields, 'team'), a.modesFor(object, fields, 'other')];
}

/** The best mode the actor has on a field over any record it can see (for filters, sort and search). */
export function bestFieldMode(actor: Actor, object: CrmObject, key: string, classification: Classification): FieldMode {
  const a = accessOf(actor);
  return (['own', 'team', 'other'] as const)
    .map((r) => a.fieldMode(object, key, classification, r))
    .reduce((m, x) => unionMode(m, x), 'none' as FieldMode);
}

/**
 * The mode that holds on every record the actor can read (for filters, sort and search). A query runs over all
 * of them, so a field clear on one's own records but hidden on others' (two roles of different reach) would make
 * the answer an oracle for the hidden values: the least mode over the relations the read scope reaches counts.
 */
export function queryFieldMode(
  actor: Actor,
  object: CrmObject,
  key: string,
  classification: Classification,
): FieldMode {
  const a = accessOf(actor);
  const scope = a.scope(object, 'read');
  if (scope === null) return 'none';
  const relations: readonly Relation[] =
    scope === 'all' ? ['own', 'team', 'other'] : scope === 'team' ? ['own', 'team'] : ['own'];
  return relations
    .map((r) => a.fieldMode(object, key, classification, r))
    .reduce((m, x) => intersectMode(m, x), 'write' as FieldMode);
}

/** True when the actor may act on a record owned by `ownerId` within `scope`. */
export function ownsOrAll(scope: RecordScope, ownerId: string): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'team':
      return scope.userIds.includes(ownerId);
    case 'own':
      return scope.userId === ownerId;
  }
}

/** A record may only be given to an owner inside the actor's own scope for that object. */
export function requireCanAssignOwner(actor: Actor, ownerId: string, object: CrmObject = 'contacts'): void {
  if (ownerId === actor.userId && actor.kind !== 'system') return;
  const scope = recordScope(actor, object, 'update');
  if (!ownsOrAll(scope, ownerId)) {
    throw forbidden('You can only assign records to owners whose records you manage.');
  }
}

/** Refusal to use a field the actor may not (403, naming the field; never a silent ignore). */
export function forbiddenField(field: string, what: string): AppError {
  return new AppError('SEPAR_ERR_FORBIDDEN', 'Forbidden', {
    detail: `Your role may not ${what} '${field}'.`,
    errors: [{ field, message: `may not be used to ${what.split(' ')[0] ?? what}` }],
  });
}

/** May the actor reveal `classification` data on this record (by a role that reaches the record)? */
export function canReveal(actor: Actor, classification: Classification, object: CrmObject, ownerId: string): boolean {
  return accessOf(actor).canReveal(classification, { object, relation: relationTo(actor, ownerId) });
}

export function requireCapability(actor: Actor, capability: Capability): void {
  if (!accessOf(actor).has(capability)) throw forbidden(`This needs the '${capability}' capability.`);
}

export function hasCapability(actor: Actor, capability: Capability): boolean {
  return accessOf(actor).has(capability);
}

/** Scopes an API token may carry: per object, and per capability. */
export const TOKEN_SCOPES = [
  '*',
  ...CRM_OBJECTS.flatMap((o) => [`${o}:read`, `${o}:write`, `${o}:export`, `${o}:*`]),
  ...CAPABILITIES.map((c) => `admin:${c}`),
  'audit:read',
  'audit:manage',
] as const;
