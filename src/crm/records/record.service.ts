import type { Clock } from '../../platform/clock.js';
import type { EventBus } from '../../platform/events.js';
import type { Actor } from '../../security/access/index.js';
import type { FieldRegistry } from '../../security/classification/index.js';
import type { CryptoService } from '../../security/crypto/index.js';
import type { SensitiveChangeSink } from '../../security/audit/index.js';
import type { RegistryStateRepository } from '../fields/registry-state.repository.js';
import type { ObjectDefinition } from './object-definition.js';
import type { RecordRepository, Row } from './record.repository.js';
import type { ValueContext } from './field-values.js';
import type { ApiRecord } from './record-mapper.js';
import type { ListQuery } from './record-list.js';
import type { CursorCodec } from './cursor.js';
import { RecordEvents } from './record-events.js';
import { RecordReader } from './record-reader.js';
import { RecordWriter } from './record-writer.js';
import { RecordExporter, type ExportFile, type ExportFormat, type ExportLimits } from './record-export.js';
import type { ProbeBudget } from './masked-lookups.js';

export interface WriteHookInput {
  actor: Actor;
  /** Columns about to be written (after validation). */
  columns: Row;
  /** The record as stored, on update. */
  existing: Row | null;
}

/** Object-specific rules that the generic engine cannot know (e.g. a deal's stage belongs to its pipeline). */
export interface RecordHooks {
  beforeWrite?(input: WriteHookInput): Promise<Row>;
}

export interface RecordServiceDeps {
  crypto: CryptoService;
  registryState: RegistryStateRepository;
  def: ObjectDefinition;
  repo: RecordRepository;
  registry: FieldRegistry;
  cursors: CursorCodec;
  clock: Clock;
  bus: EventBus;
  values: ValueContext;
  hooks?: RecordHooks;
  /** The audit trail's channel for restricted/pci before/after values (they never go on the bus). */
  changes?: SensitiveChangeSink;
  /** Exports per user (shared by every object's service); none: unlimited (in-process callers). */
  exportLimits?: ExportLimits;
  /** Lookups of masked values that found nothing and refused duplicates, per user (shared likewise; masked-lookups.ts). */
  probes?: ProbeBudget;
}

export interface Precondition {
  /** From If-Match: a mismatch answers 412. */
  ifMatch?: number | undefined;
  /** From the body: a mismatch answers 409. */
  bodyVersion?: number | undefined;
}

export interface ListResult {
  items: ApiRecord[];
  nextCursor: string | null;
}

/**
 * The generic CRM record service: access first, then validation from the field registry, then the
 * repository. Contacts, companies, deals and activities are instances of it. Reads are RecordReader's, writes
 * RecordWriter's; they share the object's event emitter.
 */
export class RecordService {
  private readonly reader: RecordReader;
  private readonly writer: RecordWriter;
  private readonly exporter: RecordExporter;

  constructor(private readonly d: RecordServiceDeps) {
    const events = new RecordEvents(d);
    this.reader = new RecordReader(d, events);
    this.writer = new RecordWriter(d, this.reader, events);
    this.exporter = new RecordExporter(d.def, this.reader, events, () => d.clock.now(), d.exportLimits ?? null);
  }

  get definition(): ObjectDefinition {
    return this.d.def;
  }

  list(actor: Actor, query: ListQuery): Promise<ListResult> {
    return this.reader.list(actor, query);
  }

  /**
   * Rows of this object read by another service (a record's timeline) as the actor may see them: the same field
   * modes, masks, decryption and evidence of sensitive reads as a list of this object.
   */
  present(actor: Actor, rows: readonly Row[]): Promise<ApiRecord[]> {
    return this.reader.present(actor, rows);
  }

  get(actor: Actor, id: string): Promise<ApiRecord> {
    return this.reader.get(actor, id);
  }

  /** The records the actor may list, as one file (CSV or JSON lines), for roles that may export this object. */
  export(
    actor: Actor,
    query: Omit<ListQuery, 'limit' | 'cursor'>,
    format: ExportFormat,
    maxRows?: number,
  ): Promise<ExportFile> {
    return this.exporter.export(actor, query, format, maxRows);
  }

  create(actor: Actor, body: Record<string, unknown>): Promise<ApiRecord> {
    return this.writer.create(actor, body);
  }

  update(actor: Actor, id: string, body: Record<string, unknown>, pre: Precondition): Promise<ApiRecord> {
    return this.writer.update(actor, id, body, pre);
  }

  remove(actor: Actor, id: string, pre: Precondition): Promise<void> {
    return this.writer.remove(actor, id, pre);
  }

  restore(actor: Actor, id: string): Promise<ApiRecord> {
    return this.writer.restore(actor, id);
  }
}
