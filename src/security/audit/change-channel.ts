import type { SeparEvent } from '../../platform/events.js';

/** A restricted/pci field's value before and after a change (plaintext: never put on the bus). */
export interface SensitiveChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** What the record service sees: a place to leave plaintext values for the audit trail alone. */
export interface SensitiveChangeSink {
  attach(event: SeparEvent, changes: readonly SensitiveChange[]): void;
}

/**
 * The non-logged side channel for sensitive before/after values. The record service attaches them to the
 * event object it is about to emit; the bus payload itself carries only the field names. Only the audit
 * subscriber holds this channel: it takes the values (once), seals them under the record's own key
 * (CryptoService.sealForSubject — crypto-shredding the record erases them from the log's detail too) and
 * drops the plaintext. Keyed weakly by the event object, so nothing lingers if no one takes them.
 */
export class SensitiveChangeChannel implements SensitiveChangeSink {
  private readonly pending = new WeakMap<SeparEvent, readonly SensitiveChange[]>();

  attach(event: SeparEvent, changes: readonly SensitiveChange[]): void {
    if (changes.length > 0) this.pending.set(event, changes);
  }

  take(event: SeparEvent): readonly SensitiveChange[] | null {
    const c = this.pending.get(event) ?? null;
    this.pending.delete(event);
    return c;
  }
}
