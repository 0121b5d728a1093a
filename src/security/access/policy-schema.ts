import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { isIP } from 'node:net';
import { validationError } from '../../platform/app-error.js';
import { CLASSIFICATIONS } from '../classification/index.js';
import { CAPABILITIES, CRM_OBJECTS, EMPTY_POLICY, FIELD_MODES, RECORD_OPS, SCOPES, type RolePolicy } from './policy.js';

/** A key of `fields.<object>`: a built-in field's key or `custom.<key>`. */
const FIELD_KEY = /^(custom\.)?[a-zA-Z][a-zA-Z0-9_]{0,62}$/;

const lit = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Mode = lit(FIELD_MODES);
const ByClassification = Type.Object(Object.fromEntries(CLASSIFICATIONS.map((c) => [c, Type.Optional(Mode)])), {
  additionalProperties: false,
});

/** A role's policy as the API takes and returns it. */
export const RolePolicySchema = Type.Object(
  {
    objects: Type.Object(
      Object.fromEntries(
        CRM_OBJECTS.map((o) => [
          o,
          Type.Optional(
            Type.Object(
              {
                ops: Type.Array(lit(RECORD_OPS), { uniqueItems: true, maxItems: RECORD_OPS.length }),
                scope: lit(SCOPES),
              },
              { additionalProperties: false },
            ),
          ),
        ]),
      ),
      { additionalProperties: false },
    ),
    classifications: Type.Object(
      Object.fromEntries([...CRM_OBJECTS, '*'].map((o) => [o, Type.Optional(ByClassification)])),
      { additionalProperties: false },
    ),
    fields: Type.Object(
      Object.fromEntries(
        CRM_OBJECTS.map((o) => [
          o,
          Type.Optional(
            // additionalProperties: a key that does not match the pattern is refused, not let through unchecked.
            Type.Record(Type.String({ pattern: FIELD_KEY.source }), Mode, {
              maxProperties: 200,
              additionalProperties: false,
            }),
          ),
        ]),
      ),
      { additionalProperties: false },
    ),
    reveal: Type.Array(lit(CLASSIFICATIONS), { uniqueItems: true, maxItems: CLASSIFICATIONS.length }),
    capabilities: Type.Array(lit(CAPABILITIES), { uniqueItems: true, maxItems: CAPABILITIES.length }),
    ipAllow: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 100, uniqueItems: true }),
  },
  { additionalProperties: false },
);

export type RolePolicyInput = Static<typeof RolePolicySchema>;

/** Is this a CIDR we can enforce (IPv4 or IPv6 with a valid prefix length)? */
export function validCidr(c: string): boolean {
  const [net, bits, extra] = c.split('/');
  if (!net || extra !== undefined) return false;
  const fam = isIP(net);
  if (fam === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (fam === 4 ? 32 : 128);
}

/**
 * Before 2026-12-07 the schema let `fields.<object>` keys that are no field name through (a pattern-keyed record
 * without additionalProperties). Such a key never matched a field, so it never granted anything; a policy stored
 * then is read without it rather than failing whole — which would take everything from its holders, administrators
 * included (ADR 0007, addendum).
 */
function dropUnnamedFieldKeys(v: unknown): void {
  const fields = (v as { fields?: unknown } | null)?.fields;
  if (!fields || typeof fields !== 'object') return;
  for (const byKey of Object.values(fields as Record<string, unknown>)) {
    if (!byKey || typeof byKey !== 'object' || Array.isArray(byKey)) continue;
    for (const key of Object.keys(byKey)) if (!FIELD_KEY.test(key)) delete (byKey as Record<string, unknown>)[key];
  }
}

/** Parse a stored policy; anything malformed grants nothing (fail closed). */
export function parsePolicy(json: string): RolePolicy {
  try {
    const v: unknown = JSON.parse(json);
    dropUnnamedFieldKeys(v);
    if (!Value.Check(RolePolicySchema, v)) return EMPTY_POLICY;
    const p = v as RolePolicy;
    if (!p.ipAllow.every(validCidr)) return EMPTY_POLICY;
    return p;
  } catch {
    return EMPTY_POLICY;
  }
}

/**
 * A policy given by an operator (the CLI's JSON file): checked against the same schema and CIDR rules as the API's,
 * and refused with the first path that is wrong — never silently narrowed to nothing like a stored one.
 */
export function readPolicyInput(value: unknown): RolePolicy {
  const first = Value.Errors(RolePolicySchema, value)[0];
  if (first) {
    const where = first.instancePath === '' ? 'policy' : `policy${first.instancePath.replace(/\//g, '.')}`;
    // An unknown key fails as a `false` subschema at its own path: say so rather than "schema is false".
    throw validationError(where, first.keyword === 'boolean' ? 'is not a known key here' : first.message);
  }
  const p = value as RolePolicy;
  const bad = p.ipAllow.find((c) => !validCidr(c));
  if (bad !== undefined) throw validationError('policy.ipAllow', `'${bad}' is not a CIDR`);
  return p;
}
