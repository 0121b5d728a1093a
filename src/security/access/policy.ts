import type { Classification } from '../classification/index.js';

/**
 * What a role grants, as data. Deny by default: anything not granted is refused. Several roles
 * combine by union; an API token can only narrow its user's grants (scopes), never widen them.
 */
export const CRM_OBJECTS = ['companies', 'contacts', 'deals', 'activities'] as const;
export type CrmObject = (typeof CRM_OBJECTS)[number];
export const RECORD_OPS = ['read', 'create', 'update', 'delete', 'export'] as const;
export type RecordOp = (typeof RECORD_OPS)[number];
export const SCOPES = ['own', 'team', 'all'] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * How a field appears: `none` absent from responses, unusable in filters/sort/search; `masked` shown
 * as a mask (reveal with a reason when `reveal` allows); `masked-write` shown masked but writable
 * (entering a card number without ever reading one back); `read` clear; `write` clear and writable.
 */
export const FIELD_MODES = ['none', 'masked', 'masked-write', 'read', 'write'] as const;
export type FieldMode = (typeof FIELD_MODES)[number];

export const CAPABILITIES = [
  'manage-users',
  'manage-roles',
  'manage-fields',
  'manage-pipelines',
  'manage-settings',
  'manage-security',
  'manage-keys',
  'read-audit',
  'manage-audit',
  'manage-incidents',
  'review-access',
  'team-reports',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface ObjectGrant {
  ops: readonly RecordOp[];
  scope: Scope;
}

export interface RolePolicy {
  objects: Partial<Record<CrmObject, ObjectGrant>>;
  /** Field mode by classification, per object ('*' for every object). */
  classifications: Partial<Record<CrmObject | '*', Partial<Record<Classification, FieldMode>>>>;
  /** Exceptions for single fields: object → field key (custom: `custom.key`) → mode. */
  fields: Partial<Record<CrmObject, Record<string, FieldMode>>>;
  /** May reveal masked values of these classifications (with a reason; pci also needs step-up). */
  reveal: readonly Classification[];
  capabilities: readonly Capability[];
  /** CIDR allowlist: the role's grants apply only to requests from these networks (empty: anywhere). */
  ipAllow: readonly string[];
}

const ALL_OPS: RecordOp[] = ['read', 'create', 'update', 'delete', 'export'];
const READ: RecordOp[] = ['read'];
const every = (grant: ObjectGrant): Record<CrmObject, ObjectGrant> =>
  Object.fromEntries(CRM_OBJECTS.map((o) => [o, grant])) as Record<CrmObject, ObjectGrant>;
const plainWrite = { public: 'write', internal: 'write', confidential: 'write' } as const;
const plainRead = { public: 'read', internal: 'read', confidential: 'read' } as const;

/** The built-in roles (CONTRACT.md). Administrators may change them; these are the defaults. */
export const BUILTIN_POLICIES: Record<string, RolePolicy> = {
  admin: {
    objects: every({ ops: ALL_OPS, scope: 'all' }),
    classifications: { '*': { ...plainWrite, restricted: 'masked-write', pci: 'masked-write' } },
    fields: {},
    reveal: ['restricted', 'pci'],
    capabilities: ['manage-users', 'manage-roles', 'manage-fields', 'manage-pipelines', 'manage-settings'],
    ipAllow: [],
  },
  'security-officer': {
    objects: every({ ops: READ, scope: 'all' }),
    classifications: { '*': { ...plainRead, restricted: 'masked', pci: 'masked' } },
    fields: {},
    reveal: ['restricted'],
    capabilities: ['manage-security', 'manage-keys', 'read-audit', 'manage-audit', 'manage-incidents', 'review-access'],
    ipAllow: [],
  },
  'sales-manager': {
    objects: every({ ops: ALL_OPS, scope: 'all' }),
    classifications: { '*': { ...plainWrite, restricted: 'masked-write', pci: 'masked-write' } },
    fields: {},
    reveal: ['restricted'],
    capabilities: ['manage-pipelines', 'team-reports'],
    ipAllow: [],
  },
  'sales-rep': {
    objects: every({ ops: ['read', 'create', 'update', 'delete'], scope: 'own' }),
    classifications: { '*': { ...plainWrite, restricted: 'write', pci: 'masked-write' } },
    fields: {},
    reveal: [],
    capabilities: [],
    ipAllow: [],
  },
  support: {
    objects: { ...every({ ops: READ, scope: 'all' }), activities: { ops: ['read', 'create'], scope: 'all' } },
    classifications: {
      '*': { ...plainRead, restricted: 'none', pci: 'none' },
      activities: { ...plainWrite, restricted: 'none', pci: 'none' },
    },
    fields: { contacts: { email: 'masked', phone: 'masked' } },
    reveal: [],
    capabilities: [],
    ipAllow: [],
  },
  auditor: {
    objects: every({ ops: READ, scope: 'all' }),
    classifications: { '*': { ...plainRead, restricted: 'none', pci: 'none' } },
    fields: {},
    reveal: [],
    capabilities: ['read-audit'],
    ipAllow: [],
  },
  'read-only': {
    objects: every({ ops: READ, scope: 'all' }),
    classifications: { '*': { ...plainRead, restricted: 'none', pci: 'none' } },
    fields: {},
    reveal: [],
    capabilities: [],
    ipAllow: [],
  },
};

/** The built-in policy of a role id; undefined for any other id (a role named `constructor` included). */
export function builtinPolicy(id: string): RolePolicy | undefined {
  return Object.hasOwn(BUILTIN_POLICIES, id) ? BUILTIN_POLICIES[id] : undefined;
}

/** A role nobody configured grants nothing. */
export const EMPTY_POLICY: RolePolicy = {
  objects: {},
  classifications: {},
  fields: {},
  reveal: [],
  capabilities: [],
  ipAllow: [],
};

/** How much of a value a mode shows (0 none, 1 mask, 2 clear), and whether it is writable. */
export const MODE_VISIBILITY: Record<FieldMode, number> = { none: 0, masked: 1, 'masked-write': 1, read: 2, write: 2 };
export const MODE_WRITABLE: Record<FieldMode, boolean> = {
  none: false,
  masked: false,
  'masked-write': true,
  read: false,
  write: true,
};

/** The union of two grants: the most visible and, separately, writable if either is. */
export function unionMode(a: FieldMode, b: FieldMode): FieldMode {
  const vis = Math.max(MODE_VISIBILITY[a], MODE_VISIBILITY[b]);
  const w = MODE_WRITABLE[a] || MODE_WRITABLE[b];
  if (vis === 2) return w ? 'write' : 'read';
  if (vis === 1 || w) return w ? 'masked-write' : 'masked';
  return 'none';
}

/** The mode that holds in both situations: the lower visibility, writable only if both are. */
export function intersectMode(a: FieldMode, b: FieldMode): FieldMode {
  const vis = Math.min(MODE_VISIBILITY[a], MODE_VISIBILITY[b]);
  const w = MODE_WRITABLE[a] && MODE_WRITABLE[b];
  if (vis === 2) return w ? 'write' : 'read';
  if (vis === 1) return w ? 'masked-write' : 'masked';
  return 'none';
}

export const SCOPE_RANK: Record<Scope, number> = { own: 0, team: 1, all: 2 };
