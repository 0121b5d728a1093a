import { fieldMode, maskValue, type Actor } from '../../security/access/index.js';
import { isSensitive, type FieldDefinition } from '../../security/classification/index.js';
import type { SealedValues } from '../../security/crypto/index.js';
import type { ObjectDefinition } from './object-definition.js';
import type { Row } from './record.repository.js';
import { mergeSealed } from './record-storage.js';
import { rowToRecord, type ApiRecord } from './record-mapper.js';

const parseMasks = (v: unknown): Record<string, string> => {
  if (typeof v !== 'string') return {};
  try {
    return JSON.parse(v) as Record<string, string>;
  } catch {
    return {};
  }
};

/**
 * A record as one actor may see it: fields the actor may not read are absent, masked fields show
 * their write-time mask, clear fields their value. The envelope is opened only when the actor may
 * see at least one sensitive value in clear — a masked list never decrypts.
 */
export function shapeRecord(
  def: ObjectDefinition,
  row: Row,
  fields: readonly FieldDefinition[],
  actor: Actor,
  open: (row: Row) => SealedValues | null,
): ApiRecord {
  const ownerId = String(row.owner_id);
  const modes = new Map(
    fields.map((f) => [
      f.builtin ? f.key : `custom.${f.key}`,
      fieldMode(actor, def.name, f.builtin ? f.key : `custom.${f.key}`, f.classification, ownerId),
    ]),
  );
  const needsClear = fields.some((f) => {
    const m = modes.get(f.builtin ? f.key : `custom.${f.key}`);
    return isSensitive(f.classification) && (m === 'read' || m === 'write') && f.type !== 'card';
  });
  const opened = needsClear && typeof row.sealed === 'string' ? open(row) : null;
  const { builtin, custom } = mergeSealed(def, row, opened);
  const rec = rowToRecord(
    def,
    { ...row, ...builtin, custom: JSON.stringify(custom) },
    fields.filter((f) => !f.builtin),
  );
  const masks = parseMasks(row.masks);
  for (const f of fields) {
    const key = f.builtin ? f.key : `custom.${f.key}`;
    const mode = modes.get(key) ?? 'none';
    const customMap = rec.custom as Record<string, unknown>;
    const has = f.builtin ? rec[f.key] !== null && rec[f.key] !== undefined : Object.hasOwn(customMap, f.key);
    if (mode === 'none') {
      if (f.builtin) delete rec[f.key];
      else delete customMap[f.key];
      continue;
    }
    if (mode !== 'masked' && mode !== 'masked-write') continue;
    const sensitive = isSensitive(f.classification);
    // a sensitive value that was not decrypted for this actor is only known through its mask
    const stored = masks[key];
    const shown = sensitive
      ? (stored ?? (has ? maskValue(f.type, f.builtin ? rec[f.key] : customMap[f.key]) : undefined))
      : has
        ? maskValue(f.type, f.builtin ? rec[f.key] : customMap[f.key])
        : undefined;
    if (f.builtin) rec[f.key] = shown ?? null;
    else if (shown !== undefined) customMap[f.key] = shown;
  }
  return rec;
}
