import { maskCard } from '../../platform/formats/index.js';
import type { FieldType } from '../classification/index.js';

/**
 * Masks shown to roles that see a field masked. They are computed when the value is written and
 * stored next to the envelope, so a masked list never decrypts; what a mask keeps (an email's first
 * letter and domain, a phone's country code and last four digits, a card's first 6 + last 4)
 * is an accepted, bounded disclosure (docs/SECURITY.md).
 *
 * `MASK_RULES` names these rules: stored masks written under older ones are re-written once (crm/index.ts).
 * 2 (2026-12-08): a phone keeps its last 4 digits only when at least 5 stay hidden, else its last 2 (an 8-digit
 * number showed 7 of its 8 digits, a confirmation in ten guesses), and no prefix; free text keeps no first letter.
 */
export const MASK_RULES = '2';

const CALLING_CODES = [
  '1',
  '7',
  '20',
  '27',
  '30',
  '31',
  '32',
  '33',
  '34',
  '36',
  '39',
  '40',
  '41',
  '43',
  '44',
  '45',
  '46',
  '47',
  '48',
  '49',
  '51',
  '52',
  '54',
  '55',
  '60',
  '61',
  '62',
  '63',
  '64',
  '65',
  '66',
  '81',
  '82',
  '84',
  '86',
  '90',
  '91',
  '92',
  '93',
  '94',
  '98',
  '212',
  '213',
  '216',
  '351',
  '352',
  '353',
  '358',
  '380',
  '961',
  '962',
  '963',
  '964',
  '965',
  '966',
  '968',
  '971',
  '972',
  '973',
  '974',
  '992',
  '993',
  '994',
];

const LONGEST_FIRST = [...CALLING_CODES].sort((a, b) => b.length - a.length);

/** The fewest digits of a phone number's national part a mask hides (100,000 candidates to guess from). */
const HIDDEN_DIGITS = 5;

function maskPhone(e164: string): string {
  const digits = e164.replace(/^\+/, '');
  const cc = LONGEST_FIRST.find((c) => digits.startsWith(c)) ?? digits.slice(0, 2);
  const rest = digits.slice(cc.length);
  const shown = rest.length - 4 >= HIDDEN_DIGITS ? 4 : rest.length - 2 >= HIDDEN_DIGITS ? 2 : 0;
  return shown > 0 ? `+${cc} *** ${rest.slice(-shown)}` : `+${cc} ***`;
}

function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  const local = email.slice(0, at);
  return `${[...local][0] ?? ''}***${email.slice(at)}`;
}

export function maskValue(type: FieldType, value: unknown): string {
  if (value === null || value === undefined) return '***';
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  switch (type) {
    case 'email':
      return maskEmail(s);
    case 'phone':
      return maskPhone(s);
    case 'card':
      return maskCard(s);
    case 'national-id':
      return `${'*'.repeat(Math.max(s.length - 4, 0))}${s.slice(-4)}`;
    case 'iban':
      return `${s.slice(0, 4)}${'*'.repeat(Math.max(s.length - 8, 0))}${s.slice(-4)}`;
    case 'date':
      return '****-**-**';
    case 'text':
      // Not even a first letter: free text classified restricted may say anything ("H***" of a diagnosis).
      return '***';
    default:
      return '***';
  }
}
