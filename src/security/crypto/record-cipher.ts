import type { Aead } from './aead.js';
import { decodeEnvelope, openEnvelopeText, sealEnvelopeText } from './envelope.js';
import type { Dek } from './key-hierarchy.js';

/**
 * All restricted/pci values of one record in one AEAD call: a JSON map sealed under the record's
 * DEK, bound (AAD) to table, column 'sealed', record id and key id.
 */
export type SealedValues = Record<string, unknown>;

export function sealValues(aead: Aead, dek: Dek, table: string, recordId: string, values: SealedValues): string {
  return sealEnvelopeText(aead, dek.key, dek.id, JSON.stringify(values), [table, 'sealed', recordId]);
}

/** The DEK id a sealed value names (to fetch its wrapped key). */
export function sealedKeyId(sealed: string): string {
  return decodeEnvelope(Buffer.from(sealed, 'base64')).kid;
}

export function openValues(key: Buffer, table: string, recordId: string, sealed: string): SealedValues {
  return JSON.parse(openEnvelopeText(sealed, key, [table, 'sealed', recordId])) as SealedValues;
}
