import { Type, type TSchema } from 'typebox';
import type { CrmObjectName } from '../../security/classification/index.js';

/** Filters that are not a plain column equality, per object. */
export interface ExtraFilter {
  key: string;
  schema: TSchema;
  description: string;
}

const Id = Type.String({ format: 'uuid' });
const Timestamp = Type.String({ format: 'date-time' });

const EXTRA: Record<CrmObjectName, ExtraFilter[]> = {
  companies: [],
  contacts: [],
  deals: [{ key: 'contactId', schema: Id, description: 'Deals linked to this contact' }],
  activities: [
    {
      key: 'relatedType',
      schema: Type.Union([Type.Literal('companies'), Type.Literal('contacts'), Type.Literal('deals')]),
      description: 'With relatedId: activities linked to a record',
    },
    { key: 'relatedId', schema: Id, description: 'With relatedType: activities linked to a record' },
    {
      key: 'status',
      schema: Type.Union([Type.Literal('open'), Type.Literal('done')]),
      description: 'Open (not completed) or done',
    },
    { key: 'dueBefore', schema: Timestamp, description: 'Due strictly before' },
    { key: 'dueAfter', schema: Timestamp, description: 'Due at or after' },
  ],
};

export const extraFiltersOf = (object: CrmObjectName): ExtraFilter[] => EXTRA[object];

/** A parsed list request, after validation and access checks. */
export type FilterCondition =
  | { kind: 'eq'; column: string; value: string | number }
  | { kind: 'custom-eq'; key: string; fieldType: string; value: string | number | boolean }
  | { kind: 'range'; column: string; op: '>=' | '<' | '>'; value: string }
  | { kind: 'tag'; tag: string }
  | { kind: 'deal-contact'; contactId: string }
  | { kind: 'related'; object: string; id: string }
  | { kind: 'null'; column: string; isNull: boolean }
  | { kind: 'blind'; field: string; epoch: number; value: number }
  | { kind: 'match-none' };

export interface SortSpec {
  /** API key as the caller wrote it (without '-'). */
  key: string;
  direction: 'asc' | 'desc';
  /** A real column, or a custom field key. */
  target: { kind: 'column'; column: string; notNull: boolean } | { kind: 'custom'; key: string; fieldType: string };
}

/** After a blind-index filter: candidates are decrypted and compared with the wanted value. */
export interface ExactMatch {
  key: string;
  type: string;
  normalized: string;
}

export interface ListPlan {
  filters: FilterCondition[];
  exact: ExactMatch[];
  searchTokens: string[] | null;
  sort: SortSpec;
  limit: number;
  deleted: boolean;
  after: { value: string | number | null; id: string } | null;
}
