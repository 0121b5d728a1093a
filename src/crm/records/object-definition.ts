import type { RecordTableName } from '../../db/database.js';
import type { BuiltinFieldType, Classification, CrmObjectName } from '../../security/classification/index.js';

/**
 * How a built-in field maps to a column and what the API may do with it. Its classification here
 * is the default the registry is seeded with; the registry's current value is what counts.
 */
export interface BuiltinFieldSpec {
  readonly key: string;
  readonly column: string;
  readonly type: BuiltinFieldType;
  readonly classification: Classification;
  readonly label: string;
  /** Must be given on create (and cannot be cleared). */
  readonly required?: boolean;
  readonly maxLength?: number;
  readonly enumValues?: readonly string[];
  /** For ref/refs: the object referred to. */
  readonly refObject?: CrmObjectName;
  /** Offered as an equality filter (`?key=`) when the field's classification allows it. */
  readonly filterable?: boolean;
  /** Offered as a sort key. `notNull` columns sort with their index. */
  readonly sortable?: boolean;
  readonly notNull?: boolean;
  /** Text that goes into the `q` full-text index unless the field is restricted/pci. */
  readonly searchable?: boolean;
  /** Exact-match lookup parameter over a normalised column (restricted fields: `?email=`). */
  readonly lookupColumn?: string;
  /** Must not repeat among live records (checked through the blind index when encrypted). */
  readonly unique?: boolean;
  /** Stored by the service itself (e.g. contactIds in a join table), not directly in a column. */
  readonly virtual?: boolean;
}

export interface ObjectDefinition {
  readonly name: CrmObjectName;
  readonly table: RecordTableName;
  readonly singular: string;
  readonly label: string;
  readonly fields: readonly BuiltinFieldSpec[];
  /** Default sort (API key, '-' prefix for descending). */
  readonly defaultSort: string;
}

/** Columns every record has; mapped by the engine, not listed per object. */
export const COMMON_SORT_KEYS = ['createdAt', 'updatedAt'] as const;
