import type { FieldDefinition } from '../../security/classification/index.js';
import type { ApiRecord } from './record-mapper.js';

/**
 * The evidence of one response that showed personal or card data (`record.sensitive_read`): which records and
 * which of their restricted/pci fields — never the values — grouped by the set of fields shown. A list page
 * usually shows the same fields of every record, so its entry names the fields once instead of fifty times.
 */
export interface SensitiveReadGroup {
  fields: string[];
  ids: string[];
}

interface SensitiveField {
  key: string;
  builtin: boolean;
  /** As the evidence names it: `email`, `custom.note`. */
  name: string;
}

/** Per registry snapshot (its field arrays are reused until a field changes): the fields reads must report. */
const sensitiveByFields = new WeakMap<readonly FieldDefinition[], readonly SensitiveField[]>();

function sensitiveOf(fields: readonly FieldDefinition[]): readonly SensitiveField[] {
  let out = sensitiveByFields.get(fields);
  if (!out) {
    out = fields
      .filter((f) => f.classification === 'restricted' || f.classification === 'pci')
      .map((f) => ({ key: f.key, builtin: f.builtin, name: f.builtin ? f.key : `custom.${f.key}` }));
    sensitiveByFields.set(fields, out);
  }
  return out;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Records as the response shows them → groups of ids by the sensitive fields shown (with a value). */
export function sensitiveReads(
  records: readonly ApiRecord[],
  fields: readonly FieldDefinition[],
): SensitiveReadGroup[] {
  const sensitive = sensitiveOf(fields);
  const groups: SensitiveReadGroup[] = [];
  if (sensitive.length === 0) return groups;
  let last: SensitiveReadGroup | undefined;
  const shown: string[] = [];
  for (const r of records) {
    const custom = r.custom as Record<string, unknown> | undefined;
    shown.length = 0;
    for (const f of sensitive) {
      const v = f.builtin ? r[f.key] : custom?.[f.key];
      if (v !== null && v !== undefined) shown.push(f.name);
    }
    if (shown.length === 0) continue;
    // Consecutive records usually show the same fields: compare with the last group before searching.
    let g = last && sameStrings(last.fields, shown) ? last : groups.find((x) => sameStrings(x.fields, shown));
    if (!g) {
      g = { fields: [...shown], ids: [] };
      groups.push(g);
    }
    g.ids.push(String(r.id));
    last = g;
  }
  return groups;
}
