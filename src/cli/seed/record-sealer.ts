import { OBJECT_DEFINITIONS } from '../../crm/index.js';
import { planStorage, sensitiveSpecs } from '../../crm/records/record-storage.js';
import type { Row } from '../../crm/records/record.repository.js';
import {
  CRM_OBJECTS,
  isSensitive,
  type CrmObjectName,
  type FieldDefinition,
} from '../../security/classification/index.js';
import type { CryptoService } from '../../security/crypto/index.js';
import { SEED_COLUMNS, type SeedBatch, type SeedValue } from './seed-model.js';

const COMMON = new Set([
  'id',
  'owner_id',
  'tags',
  'custom',
  'search_text',
  'version',
  'created_at',
  'updated_at',
  'created_by',
  'updated_by',
  'sealed',
  'sealed_kid',
  'masks',
]);

/** Where a table's columns sit in its flat rows. */
interface TableLayout {
  object: CrmObjectName;
  width: number;
  /** [column, position] of the object's own columns (what planStorage sees). */
  own: [string, number][];
  id: number;
  custom: number;
  createdAt: number;
  sealed: number;
  sealedKid: number;
  masks: number;
}

function layout(object: CrmObjectName): TableLayout {
  const cols = SEED_COLUMNS[object];
  const at = (column: string): number => {
    const i = cols.indexOf(column);
    if (i < 0) throw new Error(`seed rows of ${object} have no column ${column}`);
    return i;
  };
  return {
    object,
    width: cols.length,
    own: cols.flatMap((c, i): [string, number][] => (COMMON.has(c) ? [] : [[c, i]])),
    id: at('id'),
    custom: at('custom'),
    createdAt: at('created_at'),
    sealed: at('sealed'),
    sealedKid: at('sealed_kid'),
    masks: at('masks'),
  };
}

/**
 * Applies to generated records exactly what RecordService.create does before it writes: classification decides
 * storage (planStorage), restricted/pci values leave their columns for one sealed envelope under a freshly minted
 * subject key, and lookup fields get blind-index rows. Runs on the main thread with the runtime's CryptoService,
 * so no key material ever leaves it.
 */
export class RecordSealer {
  private readonly tables: TableLayout[];

  constructor(
    private readonly crypto: CryptoService,
    private readonly fields: Readonly<Record<CrmObjectName, readonly FieldDefinition[]>>,
  ) {
    this.tables = CRM_OBJECTS.filter(
      (o) =>
        sensitiveSpecs(OBJECT_DEFINITIONS[o], fields[o]).length > 0 ||
        fields[o].some((f) => !f.builtin && isSensitive(f.classification)),
    ).map(layout);
  }

  seal(batch: SeedBatch): void {
    for (const t of this.tables) this.sealTable(t, batch);
  }

  private sealTable(t: TableLayout, batch: SeedBatch): void {
    const def = OBJECT_DEFINITIONS[t.object];
    const fields = this.fields[t.object];
    const values = batch[t.object];
    for (let offset = 0; offset < values.length; offset += t.width) {
      const id = String(values[offset + t.id]);
      const columns: Row = {};
      for (const [column, i] of t.own) columns[column] = values[offset + i];
      const custom = JSON.parse(String(values[offset + t.custom])) as Record<string, unknown>;
      const plan = planStorage(def, fields, columns, custom, this.crypto);
      for (const [column, i] of t.own) values[offset + i] = (plan.columns[column] ?? null) as SeedValue;
      values[offset + t.custom] = JSON.stringify(plan.plainCustom);
      values[offset + t.masks] = plan.masks;
      for (const ix of plan.indexes) {
        for (const e of ix.entries) batch.blind_indexes.push(t.object, ix.field, e.epoch, e.value, id);
      }
      if (Object.keys(plan.sensitive).length === 0) continue;
      const minted = this.crypto.mintDek(def.table, id);
      values[offset + t.sealed] = this.crypto.seal(def.table, id, minted.dek, plan.sensitive);
      values[offset + t.sealedKid] = minted.dek.id;
      batch.subject_keys.push(
        minted.row.dek_id,
        def.table,
        id,
        minted.row.kek_id,
        minted.row.wrapped,
        values[offset + t.createdAt] ?? null,
      );
    }
  }
}
