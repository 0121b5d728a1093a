/**
 * Classification drives security: one declaration per field decides storage, search, display,
 * auditing, export and retention. No other module keeps its own list of sensitive fields.
 */
export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted', 'pci'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/** Personal (restricted) and card (pci) data: encrypted at rest, never in plaintext indexes. */
export const isSensitive = (c: Classification): boolean => c === 'restricted' || c === 'pci';

/** May this field's plaintext enter the full-text index, filters and sort keys? */
export const isPlainIndexable = (c: Classification): boolean => !isSensitive(c);

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'boolean', 'select', 'email', 'phone', 'url'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** Built-in fields use richer types; custom fields use CUSTOM_FIELD_TYPES. */
export type BuiltinFieldType =
  | 'text'
  | 'longtext'
  | 'email'
  | 'phone'
  | 'url'
  | 'domain'
  | 'national-id'
  | 'iban'
  | 'card'
  | 'date'
  | 'datetime'
  | 'money'
  | 'currency'
  | 'enum'
  | 'ref'
  | 'refs'
  | 'related';

export type FieldType = BuiltinFieldType | CustomFieldType;

export const CRM_OBJECTS = ['companies', 'contacts', 'deals', 'activities'] as const;
export type CrmObjectName = (typeof CRM_OBJECTS)[number];

/** A field as the registry serves it (built-in and custom alike). */
export interface FieldDefinition {
  readonly id: string;
  readonly object: CrmObjectName;
  readonly key: string;
  readonly label: string;
  readonly type: FieldType;
  readonly classification: Classification;
  readonly builtin: boolean;
  readonly searchable: boolean;
  readonly required: boolean;
  readonly options: readonly string[];
  readonly position: number;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}
