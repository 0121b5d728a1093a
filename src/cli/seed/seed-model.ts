import type { CrmObjectName, FieldDefinition } from '../../security/classification/index.js';

/**
 * The shapes shared by the generator and the database writers. A row holds exactly the columns the record
 * service writes on create (see RecordService.create), in the order of SEED_COLUMNS.
 */
export type SeedRow = Record<string, string | number | null>;

const COMMON = ['id', 'owner_id', 'tags', 'custom', 'search_text', 'version', 'created_at', 'updated_at', 'created_by', 'updated_by'];

export const SEED_COLUMNS: Readonly<Record<CrmObjectName, readonly string[]>> = {
  companies: [...COMMON, 'name', 'domain', 'industry', 'size', 'tax_id', 'iban', 'address'],
  contacts: [
    ...COMMON,
    'first_name',
    'last_name',
    'email',
    'email_lookup',
    'phone',
    'title',
    'company_id',
    'national_id',
    'birth_date',
    'address',
    'payment_card',
  ],
  deals: [
    ...COMMON,
    'title',
    'amount',
    'currency',
    'pipeline_id',
    'stage_id',
    'close_date',
    'company_id',
    'contact_ids',
    'stage_changed_at',
  ],
  activities: [...COMMON, 'type', 'subject', 'body', 'due_at', 'completed_at', 'related'],
};

/** Insertion order: every reference points at a table written before it. */
export const SEED_TABLES: readonly CrmObjectName[] = ['companies', 'contacts', 'deals', 'activities'];

/** One slice of the timeline, ready to write: records plus their link-table rows. */
export interface SeedBatch {
  rows: Record<CrmObjectName, SeedRow[]>;
  /** (object, record_id, tag) */
  recordTags: [string, string, string][];
  /** (deal_id, contact_id) */
  dealContacts: [string, string][];
  /** (activity_id, object, record_id) */
  activityLinks: [string, string, string][];
}

export interface SeedCounts {
  companies: number;
  contacts: number;
  deals: number;
  activities: number;
  recordTags: number;
  dealContacts: number;
  activityLinks: number;
}

export const emptyCounts = (): SeedCounts => ({
  companies: 0,
  contacts: 0,
  deals: 0,
  activities: 0,
  recordTags: 0,
  dealContacts: 0,
  activityLinks: 0,
});

export interface StageInfo {
  id: string;
  kind: string;
}

/** What the generator needs to know about the database it seeds. */
export interface SeedEnvironment {
  /** Users records are spread over (seed owners and existing admins). */
  ownerIds: readonly string[];
  pipelineId: string;
  stages: readonly StageInfo[];
  /** The field registry's current fields per object (classification and searchability decide search_text). */
  fields: Readonly<Record<CrmObjectName, readonly FieldDefinition[]>>;
  /** Added to the counters in emails and national IDs so a second seed does not repeat the first one's values. */
  counterBase: number;
}

/** Writes batches to one database; `finish` restores whatever `start` relaxed for speed. */
export interface SeedWriter {
  start(): Promise<void>;
  write(batch: SeedBatch): Promise<void>;
  finish(): Promise<void>;
  /** Undo relaxations after a failure (the data written so far stays). */
  abort(): Promise<void>;
}
