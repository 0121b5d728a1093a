import { queryFieldMode, type Actor } from '../../security/access/index.js';
import type { FieldDefinition } from '../../security/classification/index.js';
import { RateLimits, type Redis } from '../../security/defense/index.js';
import type { ObjectDefinition } from './object-definition.js';
import type { ExactMatch } from './record-query.js';

/**
 * An exact lookup (`?phone=`, `?email=`, `?nationalId=`, a searchable restricted custom field) by someone who sees
 * that field only masked answers whether the value they typed is a record's: a confirmation oracle. A support agent
 * shown `+98 912 *** 4321` could otherwise try the thousand numbers the mask leaves open, and learn the right one
 * without a reveal (its reason, its budget, its entry). So:
 *
 * - such lookups that find nothing are counted, at most MASKED_LOOKUP_MISSES per user in 10 minutes across objects
 *   and instances (Redis when configured); once spent, the user's masked lookups are refused (429) until the window
 *   moves on. Someone looking up the customer on the phone rarely misses; someone guessing digits mostly does;
 * - each such miss leaves a `record.lookup_miss` entry naming the object and fields (never the value), so probing
 *   shows in the audit trail, which records only what responses showed;
 * - a lookup that finds records proves the caller knows the value: its read entry names that field as seen in
 *   clear, not as a mask (sensitive-reads.ts).
 *
 * Lookups on fields the caller reads in clear are neither counted nor refused: they answer nothing the caller could
 * not read anyway, and the record scope applies to every lookup alike.
 */
export type LookupLimits = RateLimits<'masked-lookup-miss'>;

export const MASKED_LOOKUP_MISSES = 20;

export function lookupLimits(redis: Redis | null, keyPrefix: string): LookupLimits {
  return new RateLimits<'masked-lookup-miss'>({
    redis,
    keyPrefix,
    rules: {
      'masked-lookup-miss': {
        points: MASKED_LOOKUP_MISSES,
        seconds: 600,
        what: 'lookups of masked values that found nothing',
      },
    },
  });
}

/** The exact lookups of a query on fields the actor sees only masked, named as the evidence names them. */
export function maskedLookups(
  actor: Actor,
  def: ObjectDefinition,
  fields: readonly FieldDefinition[],
  exact: readonly ExactMatch[],
): string[] {
  return exact.flatMap((m) => {
    const custom = m.key.startsWith('custom.');
    const name = custom ? m.key.slice('custom.'.length) : m.key;
    const f = fields.find((x) => x.builtin === !custom && x.key === name);
    if (!f) return [];
    const mode = queryFieldMode(actor, def.name, m.key, f.classification);
    return mode === 'masked' || mode === 'masked-write' ? [m.key] : [];
  });
}
