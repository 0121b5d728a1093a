import type { CrmObjectName, FieldDefinition } from '../../security/classification/index.js';

/**
 * The shapes shared by the generator and the database writers. Record rows hold exactly the columns
 * RecordService.create writes; link rows those of its writeLinks (subject keys, blind indexes, tags, deal contacts,
 * activity links). Rows travel as flat, row-major value arrays in SEED_COLUMNS order (cheap to build, to move
 * between threads and to bind). The generator fills records with their logical (plaintext) values; the main
 * thread then seals them (see record-sealer.ts) before anything is written.
 */
export type SeedValue = string | number | null;

export const LINK_TABLES = ['subject_keys', 'blind_indexes', 'record_tags', 'deal_contacts', 'activity_links'] as const;
export type LinkTable = (typeof LINK_TABLES)[number];
export type SeedTable = CrmObjectName | LinkTable;

/** Insertion order: every reference points at a table written before it. */
export const SEED_TABLES: readonly SeedTable[] = [
  'companies',
  'contacts',
  'deals',
  'activities',
  'subject_keys',
  'blind_indexes',
  'record_tags',
  'deal_contacts',
  'activity_links',
];

const COMMON = [
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
];

export const SEED_COLUMNS: Readonly<Record<SeedTable, readonly string[]>> = {
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
  subject_keys: ['dek_id', 'subject_type', 'subject_id', 'kek_id', 'wrapped', 'created_at'],
  blind_indexes: ['object', 'field', 'epoch', 'value', 'record_id'],
  record_tags: ['object', 'record_id', 'tag'],
  deal_contacts: ['deal_id', 'contact_id'],
  activity_links: ['activity_id', 'object', 'record_id'],
};

/** Integer columns (everything else is text or a timestamp). */
export const NUMERIC_COLUMNS: ReadonlySet<string> = new Set(['version', 'amount', 'epoch', 'value']);
/** timestamptz columns on PostgreSQL (ISO strings on SQLite). */
export const TIMESTAMP_COLUMNS: ReadonlySet<string> = new Set([
  'created_at',
  'updated_at',
  'stage_changed_at',
  'due_at',
  'completed_at',
]);

/** One slice of the timeline: per table, its rows as one flat value array. */
export type SeedBatch = Record<SeedTable, SeedValue[]>;

export const emptyBatch = (): SeedBatch => ({
  companies: [],
  contacts: [],
  deals: [],
  activities: [],
  subject_keys: [],
  blind_indexes: [],
  record_tags: [],
  deal_contacts: [],
  activity_links: [],
});

export type SeedCounts = Record<SeedTable, number>;

export const rowCount = (batch: SeedBatch, table: SeedTable): number =>
  batch[table].length / SEED_COLUMNS[table].length;

export interface StageInfo {
  id: string;
  kind: string;
}

/** What the generator needs to know about the database it seeds (plain data: it crosses to a worker thread). */
export interface SeedEnvironment {
  /** Users records are spread over (seed owners and existing admins). */
  ownerIds: readonly string[];
  pipelineId: string;
  stages: readonly StageInfo[];
  /** The field registry's current fields per object (classification and searchability decide search_text). */
  fields: Readonly<Record<CrmObjectName, readonly FieldDefinition[]>>;
  /** Added to the counters in emails, domains and national IDs so a second seed does not repeat the first's. */
  counterBase: number;
}

/** Writes batches to one database; `finish` restores whatever `start` relaxed for speed and makes it durable. */
export interface SeedWriter {
  start(): Promise<void>;
  write(batch: SeedBatch): Promise<void>;
  /** Called between write phases for progress lines (e.g. "rebuilding indexes"). */
  finish(progress: (message: string) => void): Promise<void>;
  /** Undo everything after a failure (nothing of the seed stays, where the database allows it). */
  abort(): Promise<void>;
}
