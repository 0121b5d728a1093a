import type { Classification } from '../classification/index.js';
import {
  CAPABILITIES,
  CRM_OBJECTS,
  unionMode,
  SCOPE_RANK,
  type Capability,
  type CrmObject,
  type FieldMode,
  type RecordOp,
  type RolePolicy,
  type Scope,
} from './policy.js';

/** Token scopes named for the audit log (CONTRACT.md) that stand for an administrative capability. */
const AUDIT_SCOPE_ALIASES: Partial<Record<Capability, string>> = {
  'read-audit': 'audit:read',
  'manage-audit': 'audit:manage',
};

/** Where a record sits relative to the actor: decides which roles' grants apply to it. */
export type Relation = 'own' | 'team' | 'other';

/**
 * The actor's permissions for this request: the union of its roles (those allowed from the request's
 * network), narrowed by an API token's scopes. Computed once per request and attached to the actor.
 */
/** A field as the access check needs it: its API key (`custom.` prefixed for custom fields) and classification. */
export interface ModeField {
  readonly key: string;
  readonly builtin: boolean;
  readonly classification: Classification;
}

export class EffectiveAccess {
  private modeCache = new Map<string, FieldMode>();
  /** Modes of a whole field list per object and relation (records of a list page share them). */
  private listModes = new WeakMap<readonly ModeField[], Map<string, readonly FieldMode[]>>();

  constructor(
    private readonly policies: readonly RolePolicy[],
    private readonly tokenScopes: readonly string[] | null,
    /** Users whose records count as the actor's team (the actor included). */
    readonly teamUserIds: readonly string[],
    /** The system actor: everything. */
    private readonly unrestricted = false,
  ) {}

  static system(): EffectiveAccess {
    return new EffectiveAccess([], null, [], true);
  }

  get hasRoles(): boolean {
    return this.unrestricted || this.policies.length > 0;
  }

  private tokenAllows(scope: string): boolean {
    if (this.tokenScopes === null || this.tokenScopes.length === 0) return true;
    const [prefix] = scope.split(':');
    return (
      this.tokenScopes.includes(scope) || this.tokenScopes.includes(`${prefix}:*`) || this.tokenScopes.includes('*')
    );
  }

  private tokenAllowsOp(object: CrmObject, op: RecordOp): boolean {
    // An export is a read of everything in scope: a token needs both scopes for it.
    if (op === 'export') return this.tokenAllows(`${object}:read`) && this.tokenAllows(`${object}:export`);
    return this.tokenAllows(`${object}:${op === 'read' ? op : 'write'}`);
  }

  /** Is the operation granted on the object at all (by some role, and by the token)? */
  allows(object: CrmObject, op: RecordOp): boolean {
    if (!this.tokenAllowsOp(object, op)) return false;
    if (this.unrestricted) return true;
    return this.policies.some((p) => p.objects[object]?.ops.includes(op) === true);
  }

  /** The widest scope among roles granting `op` on `object`; null when none does. */
  scope(object: CrmObject, op: RecordOp): Scope | null {
    if (!this.tokenAllowsOp(object, op)) return null;
    if (this.unrestricted) return 'all';
    let best: Scope | null = null;
    for (const p of this.policies) {
      const g = p.objects[object];
      if (g?.ops.includes(op) && (best === null || SCOPE_RANK[g.scope] > SCOPE_RANK[best])) best = g.scope;
    }
    return best;
  }

  /**
   * How a field appears on a record in the given relation: the most open mode among the roles that
   * can read such a record (a role scoped to own records says nothing about other people's records).
   */
  fieldMode(object: CrmObject, key: string, classification: Classification, relation: Relation): FieldMode {
    if (this.unrestricted) return 'write';
    if (!this.tokenAllowsOp(object, 'read')) return 'none';
    const cacheKey = `${object}|${key}|${classification}|${relation}`;
    const cached = this.modeCache.get(cacheKey);
    if (cached) return cached;
    let best: FieldMode = 'none';
    for (const p of this.policies) {
      const g = p.objects[object];
      if (!g?.ops.includes('read') || !covers(g.scope, relation)) continue;
      const mode =
        p.fields[object]?.[key] ??
        p.classifications[object]?.[classification] ??
        p.classifications['*']?.[classification] ??
        'none';
      best = unionMode(best, mode);
    }
    if (!this.tokenAllowsOp(object, 'update')) {
      if (best === 'write') best = 'read';
      if (best === 'masked-write') best = 'masked';
    }
    this.modeCache.set(cacheKey, best);
    return best;
  }

  /**
   * `fieldMode` of every field of `fields` (in order) for a record in `relation`. The array is computed once
   * per field list, object and relation for this access, and the same array is returned after that.
   */
  modesFor(object: CrmObject, fields: readonly ModeField[], relation: Relation): readonly FieldMode[] {
    let byObject = this.listModes.get(fields);
    if (!byObject) {
      byObject = new Map();
      this.listModes.set(fields, byObject);
    }
    const cacheKey = `${object}|${relation}`;
    let modes = byObject.get(cacheKey);
    if (!modes) {
      modes = Object.freeze(
        fields.map((f) => this.fieldMode(object, f.builtin ? f.key : `custom.${f.key}`, f.classification, relation)),
      );
      byObject.set(cacheKey, modes);
    }
    return modes;
  }

  /**
   * May the actor reveal `classification` data? With a record (`object`, `relation`), only a role that itself
   * reads such a record counts: a reveal right held for one's own records says nothing about other people's.
   */
  canReveal(classification: Classification, on?: { object: CrmObject; relation: Relation }): boolean {
    if (this.unrestricted) return true;
    if (on && !this.tokenAllowsOp(on.object, 'read')) return false;
    return this.policies.some((p) => {
      if (!p.reveal.includes(classification)) return false;
      if (!on) return true;
      const g = p.objects[on.object];
      return g?.ops.includes('read') === true && covers(g.scope, on.relation);
    });
  }

  has(capability: Capability): boolean {
    const alias = AUDIT_SCOPE_ALIASES[capability];
    if (!this.tokenAllows(`admin:${capability}`) && !(alias !== undefined && this.tokenAllows(alias))) return false;
    if (this.unrestricted) return true;
    return this.policies.some((p) => p.capabilities.includes(capability));
  }

  capabilities(): Capability[] {
    return CAPABILITIES.filter((c) => this.has(c));
  }

  /** A readable summary (access reviews, /me). */
  summary(): { objects: Record<string, { ops: RecordOp[]; scope: Scope | null }>; capabilities: Capability[] } {
    const objects: Record<string, { ops: RecordOp[]; scope: Scope | null }> = {};
    for (const o of CRM_OBJECTS) {
      const ops = (['read', 'create', 'update', 'delete', 'export'] as const).filter((op) => this.allows(o, op));
      objects[o] = { ops, scope: this.scope(o, 'read') };
    }
    return { objects, capabilities: this.capabilities() };
  }
}

function covers(scope: Scope, relation: Relation): boolean {
  if (scope === 'all') return true;
  if (scope === 'team') return relation !== 'other';
  return relation === 'own';
}
