/**
 * Client-side checks with the server's own validators (src/platform/formats is pure TypeScript, shared
 * by both), so a form says exactly what the API would say — before the round trip. The API still decides.
 */
import { parseEmail } from '../../../src/platform/formats/email';
import { parseIban } from '../../../src/platform/formats/iban';
import { parseIranNationalId } from '../../../src/platform/formats/national-id';
import { parsePhone } from '../../../src/platform/formats/phone';

export type CheckedKind = 'email' | 'phone' | 'national-id' | 'iban';

/** The API's message for a bad value ("is not a valid IBAN (checksum mismatch)"), or null when it is fine. */
export function checkFormat(kind: CheckedKind, value: string): string | null {
  if (value.trim() === '') return null;
  const r = (() => {
    switch (kind) {
      case 'email':
        return parseEmail(value);
      case 'phone':
        return parsePhone(value, 'IR');
      case 'national-id':
        return parseIranNationalId(value);
      case 'iban':
        return parseIban(value);
    }
  })();
  return r.ok ? null : r.reason;
}

export const isCheckedKind = (t: string): t is CheckedKind =>
  t === 'email' || t === 'phone' || t === 'national-id' || t === 'iban';
