import { AppError, validationError } from '../../platform/app-error.js';
import {
  emailLookupKey,
  hasControlChars,
  maskCardNumbersInText,
  normalizeText,
  isCurrencyCode,
  parseCardNumber,
  parseEmail,
  parseIban,
  parseIranNationalId,
  parsePhone,
  type Result,
} from '../../platform/formats/index.js';
import type { FieldDefinition, FieldType } from '../../security/classification/index.js';

/**
 * Validation of single values by field type, shared by built-in and custom fields. Returns the
 * stored form (E.164 phone, compact IBAN, digits-only national ID) or throws a 400 naming the field.
 */
export interface ValueContext {
  phoneRegion: string;
  /** Told when card numbers were found in free text and masked before storage. */
  onCardMasked?: (field: string, count: number) => void;
}

/**
 * Free text never stores a full card number (PCI DSS 3.4.1): Luhn-valid numbers (spaces and dashes
 * too) are replaced by their first 6 + last 4 unless the field itself is classified pci.
 */
function maskFreeText(field: string, value: string, ctx: ValueContext, classification: string | undefined): string {
  if (classification === 'pci') return value;
  const r = maskCardNumbersInText(value);
  if (r.count > 0) ctx.onCardMasked?.(field, r.count);
  return r.text;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DOMAIN_RE = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

export function checkText(field: string, value: string, maxLength: number, multiline: boolean): string {
  if (hasControlChars(value)) throw validationError(field, 'contains control characters that cannot be stored');
  if (!multiline && /[\r\n]/.test(value)) throw validationError(field, 'must be a single line');
  if ([...value].length > maxLength) throw validationError(field, `must be at most ${maxLength} characters`);
  return value;
}

function fromResult(field: string, r: Result<string>): string {
  if (!r.ok) throw validationError(field, r.reason);
  return r.value;
}

export function checkDate(field: string, value: string): string {
  const m = DATE_RE.exec(value);
  if (!m) throw validationError(field, 'must be a date as YYYY-MM-DD');
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
    throw validationError(field, 'is not a real calendar date');
  }
  const year = Number(m[1]);
  if (year < 1800 || year > 2200) throw validationError(field, 'must be between the years 1800 and 2200');
  return value;
}

export function checkDateTime(field: string, value: string): string {
  if (!DATETIME_RE.test(value)) throw validationError(field, 'must be an ISO 8601 date-time with a time zone');
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw validationError(field, 'is not a real date-time');
  const year = d.getUTCFullYear();
  if (year < 1800 || year > 2200) throw validationError(field, 'must be between the years 1800 and 2200');
  return d.toISOString();
}

export function checkUrl(field: string, value: string): string {
  if (value.length > 2048) throw validationError(field, 'must be at most 2048 characters');
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw validationError(field, 'must be an absolute http(s) URL');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw validationError(field, 'must use http or https');
  return u.toString();
}

export function checkDomain(field: string, value: string): string {
  const v = value.trim().toLowerCase().replace(/\.$/, '');
  if (!DOMAIN_RE.test(v)) throw validationError(field, 'must be a domain name like example.com');
  return v;
}

/** Validate one value of a given type; returns the stored form. `null` clears. */
export function checkValue(
  field: string,
  type: FieldType,
  value: unknown,
  ctx: ValueContext,
  opts: { maxLength?: number; options?: readonly string[]; classification?: string } = {},
): unknown {
  if (value === null) return null;
  switch (type) {
    case 'text':
      return maskFreeText(
        field,
        checkText(field, expectString(field, value), opts.maxLength ?? 2000, false),
        ctx,
        opts.classification,
      );
    case 'longtext':
      return maskFreeText(
        field,
        checkText(field, expectString(field, value), opts.maxLength ?? 20_000, true),
        ctx,
        opts.classification,
      );
    case 'email':
      return fromResult(field, parseEmail(expectString(field, value)));
    case 'phone':
      return fromResult(field, parsePhone(expectString(field, value), ctx.phoneRegion));
    case 'national-id':
      return fromResult(field, parseIranNationalId(expectString(field, value)));
    case 'iban':
      return fromResult(field, parseIban(expectString(field, value)));
    case 'card':
      return fromResult(field, parseCardNumber(expectString(field, value)));
    case 'url':
      return checkUrl(field, expectString(field, value));
    case 'domain':
      return checkDomain(field, expectString(field, value));
    case 'date':
      return checkDate(field, expectString(field, value));
    case 'datetime':
      return checkDateTime(field, expectString(field, value));
    case 'currency': {
      const c = expectString(field, value);
      if (!isCurrencyCode(c)) throw validationError(field, 'must be an ISO 4217 currency code such as EUR, IRR or CAD');
      return c;
    }
    case 'money':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw validationError(field, 'must be a number');
      if (type === 'money' && (!Number.isSafeInteger(value) || value < 0)) {
        throw validationError(field, 'must be a non-negative whole number of minor units');
      }
      if (Math.abs(value) > Number.MAX_SAFE_INTEGER) throw validationError(field, 'is too large');
      return value;
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw validationError(field, 'must be true or false');
      return value;
    case 'select':
    case 'enum': {
      const s = expectString(field, value);
      if (opts.options && !opts.options.includes(s)) {
        throw validationError(field, `must be one of: ${opts.options.join(', ')}`);
      }
      return s;
    }
    case 'ref':
    case 'refs':
    case 'related':
      return value;
  }
}

function expectString(field: string, value: unknown): string {
  if (typeof value !== 'string') throw validationError(field, 'must be a string');
  return value;
}

/** Exact-match lookup key for a lookup field (the same normalisation as storage). */
export function lookupKey(field: string, type: FieldType, raw: string, ctx: ValueContext): string {
  const stored = checkValue(field, type, raw, ctx);
  if (typeof stored !== 'string' && typeof stored !== 'number')
    throw validationError(field, 'is not a valid lookup value');
  return lookupNormal(type, String(stored));
}

/**
 * The normal form an exact lookup compares (and a blind index hashes): stored forms are already
 * canonical for phones, IDs, IBANs and cards; emails fold case; free text is folded like search.
 */
export function lookupNormal(type: FieldType, stored: string): string {
  switch (type) {
    case 'email':
      return emailLookupKey(stored);
    case 'phone':
    case 'national-id':
    case 'card':
    case 'iban':
    case 'date':
    case 'number':
      return stored;
    default:
      return normalizeText(stored);
  }
}

/** Validate the `custom` object of a body against the registry's custom fields. */
export function checkCustom(
  input: Record<string, unknown>,
  fields: readonly FieldDefinition[],
  ctx: ValueContext,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const f = fields.find((x) => x.key === key && !x.builtin);
    if (!f) {
      throw new AppError('SEPAR_ERR_UNKNOWN_FIELD', 'Invalid request', {
        detail: `Field 'custom.${key}' is not a known field.`,
        errors: [{ field: `custom.${key}`, message: 'is not a known field' }],
      });
    }
    out[key] = checkValue(`custom.${key}`, f.type, value, ctx, {
      options: f.options,
      maxLength: 2000,
      classification: f.classification,
    });
  }
  return out;
}
