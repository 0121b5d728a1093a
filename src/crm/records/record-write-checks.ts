import { AppError, validationError } from '../../platform/app-error.js';
import { emailLookupKey } from '../../platform/formats/index.js';
import { recordScope, type Actor, type CrmObject, type RecordScope } from '../../security/access/index.js';
import type { FieldDefinition } from '../../security/classification/index.js';
import type { CryptoService } from '../../security/crypto/index.js';
import type { ObjectDefinition } from './object-definition.js';
import type { LinkChanges, RecordRepository, Row } from './record.repository.js';
import { checkValue, type ValueContext } from './field-values.js';
import { parseFilters, parseSort, type ListQuery } from './record-list.js';
import type { ExactMatch } from './record-query.js';

export interface WriteCheckDeps {
  def: ObjectDefinition;
  repo: RecordRepository;
  crypto: CryptoService;
  values: ValueContext;
}

const TABLE_OF: Record<CrmObject, string> = {
  companies: 'companies',
  contacts: 'contacts',
  deals: 'deals',
  activities: 'activities',
};

/**
 * What a create or update checks before anything is written: built-in values against the field registry, unique
 * fields, references to records the actor can see, and the link rows the columns imply.
 */
export class RecordWriteChecks {
  constructor(
    private readonly d: WriteCheckDeps,
    /** Blind-index candidates: whether a row's decrypted values really match (the record service decrypts). */
    private readonly matches: (row: Row, exact: readonly ExactMatch[]) => boolean,
    /** Load keys created elsewhere before candidates sealed under them are opened (RecordReader.ensureKeys). */
    private readonly ensureKeys: (rows: readonly Row[]) => Promise<void>,
  ) {}

  /**
   * Fields declared unique (a contact's email) must not repeat among live records. The check runs
   * over every owner's records: it answers only "a duplicate exists", never which record or whose.
   */
  async assertUnique(columns: Row, selfId: string | null, fields: readonly FieldDefinition[]): Promise<void> {
    for (const spec of this.d.def.fields) {
      if (!spec.unique) continue;
      const value = columns[spec.column];
      if (typeof value !== 'string') continue;
      const query: ListQuery = { [spec.key]: value, limit: 200 };
      const exact: ExactMatch[] = [];
      const filters = parseFilters(
        this.d.def,
        fields,
        query,
        this.d.values,
        (f, n) => this.d.crypto.lookupEntry(this.d.def.name, f, n),
        exact,
      );
      const rows = await this.d.repo.list(
        this.d.def,
        {
          filters,
          exact,
          searchTokens: null,
          sort: parseSort(this.d.def, fields, undefined),
          limit: 200,
          deleted: false,
          after: null,
        },
        { kind: 'all' },
      );
      if (exact.length > 0) await this.ensureKeys(rows);
      const dup = rows.some((r) => r.id !== selfId && (exact.length === 0 || this.matches(r, exact)));
      if (dup) {
        throw new AppError('SEPAR_ERR_DUPLICATE', 'Duplicate', {
          detail: `A ${this.d.def.singular} with this ${spec.label.toLowerCase()} already exists.`,
          errors: [{ field: spec.key, message: 'is already used by another record' }],
        });
      }
    }
  }

  /** Validate built-in fields of a body into columns. Unknown keys never get here (schema). */
  validateBuiltins(
    body: Record<string, unknown>,
    fields: readonly FieldDefinition[],
    mode: 'create' | 'update',
    ctx: ValueContext,
  ): Row {
    const columns: Row = {};
    for (const spec of this.d.def.fields) {
      if (!(spec.key in body)) {
        if (mode === 'create' && spec.required) throw validationError(spec.key, 'is required');
        continue;
      }
      const value = body[spec.key];
      if (value === null && spec.required) throw validationError(spec.key, 'is required and cannot be empty');
      const reg = fields.find((f) => f.builtin && f.key === spec.key);
      const stored = checkValue(spec.key, spec.type, value, ctx, {
        maxLength: spec.maxLength,
        options: spec.enumValues ?? reg?.options,
        classification: reg?.classification,
      });
      if (spec.required && typeof stored === 'string' && stored.trim() === '') {
        throw validationError(spec.key, 'is required and cannot be blank');
      }
      if (spec.notNull && stored === null && spec.type !== 'ref') {
        columns[spec.column] = spec.type === 'money' ? 0 : '';
      } else if (spec.type === 'refs' || spec.type === 'related') {
        columns[spec.column] = JSON.stringify(stored ?? []);
      } else {
        columns[spec.column] = stored;
      }
      if (spec.lookupColumn && spec.lookupColumn !== spec.column) {
        columns[spec.lookupColumn] =
          typeof stored === 'string' ? (spec.type === 'email' ? emailLookupKey(stored) : stored) : null;
      }
    }
    return columns;
  }

  /** References must point at live records the actor can see ("not found or no access" otherwise). */
  async checkReferences(actor: Actor, columns: Row): Promise<void> {
    for (const spec of this.d.def.fields) {
      const raw = columns[spec.column];
      if (raw === undefined || raw === null) continue;
      if (spec.type === 'ref' && spec.refObject) {
        await this.requireVisible(actor, spec.refObject, [raw as string], spec.key);
      } else if (spec.type === 'refs' && spec.refObject) {
        await this.requireVisible(actor, spec.refObject, JSON.parse(raw as string) as string[], spec.key);
      } else if (spec.type === 'related') {
        const items = JSON.parse(raw as string) as { type: CrmObject; id: string }[];
        for (const type of new Set(items.map((i) => i.type))) {
          await this.requireVisible(
            actor,
            type,
            items.filter((i) => i.type === type).map((i) => i.id),
            spec.key,
          );
        }
      }
    }
  }

  private async requireVisible(actor: Actor, object: CrmObject, ids: string[], field: string): Promise<void> {
    if (ids.length === 0) return;
    let scope: RecordScope;
    try {
      scope = recordScope(actor, object, 'read');
    } catch {
      throw validationError(field, `refers to ${object} you cannot see`);
    }
    const visible = await this.d.repo.visibleIds(TABLE_OF[object], ids, scope);
    const missing = ids.find((i) => !visible.has(i));
    if (missing)
      throw validationError(field, `refers to a record that does not exist or that you cannot see (${missing})`);
  }

  links(columns: Row, tags: string[]): LinkChanges {
    const links: LinkChanges = { tags };
    if (typeof columns.contact_ids === 'string' && this.d.def.name === 'deals') {
      links.dealContacts = JSON.parse(columns.contact_ids) as string[];
    }
    if (typeof columns.related === 'string' && this.d.def.name === 'activities') {
      links.related = JSON.parse(columns.related) as { type: string; id: string }[];
    }
    return links;
  }

  valueContext(): { ctx: ValueContext; masked: { field: string; count: number }[] } {
    const masked: { field: string; count: number }[] = [];
    return { ctx: { ...this.d.values, onCardMasked: (field, count) => masked.push({ field, count }) }, masked };
  }
}
