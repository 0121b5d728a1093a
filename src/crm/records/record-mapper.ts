import { maskCard, maskCardNumbersInText, normalizeText } from '../../platform/formats/index.js';
import { isSensitive, type FieldDefinition } from '../../security/classification/index.js';
import type { BuiltinFieldSpec, ObjectDefinition } from './object-definition.js';
import type { Row } from './record.repository.js';

export type ApiRecord = Record<string, unknown>;

export const parseJson = <T>(v: unknown, fallback: T): T => {
  if (typeof v !== 'string') return fallback;
  try {
    return JSON.parse(v) as T;
  } catch {
    return fallback;
  }
};

/** A built-in field's stored value as the API shows it. Card numbers never leave unmasked (first 6 + last 4). */
export function builtinValue(f: BuiltinFieldSpec, v: unknown): unknown {
  switch (f.type) {
    case 'refs':
    case 'related':
      return parseJson<unknown[]>(v, []);
    case 'money':
      return Number(v ?? 0);
    case 'card':
      // a full number (from the envelope) is masked; a stored mask is shown as is; '' means none
      return typeof v === 'string' && v !== '' ? (/^\d+$/.test(v) ? maskCard(v) : v) : null;
    default:
      return v ?? null;
  }
}

/** A database row as the API shows it. Card numbers never leave unmasked (first 6 + last 4). */
export function rowToRecord(def: ObjectDefinition, row: Row, customFields: readonly FieldDefinition[]): ApiRecord {
  const out: ApiRecord = { id: row.id };
  for (const f of def.fields) out[f.key] = builtinValue(f, row[f.column]);
  const stored = parseJson<Record<string, unknown>>(row.custom, {});
  const custom: Record<string, unknown> = {};
  for (const f of customFields) if (f.key in stored) custom[f.key] = stored[f.key];
  out.ownerId = row.owner_id;
  out.tags = parseJson<string[]>(row.tags, []);
  out.custom = custom;
  out.version = Number(row.version);
  out.createdAt = row.created_at;
  out.updatedAt = row.updated_at;
  out.deletedAt = row.deleted_at ?? null;
  return out;
}

const INDEX_TOKEN = /[\p{L}\p{N}]+/gu;
const MAX_INDEX_CHARS = 8000;

/**
 * The plaintext full-text document of a record: normalised tokens of its searchable fields whose
 * classification allows a plaintext index (never restricted or pci), plus its tags.
 */
export function searchText(
  def: ObjectDefinition,
  columns: Row,
  custom: Record<string, unknown>,
  tags: readonly string[],
  registry: readonly FieldDefinition[],
): string {
  const parts: string[] = [];
  for (const spec of def.fields) {
    const reg = registry.find((r) => r.key === spec.key && r.builtin);
    if (!reg || !reg.searchable || isSensitive(reg.classification)) continue;
    const v = columns[spec.column];
    if (typeof v === 'string') parts.push(v);
  }
  for (const f of registry) {
    if (f.builtin || !f.searchable || isSensitive(f.classification)) continue;
    const v = custom[f.key];
    if (typeof v === 'string') parts.push(v);
  }
  parts.push(...tags);
  // Masked again after normalisation: folding (NFKC digits, removed diacritics and invisibles) can spell a card
  // number the scan of the stored text did not read, and this index is plaintext.
  const tokens = maskCardNumbersInText(normalizeText(parts.join(' '))).text.match(INDEX_TOKEN) ?? [];
  let text = '';
  for (const t of tokens) {
    if (text.length + t.length + 1 > MAX_INDEX_CHARS) break;
    text += (text ? ' ' : '') + t.slice(0, 64);
  }
  return text;
}

export function normalizeTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const raw of tags) {
    // Tags are free text too: a card number in one is stored masked, like in every other text field (PCI DSS 3.4.1).
    const t = maskCardNumbersInText(raw.normalize('NFC').trim().replace(/\s+/g, ' ')).text;
    if (t) seen.add(t);
  }
  return [...seen];
}
