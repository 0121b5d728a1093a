import {
  fieldModes,
  fieldModesByRelation,
  maskValue,
  type Actor,
  type FieldMode,
} from '../../security/access/index.js';
import { isSensitive, type FieldDefinition, type FieldType } from '../../security/classification/index.js';
import type { SealedValues } from '../../security/crypto/index.js';
import type { BuiltinFieldSpec, ObjectDefinition } from './object-definition.js';
import type { Row } from './record.repository.js';
import { builtinValue, parseJson, type ApiRecord } from './record-mapper.js';

const SEALED_CUSTOM = 'custom.';

/** How one field appears to the actor, decided once per field list and mode set (not per record). */
interface FieldView {
  /** API key of a built-in field, the custom field's key otherwise. */
  readonly key: string;
  /** Key of its write-time mask (`custom.<key>` for custom fields). */
  readonly maskKey: string;
  /** null: not in the registry, shown as stored. */
  readonly mode: FieldMode | null;
  readonly sensitive: boolean;
  /** The registry's type (masks follow it). */
  readonly type: FieldType | null;
}

interface ViewPlan {
  /** Some sensitive value is shown in clear: the envelope must be opened. */
  readonly needsClear: boolean;
  readonly builtins: readonly { spec: BuiltinFieldSpec; view: FieldView }[];
  readonly customs: readonly FieldView[];
}

const masked = (mode: FieldMode | null): boolean => mode === 'masked' || mode === 'masked-write';

/** Plans per object definition, per field list (the registry's), per modes array (the access's). */
const plans = new WeakMap<
  ObjectDefinition,
  WeakMap<readonly FieldDefinition[], WeakMap<readonly FieldMode[], ViewPlan>>
>();

function viewPlan(def: ObjectDefinition, fields: readonly FieldDefinition[], modes: readonly FieldMode[]): ViewPlan {
  let byFields = plans.get(def);
  if (!byFields) {
    byFields = new WeakMap();
    plans.set(def, byFields);
  }
  let byModes = byFields.get(fields);
  if (!byModes) {
    byModes = new WeakMap();
    byFields.set(fields, byModes);
  }
  let plan = byModes.get(modes);
  if (plan) return plan;
  const views = fields.map((f, i): FieldView => ({
    key: f.key,
    maskKey: f.builtin ? f.key : `${SEALED_CUSTOM}${f.key}`,
    mode: modes[i] ?? 'none',
    sensitive: isSensitive(f.classification),
    type: f.type,
  }));
  plan = {
    needsClear: fields.some((f, i) => {
      const m = modes[i];
      return isSensitive(f.classification) && (m === 'read' || m === 'write') && f.type !== 'card';
    }),
    builtins: def.fields.map((spec) => {
      const i = fields.findIndex((f) => f.builtin && f.key === spec.key);
      const view = views[i];
      return {
        spec,
        view: view ?? { key: spec.key, maskKey: spec.key, mode: null, sensitive: false, type: null },
      };
    }),
    customs: views.filter((_, i) => fields[i]?.builtin === false),
  };
  byModes.set(modes, plan);
  return plan;
}

/**
 * Could the actor be shown some record of this object with a sensitive value in clear? When not, a read for display
 * may leave the envelopes (sealed values and wrapped subject keys) out of the query: nothing would open them.
 */
export function needsEnvelopes(def: ObjectDefinition, fields: readonly FieldDefinition[], actor: Actor): boolean {
  return fieldModesByRelation(actor, def.name, fields).some((modes) => viewPlan(def, fields, modes).needsClear);
}

/**
 * What a masked field shows: its write-time mask when sensitive (its value is not decrypted), else a mask of it.
 * `opened`: the record's envelope was opened for this answer, so a sensitive value it lacks does not exist (nor
 * could its mask): nothing is shown, and the record's masks are not parsed for it.
 */
function shownMask(
  view: FieldView,
  has: boolean,
  value: unknown,
  masks: () => Record<string, string>,
  opened: boolean,
): string | undefined {
  const computed = (): string | undefined => (has && view.type ? maskValue(view.type, value) : undefined);
  if (!view.sensitive || (opened && !has)) return computed();
  return masks()[view.maskKey] ?? computed();
}

/**
 * A record as one actor may see it: fields the actor may not read are absent, masked fields show
 * their write-time mask, clear fields their value. The envelope is opened only when the actor may
 * see at least one sensitive value in clear — a masked list never decrypts. What to show of each field
 * is decided once per page (per relation of the records to the actor), not per record.
 */
export function shapeRecord(
  def: ObjectDefinition,
  row: Row,
  fields: readonly FieldDefinition[],
  actor: Actor,
  open: (row: Row) => SealedValues | null,
): ApiRecord {
  const plan = viewPlan(def, fields, fieldModes(actor, def.name, fields, String(row.owner_id)));
  // A row read without its envelope (`needsEnvelopes` said none was needed) must never be shown as if it had none.
  if (plan.needsClear && row.sealed === undefined) throw new Error(`${def.name} row read without its envelope`);
  const opened = plan.needsClear && typeof row.sealed === 'string' ? open(row) : null;
  let masks: Record<string, string> | null = null;
  const masksOf = (): Record<string, string> => (masks ??= parseJson<Record<string, string>>(row.masks, {}));

  const rec: ApiRecord = { id: row.id };
  for (const { spec, view } of plan.builtins) {
    if (view.mode === 'none') continue;
    const raw = opened && Object.hasOwn(opened, spec.key) ? opened[spec.key] : (row[spec.column] ?? null);
    const value = builtinValue(spec, raw);
    if (masked(view.mode)) {
      rec[spec.key] = shownMask(view, value !== null && value !== undefined, value, masksOf, opened !== null) ?? null;
    } else {
      rec[spec.key] = value;
    }
  }

  const stored = parseJson<Record<string, unknown>>(row.custom, {});
  const custom: Record<string, unknown> = {};
  for (const view of plan.customs) {
    if (view.mode === 'none') continue;
    // A value in the envelope (`custom.<key>`, the view's maskKey) wins over one in the plain column. Looked up by
    // the plan's keys: walking the envelope's entries made a fresh key string per value (a third of this function).
    const sealedHas = opened !== null && Object.hasOwn(opened, view.maskKey);
    const has = sealedHas || Object.hasOwn(stored, view.key);
    const value = sealedHas ? opened[view.maskKey] : stored[view.key];
    if (masked(view.mode)) {
      const shown = shownMask(view, has, value, masksOf, opened !== null);
      if (shown !== undefined) custom[view.key] = shown;
    } else if (has) {
      custom[view.key] = value;
    }
  }
  rec.ownerId = row.owner_id;
  rec.tags = parseJson<string[]>(row.tags, []);
  rec.custom = custom;
  rec.version = Number(row.version);
  rec.createdAt = row.created_at;
  rec.updatedAt = row.updated_at;
  rec.deletedAt = row.deleted_at ?? null;
  return rec;
}
