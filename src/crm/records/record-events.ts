import type { Clock } from '../../platform/clock.js';
import type { EventBus, SeparEvent } from '../../platform/events.js';
import { eventContext, type Actor } from '../../security/access/index.js';
import type { SensitiveChangeSink } from '../../security/audit/index.js';
import type { FieldDefinition } from '../../security/classification/index.js';
import type { ObjectDefinition } from './object-definition.js';
import { diffRecord, type RecordState } from './record-changes.js';

export interface RecordEventDeps {
  def: ObjectDefinition;
  clock: Clock;
  bus: EventBus;
  /** The audit trail's channel for restricted/pci before/after values (they never go on the bus). */
  changes?: SensitiveChangeSink | undefined;
}

/** The events a record's writes leave for the audit trail (and anyone else on the bus). */
export class RecordEvents {
  constructor(private readonly d: RecordEventDeps) {}

  /** Card numbers found in free text were masked before storage: leave evidence (never the number). */
  masked(actor: Actor, id: string, masked: { field: string; count: number }[]): void {
    if (masked.length === 0) return;
    this.d.bus.emit({
      type: 'pci.card_number_masked',
      at: this.d.clock.now().toISOString(),
      outcome: 'success',
      context: eventContext(actor),
      target: { type: this.d.def.name, id },
      detail: { fields: masked },
    });
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
  ): void {
    const { clear, sensitive } = diffRecord(this.d.def, registry, before, after);
    const event: SeparEvent = {
      type,
      at: this.d.clock.now().toISOString(),
      outcome: 'success',
      context: eventContext(actor),
      target: { type: this.d.def.name, id },
      detail: { fields, changes: clear, sealed: sensitive.map((c) => c.field) },
    };
    this.d.changes?.attach(event, sensitive);
    this.d.bus.emit(event);
  }

  emit(actor: Actor, type: string, id: string, fields: string[]): void {
    this.d.bus.emit({
      type,
      at: this.d.clock.now().toISOString(),
      outcome: 'success',
      context: eventContext(actor),
      target: { type: this.d.def.name, id },
      detail: { fields },
    });
  }

  /** A record that exists but is out of the actor's scope: answered as missing, recorded as a policy refusal. */
  denied(actor: Actor, id: string): void {
    this.d.bus.emit({
      type: 'access.denied',
      at: this.d.clock.now().toISOString(),
      outcome: 'failure',
      context: eventContext(actor),
      target: { type: this.d.def.name, id },
      detail: { reason: 'out_of_scope', status: 404 },
    });
  }
}
