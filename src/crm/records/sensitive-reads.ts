import type { FieldMode } from '../../security/access/index.js';
import type { FieldDefinition } from '../../security/classification/index.js';
import type { ApiRecord } from './record-mapper.js';

/**
 * The evidence of one response that showed personal or card data (`record.sensitive_read`): which records and
 * which of their restricted/pci fields — never the values — grouped by the set of fields shown. A list page
 * usually shows the same fields of every record, so its entry names the fields once instead of fifty times.
 * `fields` were shown in clear; `masked` only as their masks — a card number is never shown whole in a record, so
 * it is always there — so "who accessed this" tells a view of the values from a view of their masks. `masked` is
 * always present, empty or not: an entry without it was written before the distinction (2026-12-07), when
 * `fields` named every field shown, clear or masked.
 */
export interface SensitiveReadGroup {
  fields: string[];
  masked: string[];
  ids: string[];
}

interface SensitiveField {
  key: string;
  builtin: boolean;
  /** As the evidence names it: `email`, `custom.note`. */
  name: string;
  /** Its place in the field list (and in the modes array that goes with it). */
  index: number;
  /** Shown only as a mask, whatever the mode (card numbers). */
  alwaysMasked: boolean;
}

/** Per registry snapshot (its field arrays are reused until a field changes): the fields reads must report. */
const sensitiveByFields = new WeakMap<readonly FieldDefinition[], readonly SensitiveField[]>();

function sensitiveOf(fields: readonly FieldDefinition[]): readonly SensitiveField[] {
  let out = sensitiveByFields.get(fields);
  if (!out) {
    out = fields.flatMap((f, index) =>
      f.classification === 'restricted' || f.classification === 'pci'
        ? [
            {
              key: f.key,
              builtin: f.builtin,
              name: f.builtin ? f.key : `custom.${f.key}`,
              index,
              alwaysMasked: f.type === 'card',
            },
          ]
        : [],
    );
    sensitiveByFields.set(fields, out);
  }
  return out;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const isMaskedMode = (m: FieldMode | undefined): boolean => m === 'masked' || m === 'masked-write';

/**
 * Records as the response shows them → groups of ids by the sensitive fields shown (with a value), in clear and
 * masked. `modesOf` gives a record's field modes (aligned with `fields`), as its view was shaped with them.
 * `confirmed`: fields (as the evidence names them) whose value the caller gave and every record matched — an exact
 * lookup's — which the caller therefore knows in full, whatever mask the response shows: named as seen in clear.
 */
export function sensitiveReads(
  records: readonly ApiRecord[],
  fields: readonly FieldDefinition[],
  modesOf: (record: ApiRecord) => readonly FieldMode[],
  confirmed: readonly string[] = [],
): SensitiveReadGroup[] {
  const sensitive = sensitiveOf(fields);
  const groups: SensitiveReadGroup[] = [];
  if (sensitive.length === 0) return groups;
  let last: SensitiveReadGroup | undefined;
  const shown: string[] = [];
  const masked: string[] = [];
  const same = (g: SensitiveReadGroup): boolean => sameStrings(g.fields, shown) && sameStrings(g.masked, masked);
  for (const r of records) {
    const custom = r.custom as Record<string, unknown> | undefined;
    const modes = modesOf(r);
    shown.length = 0;
    masked.length = 0;
    for (const f of sensitive) {
      const v = f.builtin ? r[f.key] : custom?.[f.key];
      if (v === null || v === undefined) continue;
      if ((f.alwaysMasked || isMaskedMode(modes[f.index])) && !confirmed.includes(f.name)) masked.push(f.name);
      else shown.push(f.name);
    }
    if (shown.length === 0 && masked.length === 0) continue;
    // Consecutive records usually show the same fields: compare with the last group before searching.
    let g = last && same(last) ? last : groups.find(same);
    if (!g) {
      g = { fields: [...shown], masked: [...masked], ids: [] };
      groups.push(g);
    }
    g.ids.push(String(r.id));
    last = g;
  }
  return groups;
}
