import { forbidden } from '../../platform/app-error.js';
import { CLASSIFICATIONS, type Classification } from '../classification/index.js';
import type { EffectiveAccess, Relation } from './effective-access.js';
import {
  CRM_OBJECTS,
  MODE_VISIBILITY,
  MODE_WRITABLE,
  SCOPE_RANK,
  type CrmObject,
  type FieldMode,
  type RolePolicy,
  type Scope,
} from './policy.js';

/** The fields a role's modes apply to, by policy key (`email`, or `custom.<key>` for a custom field). */
export interface FieldCatalog {
  classify(object: CrmObject, key: string): Classification | undefined;
  /** Every field of the object now (built-in and custom). */
  keys(object: CrmObject): readonly string[];
}

export const EMPTY_CATALOG: FieldCatalog = { classify: () => undefined, keys: () => [] };

const RELATION: Record<Scope, Relation> = { own: 'own', team: 'team', all: 'other' };

/** Does `held` show and allow at least what `granted` does? */
const covers = (held: FieldMode, granted: FieldMode): boolean =>
  MODE_VISIBILITY[held] >= MODE_VISIBILITY[granted] && (!MODE_WRITABLE[granted] || MODE_WRITABLE[held]);

const classMode = (p: RolePolicy | null, o: CrmObject, c: Classification): FieldMode =>
  p?.classifications[o]?.[c] ?? p?.classifications['*']?.[c] ?? 'none';

const fieldMode = (p: RolePolicy | null, o: CrmObject, key: string, c: Classification): FieldMode =>
  p?.fields[o]?.[key] ?? classMode(p, o, c);

/**
 * Nobody hands out more than they hold: whatever `next` grants beyond `previous` (null for a new role) — a
 * capability, a reveal right, an operation or a wider scope on an object, a clearer or writable field mode by
 * classification or for a single field — the actor must hold themselves, on records of the same reach.
 * Grants the role already had are left alone, so an administrator can still edit a role that holds more than
 * they do without being refused for what they did not change.
 */
export function checkGrantsHeld(
  mine: EffectiveAccess,
  next: RolePolicy,
  before: RolePolicy | null,
  catalog: FieldCatalog,
): void {
  // Lifting or widening a role's network allowlist makes all it grants usable from more places: judged like
  // handing the whole role out anew (a CIDR not in the old list counts as wider, even when it lies inside one).
  const widensNetwork =
    before !== null &&
    before.ipAllow.length > 0 &&
    (next.ipAllow.length === 0 || next.ipAllow.some((c) => !before.ipAllow.includes(c)));
  const previous = widensNetwork ? null : before;
  for (const cap of next.capabilities) {
    if (previous?.capabilities.includes(cap) || mine.has(cap)) continue;
    throw forbidden(`You cannot grant the '${cap}' capability, which you do not hold.`);
  }
  // A reveal right applies to every record the role reads, so the actor must hold it on records of the same
  // reach (a reveal right limited to their own records does not cover a role that reads everyone's). A right the
  // role already had on an object it already read that widely is left alone.
  const readsAlready = (o: CrmObject, scope: Scope): boolean => {
    const b = previous?.objects[o];
    return b?.ops.includes('read') === true && SCOPE_RANK[b.scope] >= SCOPE_RANK[scope];
  };
  for (const c of next.reveal) {
    const had = previous?.reveal.includes(c) === true;
    if (!had && !mine.canReveal(c)) {
      throw forbidden(`You cannot grant revealing ${c} data, which you may not reveal.`);
    }
    for (const o of CRM_OBJECTS) {
      const g = next.objects[o];
      if (!g?.ops.includes('read') || (had && readsAlready(o, g.scope))) continue;
      if (!mine.canReveal(c, { object: o, relation: RELATION[g.scope] })) {
        throw forbidden(`You cannot grant revealing ${c} data on ${o} with scope '${g.scope}', which you may not.`);
      }
    }
  }
  for (const o of CRM_OBJECTS) {
    const grant = next.objects[o];
    if (!grant) continue;
    const before = previous?.objects[o];
    for (const op of grant.ops) {
      const had = before?.ops.includes(op) === true && SCOPE_RANK[before.scope] >= SCOPE_RANK[grant.scope];
      const held = mine.scope(o, op);
      if (!had && (held === null || SCOPE_RANK[held] < SCOPE_RANK[grant.scope])) {
        throw forbidden(`You cannot grant '${op}' on ${o} with scope '${grant.scope}', which you do not hold.`);
      }
    }
    const relation = RELATION[grant.scope];
    // A field mode the role already had counts as held only where the role already read records of at least
    // this reach: widening a scope (own → all) or granting an object whose modes were set while it was not
    // granted hands out those modes anew, on more records, and is judged like a new grant.
    const reached = before?.ops.includes('read') === true && SCOPE_RANK[before.scope] >= SCOPE_RANK[grant.scope];
    const prior = reached ? previous : null;
    for (const c of CLASSIFICATIONS) {
      const granted = classMode(next, o, c);
      if (covers(classMode(prior, o, c), granted)) continue;
      if (!covers(mine.fieldMode(o, '', c, relation), granted)) {
        throw forbidden(`You cannot grant '${granted}' on ${c} fields of ${o}, which you do not have yourself.`);
      }
    }
    // Field by field, as the role will show each one: this catches a per-field exception removed (the field falls
    // back to a clearer class mode) and judges the actor by their own exceptions, not only by their class modes.
    const keys = new Set([
      ...catalog.keys(o),
      ...Object.keys(next.fields[o] ?? {}),
      ...Object.keys(prior?.fields[o] ?? {}),
    ]);
    for (const key of keys) {
      // An unknown field is judged as the most protected kind.
      const c = catalog.classify(o, key) ?? 'pci';
      const granted = fieldMode(next, o, key, c);
      if (covers(fieldMode(prior, o, key, c), granted)) continue;
      if (!covers(mine.fieldMode(o, key, c, relation), granted)) {
        throw forbidden(`You cannot grant '${granted}' on the ${o} field '${key}', which you do not have yourself.`);
      }
    }
  }
}
