import type { Classification, CrmObject } from '../../../../lib/api/types';
import type { RolePolicy } from '../../api/roles.api';

/** The vocabulary of a role policy (src/security/access/policy.ts), and pure edits of a draft policy. */
export const OBJECTS: CrmObject[] = ['contacts', 'companies', 'deals', 'activities'];
export const OPS = ['read', 'create', 'update', 'delete', 'export'] as const;
export type Op = (typeof OPS)[number];
export const SCOPES = ['own', 'team', 'all'] as const;
export type Scope = (typeof SCOPES)[number];
export const MODES = ['none', 'masked', 'masked-write', 'read', 'write'] as const;
export type Mode = (typeof MODES)[number];
export const CLASSIFICATIONS: Classification[] = ['public', 'internal', 'confidential', 'restricted', 'pci'];
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

export const EMPTY_POLICY: RolePolicy = {
  objects: {},
  classifications: {},
  fields: {},
  reveal: [],
  capabilities: [],
  ipAllow: [],
};

type Grant = { ops: Op[]; scope: Scope };

export function grantOf(p: RolePolicy, o: CrmObject): Grant | undefined {
  return p.objects[o];
}

/** Turn one operation on or off; the first operation starts at "own" records, the last one removes the grant. */
export function toggleOp(p: RolePolicy, o: CrmObject, op: Op, on: boolean): RolePolicy {
  const g = grantOf(p, o);
  const ops = new Set<Op>(g?.ops ?? []);
  if (on) ops.add(op);
  else ops.delete(op);
  const objects = { ...p.objects };
  if (ops.size === 0) delete objects[o];
  else objects[o] = { ops: OPS.filter((x) => ops.has(x)), scope: g?.scope ?? 'own' };
  return { ...p, objects };
}

export function setScope(p: RolePolicy, o: CrmObject, scope: Scope): RolePolicy {
  const g = grantOf(p, o);
  if (!g) return p;
  return { ...p, objects: { ...p.objects, [o]: { ...g, scope } } };
}

type Target = CrmObject | '*';

export function classificationMode(p: RolePolicy, target: Target, c: Classification): Mode | undefined {
  return p.classifications[target]?.[c];
}

/** Set (or with undefined, clear — inherit) the mode of a classification for one object or for every object. */
export function setClassificationMode(p: RolePolicy, target: Target, c: Classification, mode: Mode | undefined) {
  const current = { ...(p.classifications[target] ?? {}) };
  if (mode === undefined) delete current[c];
  else current[c] = mode;
  const classifications = { ...p.classifications };
  if (Object.keys(current).length === 0) delete classifications[target];
  else classifications[target] = current;
  return { ...p, classifications };
}

export function fieldException(p: RolePolicy, o: CrmObject, key: string): Mode | undefined {
  return p.fields[o]?.[key];
}

export function setFieldException(p: RolePolicy, o: CrmObject, key: string, mode: Mode | undefined): RolePolicy {
  const current = { ...(p.fields[o] ?? {}) };
  if (mode === undefined) delete current[key];
  else current[key] = mode;
  const fields = { ...p.fields };
  if (Object.keys(current).length === 0) delete fields[o];
  else fields[o] = current;
  return { ...p, fields };
}

/** The mode a field gets from this role alone: its exception, else its object's classification rule, else '*'. */
export function effectiveMode(p: RolePolicy, o: CrmObject, key: string, c: Classification): Mode {
  return fieldException(p, o, key) ?? classificationMode(p, o, c) ?? classificationMode(p, '*', c) ?? 'none';
}

export function toggleIn<T extends string>(list: readonly T[], v: T, on: boolean, order: readonly T[]): T[] {
  const s = new Set(list);
  if (on) s.add(v);
  else s.delete(v);
  return order.filter((x) => s.has(x));
}

/** The policy key of a field: built-in fields by key, custom fields as `custom.key`. */
export const policyFieldKey = (f: { key: string; builtin: boolean }): string => (f.builtin ? f.key : `custom.${f.key}`);

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function isIpv6(s: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.includes(':::')) return false;
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  const last = groups[groups.length - 1] ?? '';
  const v4Tail = last.includes('.');
  if (v4Tail && !IPV4.test(last)) return false;
  const hextets = groups.length + (v4Tail ? 1 : 0);
  if (!groups.slice(0, v4Tail ? -1 : undefined).every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? hextets < 8 : hextets === 8;
}

/** Mirrors the API's check (validCidr): an IPv4 or IPv6 address with an optional prefix length in range. */
export function validCidr(c: string): boolean {
  const parts = c.split('/');
  const [net, bits] = parts;
  if (!net || parts.length > 2) return false;
  const fam = IPV4.test(net) ? 4 : isIpv6(net) ? 6 : 0;
  if (fam === 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (fam === 4 ? 32 : 128);
}

/** Same policy? (key order does not matter) */
export function samePolicy(a: RolePolicy, b: RolePolicy): boolean {
  const norm = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(norm)
      : typeof v === 'object' && v !== null
        ? Object.fromEntries(
            Object.entries(v)
              .sort(([x], [y]) => (x < y ? -1 : 1))
              .map(([k, x]) => [k, norm(x)]),
          )
        : v;
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}
