import { callContract } from '../../lib/api/client';
import { withStepUp } from '../../lib/step-up';
import type { CrmObject, CustomValue } from '../../lib/api/types';

/** A value the server masked for this actor ("s•••@example.com", "•••• 1234"). */
const MASK = /[•*]{2,}|^\u2022/;

export function looksMasked(record: Record<string, unknown>, key: string): boolean {
  const masked = record.masked ?? record._masked;
  if (Array.isArray(masked) && masked.includes(key)) return true;
  const v = record[key];
  return typeof v === 'string' && MASK.test(v);
}

/**
 * POST /<object>/:id/reveal {fields, reason} → {id, fields: {key: clear value}} (audited on the server). Revealing
 * needs a recent sign-in: after the step-up window the person confirms it is them, then the reveal runs again.
 */
export async function revealFields(
  object: CrmObject,
  id: string,
  fields: string[],
  reason: string,
): Promise<Record<string, CustomValue>> {
  const res = await withStepUp(() =>
    callContract<Record<string, unknown>>('POST', `/${object}/${id}/reveal`, { fields, reason }),
  );
  // { id, fields: { email: "…" } } (older drafts: { values: {…} } or the values themselves)
  const nested = res.fields ?? res.values;
  const values = (typeof nested === 'object' && nested !== null && !Array.isArray(nested) ? nested : res) as Record<
    string,
    unknown
  >;
  const out: Record<string, CustomValue> = {};
  for (const f of fields) {
    const v = values[f];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null) out[f] = v;
  }
  return out;
}
