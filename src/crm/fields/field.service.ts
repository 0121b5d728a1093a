import { AppError, forbidden, notFound, validationError } from '../../platform/app-error.js';
import { newId } from '../../platform/ids.js';
import type { Clock } from '../../platform/clock.js';
import type { EventBus } from '../../platform/events.js';
import { hasControlChars, maskCardNumbersInText } from '../../platform/formats/index.js';
import { eventContext, requireCapability, type Actor } from '../../security/access/index.js';
import {
  CUSTOM_FIELD_TYPES,
  type Classification,
  type CrmObjectName,
  type CustomFieldType,
  type FieldDefinition,
  type FieldRegistry,
} from '../../security/classification/index.js';
import { toDefinition, type FieldRepository } from './field.repository.js';
import type { RegistryStateRepository } from './registry-state.repository.js';

export interface CreateFieldInput {
  object: CrmObjectName;
  key: string;
  label: string;
  type: CustomFieldType;
  classification: Classification;
  searchable?: boolean;
  required?: boolean;
  options?: string[];
}

export interface UpdateFieldInput {
  label?: string;
  classification?: Classification;
  searchable?: boolean;
  required?: boolean;
  options?: string[];
  version?: number;
}

const RESERVED = new Set([
  'id',
  'ownerId',
  'tags',
  'custom',
  'version',
  'createdAt',
  'updatedAt',
  'deletedAt',
  'seq',
  // names every JavaScript object answers to: a custom key must never collide with them
  ...Object.getOwnPropertyNames(Object.prototype),
]);
const RANK: Record<Classification, number> = { public: 0, internal: 1, confidential: 2, restricted: 3, pci: 4 };
const rank = (c: Classification): number => RANK[c];
const KEY_RE = /^[a-z][a-zA-Z0-9_]{0,62}$/;
const TEXTUAL = new Set<string>(['text', 'select', 'email', 'url', 'phone']);
/** Sensitive authentication data a merchant may never keep after authorisation (PCI DSS 3.3.1). */
const FORBIDDEN_CARD_DATA =
  /(^|[^a-z])(cvv2?|cvc2?|cav2|cid|csc|card ?pin|pin ?block|track ?[12]?( ?data)?|magstripe|magnetic ?stripe)([^a-z]|$)|cvv|cvc|trackdata|cardpin|pinblock/i;

/** Called after a change that alters what may be in the plaintext search index of an object. */
export type ReindexRequest = (object: CrmObjectName) => void;

export class FieldService {
  constructor(
    private readonly repo: FieldRepository,
    private readonly registry: FieldRegistry,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly reindex: ReindexRequest,
    private readonly state: RegistryStateRepository,
    /** The classification a built-in field was declared with: it can be raised, never lowered. */
    private readonly builtinFloor: (object: string, key: string) => Classification | undefined,
  ) {}

  async list(_actor: Actor, object?: CrmObjectName): Promise<FieldDefinition[]> {
    const all = await this.repo.loadAll();
    return all
      .filter((f) => !object || f.object === object)
      .sort((a, b) => a.object.localeCompare(b.object) || a.position - b.position);
  }

  async get(_actor: Actor, id: string): Promise<FieldDefinition> {
    const row = await this.repo.byId(id);
    if (!row) throw notFound('Field');
    return toDefinition(row);
  }

  async create(actor: Actor, input: CreateFieldInput): Promise<FieldDefinition> {
    requireCapability(actor, 'manage-fields');
    if (!KEY_RE.test(input.key) || RESERVED.has(input.key)) {
      throw validationError(
        'key',
        'must start with a lower-case letter, use letters, digits or _ and not be a reserved name',
      );
    }
    if (FORBIDDEN_CARD_DATA.test(input.key) || FORBIDDEN_CARD_DATA.test(input.label)) {
      throw validationError(
        'key',
        'must not hold card verification codes, PINs or magnetic-stripe/track data: PCI DSS 3.3.1 forbids storing them',
      );
    }
    if (!CUSTOM_FIELD_TYPES.includes(input.type))
      throw validationError('type', `must be one of ${CUSTOM_FIELD_TYPES.join(', ')}`);
    const label = checkLabel(input.label);
    const options = checkOptions(input.type, input.options);
    if (await this.repo.byKey(input.object, input.key)) {
      throw new AppError('SEPAR_ERR_DUPLICATE', 'Duplicate field', {
        detail: `The key '${input.key}' is already used (or was used by a deleted field) on ${input.object}.`,
      });
    }
    const now = this.clock.now().toISOString();
    const row = {
      id: newId(),
      object: input.object,
      key: input.key,
      label,
      type: input.type,
      classification: input.classification,
      builtin: 0,
      searchable: (input.searchable ?? TEXTUAL.has(input.type)) ? 1 : 0,
      required: input.required ? 1 : 0,
      options: JSON.stringify(options),
      position: (await this.repo.maxPosition(input.object)) + 10,
      created_at: now,
      updated_at: now,
      version: 1,
      deleted_at: null,
    };
    await this.repo.insert(row);
    await this.state.renewStamp();
    await this.registry.load();
    this.emit(actor, 'field.created', row.id, {
      object: input.object,
      key: input.key,
      classification: input.classification,
    });
    return toDefinition(row);
  }

  async update(
    actor: Actor,
    id: string,
    input: UpdateFieldInput,
    ifMatch: number | undefined,
  ): Promise<FieldDefinition> {
    requireCapability(actor, 'manage-fields');
    const row = await this.repo.byId(id);
    if (!row) throw notFound('Field');
    const expected = ifMatch ?? input.version;
    if (expected === undefined) {
      throw new AppError('SEPAR_ERR_PRECONDITION_REQUIRED', 'Version required', {
        detail: 'Send If-Match with the ETag you read, or "version" in the body.',
      });
    }
    const floor = row.builtin === 1 ? this.builtinFloor(row.object, row.key) : undefined;
    if (floor && input.classification !== undefined && rank(input.classification) < rank(floor)) {
      throw forbidden(`The built-in field '${row.key}' is ${floor} data; it can be classified higher, never lower.`);
    }
    if (row.builtin === 1 && (input.required !== undefined || input.options !== undefined)) {
      throw forbidden('Only the label, classification and searchability of a built-in field can change.');
    }
    const changes: Record<string, unknown> = { updated_at: this.clock.now().toISOString() };
    if (input.label !== undefined) changes.label = checkLabel(input.label);
    if (input.classification !== undefined) changes.classification = input.classification;
    if (input.searchable !== undefined) changes.searchable = input.searchable ? 1 : 0;
    if (input.required !== undefined) changes.required = input.required ? 1 : 0;
    if (input.options !== undefined)
      changes.options = JSON.stringify(checkOptions(row.type as CustomFieldType, input.options));
    const ok = await this.repo.update(id, expected, changes);
    if (!ok) {
      const now = await this.repo.byId(id);
      if (!now) throw notFound('Field');
      throw new AppError(
        ifMatch !== undefined ? 'SEPAR_ERR_PRECONDITION_FAILED' : 'SEPAR_ERR_VERSION_CONFLICT',
        'Stale version',
        {
          detail: `The field changed since you read it (now version ${now.version}).`,
        },
      );
    }
    const restore = input.classification !== undefined || input.searchable !== undefined;
    // Until the records are re-stored, searches and filters on this object wait (503) rather than use stale storage.
    if (restore) await this.state.markPending(row.object as CrmObjectName);
    await this.state.renewStamp();
    await this.registry.load();
    if (restore) this.reindex(row.object as CrmObjectName);
    this.emit(actor, 'field.updated', id, {
      object: row.object,
      key: row.key,
      from: row.classification,
      to: input.classification ?? row.classification,
    });
    return this.get(actor, id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    requireCapability(actor, 'manage-fields');
    const row = await this.repo.byId(id);
    if (!row) throw notFound('Field');
    if (row.builtin === 1) throw forbidden('Built-in fields cannot be deleted.');
    const now = this.clock.now().toISOString();
    await this.repo.update(id, row.version, { deleted_at: now, updated_at: now });
    await this.state.markPending(row.object as CrmObjectName);
    await this.state.renewStamp();
    await this.registry.load();
    this.reindex(row.object as CrmObjectName);
    this.emit(actor, 'field.deleted', id, { object: row.object, key: row.key });
  }

  private emit(actor: Actor, type: string, id: string, detail: Record<string, unknown>): void {
    this.bus.emit({
      type,
      at: this.clock.now().toISOString(),
      outcome: 'success',
      context: eventContext(actor),
      target: { type: 'field', id },
      detail,
    });
  }
}

function checkLabel(label: string): string {
  const l = label.trim();
  if (l.length === 0 || [...l].length > 100 || hasControlChars(l)) {
    throw validationError('label', 'must be 1–100 characters without control characters');
  }
  // Labels and options are configuration, kept and shown in clear everywhere: no place for a card number.
  if (maskCardNumbersInText(l).count > 0) throw validationError('label', 'must not contain a card number');
  return l;
}

function checkOptions(type: CustomFieldType, options: string[] | undefined): string[] {
  if (type !== 'select') {
    if (options && options.length > 0) throw validationError('options', 'are only for select fields');
    return [];
  }
  const list = (options ?? []).map((o) => o.trim());
  if (list.length === 0) throw validationError('options', 'a select field needs at least one option');
  if (new Set(list).size !== list.length) throw validationError('options', 'must be unique');
  if (list.some((o) => o.length === 0 || o.length > 100 || hasControlChars(o))) {
    throw validationError('options', 'each option must be 1–100 characters');
  }
  if (list.some((o) => maskCardNumbersInText(o).count > 0)) {
    throw validationError('options', 'must not contain a card number');
  }
  return list;
}
