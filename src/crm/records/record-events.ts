import type { Clock } from '../../platform/clock.js';
import type { EventBus, SeparEvent } from '../../platform/events.js';
import { eventContext, fieldModes, type Actor, type FieldMode } from '../../security/access/index.js';
import type { SensitiveChangeSink, SubjectKey } from '../../security/audit/index.js';
import type { FieldDefinition } from '../../security/classification/index.js';
import type { ObjectDefinition } from './object-definition.js';
import { diffRecord, type RecordState } from './record-changes.js';
import type { ApiRecord } from './record-mapper.js';
import { sensitiveReads } from './sensitive-reads.js';

export interface RecordEventDeps {
  def: ObjectDefinition;
  clock: Clock;
  bus: EventBus;
  /** The audit trail's channel for restricted/pci before/after values (they never go on the bus). */
  changes?: SensitiveChangeSink | undefined;
}

/** Records reported unreadable by this process (each once; bounded). */
const UNREADABLE_REPORTED_MAX = 10_000;

/** The events a record's reads, writes and refusals leave for the audit trail (and anyone else on the bus). */
export class RecordEvents {
  private readonly unreadableReported = new Set<string>();

  constructor(private readonly d: RecordEventDeps) {}

  /**
   * A record whose sealed values do not open: its envelope or wrapped key was altered in the database (or comes
   * from another installation). Reported once per record and process, as a system event for security to act on.
   */
  unreadable(id: string): void {
    if (this.unreadableReported.has(id)) return;
    if (this.unreadableReported.size >= UNREADABLE_REPORTED_MAX) this.unreadableReported.clear();
    this.unreadableReported.add(id);
    this.d.bus.emit({
      type: 'record.integrity_failure',
      at: this.d.clock.now().toISOString(),
      outcome: 'failure',
      context: { actorId: null, actorType: 'system', ip: null, userAgent: null, requestId: null },
      target: { type: this.d.def.name, id },
      detail: { object: this.d.def.name, reason: 'sealed values do not open' },
    });
  }

  /** What every event of this object carries: when, who and from where, and (when it names one) the record. */
  private event(actor: Actor, type: string, id: string | undefined, outcome: 'success' | 'failure'): SeparEvent {
    return {
      type,
      at: this.d.clock.now().toISOString(),
      outcome,
      context: eventContext(actor),
      target: id === undefined ? undefined : { type: this.d.def.name, id },
    };
  }

  /**
   * Evidence of who saw personal or card data: one event per response that showed restricted/pci values, naming
   * the records and the fields (never the values).
   */
  sensitiveRead(
    actor: Actor,
    records: readonly ApiRecord[],
    fields: readonly FieldDefinition[],
    confirmed?: readonly string[],
  ): void {
    const object = this.d.def.name;
    const modesOf = (r: ApiRecord): readonly FieldMode[] => fieldModes(actor, object, fields, String(r.ownerId));
    const reads = sensitiveReads(records, fields, modesOf, confirmed);
    if (reads.length === 0) return;
    const only = reads.length === 1 && reads[0]?.ids.length === 1 ? reads[0].ids[0] : undefined;
    this.d.bus.emit({
      ...this.event(actor, 'record.sensitive_read', only, 'success'),
      detail: { object: this.d.def.name, reads },
    });
  }

  /**
   * An exact lookup of values the actor sees only masked found nothing: evidence of the attempt (object and fields,
   * never the value), since a miss shows no record and so leaves no read entry (masked-lookups.ts).
   */
  lookupMiss(actor: Actor, fields: readonly string[]): void {
    this.d.bus.emit({
      ...this.event(actor, 'record.lookup_miss', undefined, 'success'),
      detail: { object: this.d.def.name, fields: [...fields] },
    });
  }

  /** A write was refused because a unique value (a contact's email) is already another record's (masked-lookups.ts). */
  duplicateRefused(actor: Actor, id: string | undefined, fields: readonly string[]): void {
    this.d.bus.emit({
      ...this.event(actor, 'record.duplicate_refused', id, 'failure'),
      detail: { object: this.d.def.name, fields: [...fields] },
    });
  }

  /** Card numbers found in free text were masked before storage: leave evidence (never the number). */
  masked(actor: Actor, id: string, masked: { field: string; count: number }[]): void {
    if (masked.length === 0) return;
    this.d.bus.emit({ ...this.event(actor, 'pci.card_number_masked', id, 'success'), detail: { fields: masked } });
  }

  /**
   * A create/update event with field-level before/after: values of public/internal/confidential fields in
   * the detail (`changes`), restricted/pci ones only named (`sealed`) — their values go to the audit trail
   * through its own channel, which seals them under this record's key.
   */
  change(
    actor: Actor,
    type: string,
    id: string,
    fields: string[],
    registry: readonly FieldDefinition[],
    before: RecordState | null,
    after: RecordState,
    key?: SubjectKey,
  ): void {
    const { clear, sensitive } = diffRecord(this.d.def, registry, before, after);
    const event: SeparEvent = {
      ...this.event(actor, type, id, 'success'),
      detail: { fields, changes: clear, sealed: sensitive.map((c) => c.field) },
    };
    this.d.changes?.attach(event, sensitive, key);
    this.d.bus.emit(event);
  }

  emit(actor: Actor, type: string, id: string, fields: string[]): void {
    this.d.bus.emit({ ...this.event(actor, type, id, 'success'), detail: { fields } });
  }

  /** An export of this object's records: its shape, never its values (each page's reads are evidence of their own). */
  exported(
    actor: Actor,
    detail: { format: string; rows: number; columns: string[]; query: string[] },
    outcome: 'success' | 'failure' = 'success',
  ): void {
    this.d.bus.emit({
      ...this.event(actor, 'record.exported', undefined, outcome),
      detail: { object: this.d.def.name, ...detail },
    });
  }

  /** A record that exists but is out of the actor's scope: answered as missing, recorded as a policy refusal. */
  denied(actor: Actor, id: string): void {
    this.d.bus.emit({
      ...this.event(actor, 'access.denied', id, 'failure'),
      detail: { reason: 'out_of_scope', status: 404 },
    });
  }
}
