import type { SeparEvent } from '../../platform/events.js';

/** A restricted/pci field's value before and after a change (plaintext: never put on the bus). */
export interface SensitiveChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** The record's own key, when the writer holds it already (the one it just created the record with). */
export interface SubjectKey {
  id: string;
  key: Buffer;
}

/** What the record service sees: a place to leave plaintext values for the audit trail alone. */
export interface SensitiveChangeSink {
  /** `key`: the record's key, if the caller has it at hand (saves the audit trail looking it up). */
  attach(event: SeparEvent, changes: readonly SensitiveChange[], key?: SubjectKey): void;
}

export interface PendingChanges {
  changes: readonly SensitiveChange[];
  key: SubjectKey | null;
}

/**
 * The non-logged side channel for sensitive before/after values. The record service attaches them to the
 * event object it is about to emit; the bus payload itself carries only the field names. Only the audit
 * subscriber holds this channel: it takes the values (once), seals them under the record's own key
 * (CryptoService.sealForSubject — crypto-shredding the record erases them from the log's detail too) and
 * drops the plaintext. Keyed weakly by the event object, so nothing lingers if no one takes them.
 */
export class SensitiveChangeChannel implements SensitiveChangeSink {
  private readonly pending = new WeakMap<SeparEvent, PendingChanges>();

  attach(event: SeparEvent, changes: readonly SensitiveChange[], key?: SubjectKey): void {
    if (changes.length > 0) this.pending.set(event, { changes, key: key ?? null });
  }

  take(event: SeparEvent): PendingChanges | null {
    const c = this.pending.get(event) ?? null;
    this.pending.delete(event);
    return c;
  }
}
