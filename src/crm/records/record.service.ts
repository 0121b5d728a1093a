import { AppError, notFound, validationError } from '../../platform/app-error.js';
import { newId } from '../../platform/ids.js';
import type { Clock } from '../../platform/clock.js';
import type { EventBus } from '../../platform/events.js';
import { recordScope, requireCanAssignOwner, type Actor } from '../../security/access/index.js';
import type { FieldDefinition, FieldRegistry, FieldType } from '../../security/classification/index.js';
import type { ObjectDefinition } from './object-definition.js';
import type { RecordRepository, Row } from './record.repository.js';
import { checkCustom, lookupNormal, type ValueContext } from './field-values.js';
import { mergeSealed, planStorage } from './record-storage.js';
import type { CryptoService, MintedDek, SealedValues } from '../../security/crypto/index.js';
import type { RegistryStateRepository } from '../fields/registry-state.repository.js';
import { normalizeTags, searchText, type ApiRecord } from './record-mapper.js';
import {
  emptyPlanParts,
  isPlainListQuery,
  parseFilters,
  parseSearch,
  parseSort,
  type BlindLookup,
  type ListQuery,
} from './record-list.js';
import type { CursorCodec } from './cursor.js';
import type { ExactMatch, ListPlan } from './record-query.js';
import type { SensitiveChangeSink } from '../../security/audit/index.js';
import { RecordEvents } from './record-events.js';
import { RecordWriteChecks } from './record-write-checks.js';
import { staleWrite, translateDbError } from './record-errors.js';
import { needsEnvelopes, shapeRecord } from './record-view.js';
import { requireQueryable, requireWritable } from './record-access.js';

export interface WriteHookInput {
  actor: Actor;
  /** Columns about to be written (after validation). */
  columns: Row;
  /** The record as stored, on update. */
  existing: Row | null;
}

/** Object-specific rules that the generic engine cannot know (e.g. a deal's stage belongs to its pipeline). */
export interface RecordHooks {
  beforeWrite?(input: WriteHookInput): Promise<Row>;
}

export interface RecordServiceDeps {
  crypto: CryptoService;
  registryState: RegistryStateRepository;
  def: ObjectDefinition;
  repo: RecordRepository;
  registry: FieldRegistry;
  cursors: CursorCodec;
  clock: Clock;
  bus: EventBus;
  values: ValueContext;
  hooks?: RecordHooks;
  /** The audit trail's channel for restricted/pci before/after values (they never go on the bus). */
  changes?: SensitiveChangeSink;
}

export interface Precondition {
  /** From If-Match: a mismatch answers 412. */
  ifMatch?: number | undefined;
  /** From the body: a mismatch answers 409. */
  bodyVersion?: number | undefined;
}

export interface ListResult {
  items: ApiRecord[];
  nextCursor: string | null;
}

/**
 * The generic CRM record service: access first, then validation from the field registry, then the
 * repository. Contacts, companies, deals and activities are instances of it.
 */
export class RecordService {
  private readonly checks: RecordWriteChecks;
  private readonly events: RecordEvents;

  constructor(private readonly d: RecordServiceDeps) {
    this.checks = new RecordWriteChecks(d, (row, exact) => this.matchesExactly(row, exact));
    this.events = new RecordEvents(d);
  }

  get definition(): ObjectDefinition {
    return this.d.def;
  }

  private async fields(): Promise<readonly FieldDefinition[]> {
    return (await this.d.registry.fresh()).fields(this.d.def.name);
  }

  /**
   * The registry as it is right now on every instance (writes, filters, search): a field another
   * instance just reclassified is never written or searched with its old classification.
   */
  private async currentFields(): Promise<{ fields: readonly FieldDefinition[]; sweeping: boolean }> {
    const state = await this.d.registryState.read();
    const reg = await this.d.registry.atStamp(state.stamp);
    return { fields: reg.fields(this.d.def.name), sweeping: state.pending.has(this.d.def.name) };
  }

  /**
   * Out of scope answers exactly like missing (404). When the record does exist, the refusal is a
   * policy decision and leaves evidence (the caller still cannot tell the difference).
   */
  private async notFoundByPolicy(actor: Actor, id: string): Promise<AppError> {
    const exists = await this.d.repo.findById(this.d.def, id, { kind: 'all' });
    if (exists) this.events.denied(actor, id);
    return notFound(capitalize(this.d.def.singular));
  }

  /** Open the record's envelope (null when it has none, or its key was destroyed). */
  private open(row: Row): SealedValues | null {
    if (typeof row.sealed !== 'string' || typeof row.sealed_kid !== 'string') return null;
    return this.d.crypto.open(
      this.d.def.table,
      String(row.id),
      row.sealed,
      row.sealed_kid,
      (row.dek_wrapped as string | null) ?? null,
    );
  }

  /** The record's logical content: plaintext columns with its sensitive values put back. */
  private logical(row: Row): { builtin: Row; custom: Record<string, unknown> } {
    return mergeSealed(this.d.def, row, this.open(row));
  }

  private toApi(row: Row, fields: readonly FieldDefinition[], actor: Actor): ApiRecord {
    return shapeRecord(this.d.def, row, fields, actor, (r) => this.open(r));
  }

  async list(actor: Actor, query: ListQuery): Promise<ListResult> {
    const scope = recordScope(actor, this.d.def.name, 'read');
    // A query that names a field (filter, search, sort) needs the registry as it is on every instance right now; a
    // plain page only shows records, with the registry a read by id uses (ADR 0010).
    const { fields, sweeping } = isPlainListQuery(query)
      ? { fields: await this.fields(), sweeping: false }
      : await this.currentFields();
    requireQueryable(actor, this.d.def, fields, query);
    const exact: ExactMatch[] = [];
    const blind: BlindLookup = (field, normalized) => this.d.crypto.lookupEntry(this.d.def.name, field, normalized);
    const base: Omit<ListPlan, 'after'> = {
      filters: parseFilters(this.d.def, fields, query, this.d.values, blind, exact),
      exact,
      searchTokens: parseSearch(query.q),
      sort: parseSort(this.d.def, fields, query.sort),
      limit: query.limit ?? 50,
      deleted: query.deleted === true,
    };
    if (sweeping && (base.searchTokens !== null || base.filters.length > 0)) {
      throw new AppError('SEPAR_ERR_UNAVAILABLE', 'Index being rebuilt', {
        detail: `A field of ${this.d.def.name} changed classification; searching and filtering resume when its records are re-stored.`,
        headers: { 'retry-after': '5' },
      });
    }
    const fingerprint = this.d.cursors.fingerprint([this.d.def.name, emptyPlanParts(base)]);
    let after: ListPlan['after'] = null;
    if (query.cursor !== undefined) {
      const c = this.d.cursors.decode(query.cursor, { u: actor.userId, f: fingerprint });
      after = { value: c.v, id: c.i };
    }
    const envelopes = exact.length > 0 || needsEnvelopes(this.d.def, fields, actor);
    const rows = await this.d.repo.list(this.d.def, { ...base, after }, scope, envelopes);
    const page = rows.slice(0, base.limit);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > base.limit && last
        ? this.d.cursors.encode({ u: actor.userId, f: fingerprint, v: sortValue(last.sort_value), i: String(last.id) })
        : null;
    const items = exact.length === 0 ? page : page.filter((r) => this.matchesExactly(r, exact));
    const out = items.map((r) => this.toApi(r, fields, actor));
    this.emitSensitiveRead(actor, out, fields);
    return { items: out, nextCursor };
  }

  /**
   * Rows of this object read by another service (a record's timeline) as the actor may see them: the same field
   * modes, masks, decryption and evidence of sensitive reads as a list of this object.
   */
  async present(actor: Actor, rows: readonly Row[]): Promise<ApiRecord[]> {
    const fields = await this.fields();
    const out = rows.map((r) => this.toApi(r, fields, actor));
    this.emitSensitiveRead(actor, out, fields);
    return out;
  }

  /**
   * Evidence of who saw personal or card data (RecordEvents.sensitiveRead). A method of its own: the audit-read
   * benchmark's unheard variant replaces it to measure reads without it.
   */
  private emitSensitiveRead(actor: Actor, records: readonly ApiRecord[], fields: readonly FieldDefinition[]): void {
    this.events.sensitiveRead(actor, records, fields);
  }

  /** Blind indexes return candidates; keep the ones whose decrypted value really matches. */
  private matchesExactly(row: Row, exact: readonly ExactMatch[]): boolean {
    const { builtin, custom } = this.logical(row);
    return exact.every((m) => {
      const value = m.key.startsWith('custom.')
        ? custom[m.key.slice(7)]
        : builtin[this.d.def.fields.find((f) => f.key === m.key)?.column ?? ''];
      return (
        (typeof value === 'string' || typeof value === 'number') &&
        lookupNormal(m.type as FieldType, String(value)) === m.normalized
      );
    });
  }

  async get(actor: Actor, id: string): Promise<ApiRecord> {
    const scope = recordScope(actor, this.d.def.name, 'read');
    const fields = await this.fields();
    const envelopes = needsEnvelopes(this.d.def, fields, actor);
    const row = await this.d.repo.findById(this.d.def, id, scope, false, envelopes);
    if (!row) throw await this.notFoundByPolicy(actor, id);
    const rec = this.toApi(row, fields, actor);
    this.emitSensitiveRead(actor, [rec], fields);
    return rec;
  }

  async create(actor: Actor, body: Record<string, unknown>): Promise<ApiRecord> {
    const scope = recordScope(actor, this.d.def.name, 'create');
    const { fields } = await this.currentFields();
    const now = this.d.clock.now().toISOString();
    const ownerId = typeof body.ownerId === 'string' ? body.ownerId : actor.userId;
    requireCanAssignOwner(actor, ownerId, this.d.def.name);
    requireWritable(actor, this.d.def, fields, body, ownerId);
    const { ctx, masked } = this.checks.valueContext();
    const columns = this.checks.validateBuiltins(body, fields, 'create', ctx);
    await this.checks.checkReferences(actor, columns);
    const extra = this.d.hooks?.beforeWrite ? await this.d.hooks.beforeWrite({ actor, columns, existing: null }) : {};
    Object.assign(columns, extra);
    for (const f of fields) {
      if (
        !f.builtin &&
        f.required &&
        !Object.hasOwn((body.custom as Record<string, unknown> | undefined) ?? {}, f.key)
      ) {
        throw validationError(`custom.${f.key}`, 'is required');
      }
    }
    const custom = pruneNulls(checkCustom((body.custom as Record<string, unknown> | undefined) ?? {}, fields, ctx));
    const tags = normalizeTags((body.tags as string[] | undefined) ?? []);
    if (actor.userId === ownerId && actor.kind === 'system') {
      throw validationError('ownerId', 'is required when the system creates a record');
    }
    const id = newId();
    await this.checks.assertUnique(columns, null, fields);
    const plan = planStorage(this.d.def, fields, columns, custom, this.d.crypto);
    const links = this.checks.links(columns, tags);
    links.indexes = plan.indexes;
    let sealed: string | null = null;
    let sealedKid: string | null = null;
    let key: MintedDek['dek'] | undefined;
    if (Object.keys(plan.sensitive).length > 0) {
      const minted = this.d.crypto.mintDek(this.d.def.table, id);
      key = minted.dek;
      sealed = this.d.crypto.seal(this.d.def.table, id, minted.dek, plan.sensitive);
      sealedKid = minted.dek.id;
      links.dek = { ...minted.row, subject_type: this.d.def.table, subject_id: id, created_at: now };
    }
    const row: Row = {
      id,
      owner_id: ownerId,
      tags: JSON.stringify(tags),
      custom: JSON.stringify(plan.plainCustom),
      search_text: searchText(this.d.def, plan.columns, plan.plainCustom, tags, fields),
      version: 1,
      created_at: now,
      updated_at: now,
      created_by: actor.userId,
      updated_by: actor.userId,
      ...plan.columns,
      sealed,
      sealed_kid: sealedKid,
      masks: plan.masks,
    };
    try {
      await this.d.repo.insert(this.d.def, row, links);
    } catch (err) {
      throw translateDbError(err);
    }
    this.events.change(
      actor,
      'record.created',
      id,
      Object.keys(columns),
      fields,
      null,
      { builtin: columns, custom, tags, ownerId },
      key,
    );
    this.events.masked(actor, id, masked);
    const created = await this.d.repo.findById(this.d.def, id, { kind: 'all' });
    if (!created) throw notFound(capitalize(this.d.def.singular));
    void scope;
    return this.toApi(created, fields, actor);
  }

  async update(actor: Actor, id: string, body: Record<string, unknown>, pre: Precondition): Promise<ApiRecord> {
    const scope = recordScope(actor, this.d.def.name, 'update');
    const expected = pre.ifMatch ?? pre.bodyVersion;
    if (expected === undefined) {
      throw new AppError('SEPAR_ERR_PRECONDITION_REQUIRED', 'Version required', {
        detail:
          'Send If-Match with the ETag you read, or "version" in the body, so a concurrent change is never overwritten.',
      });
    }
    const existing = await this.d.repo.findById(this.d.def, id, scope);
    if (!existing) throw await this.notFoundByPolicy(actor, id);
    const { fields } = await this.currentFields();
    const { version: _v, ownerId, tags: tagsIn, custom: customIn, ...rest } = body;
    const { ctx, masked } = this.checks.valueContext();
    requireWritable(actor, this.d.def, fields, body, String(existing.owner_id));
    const columns = this.checks.validateBuiltins(rest, fields, 'update', ctx);
    if (typeof ownerId === 'string' && ownerId !== existing.owner_id) {
      requireCanAssignOwner(actor, ownerId, this.d.def.name);
      columns.owner_id = ownerId;
    }
    await this.checks.checkReferences(actor, columns);
    if (this.d.hooks?.beforeWrite) Object.assign(columns, await this.d.hooks.beforeWrite({ actor, columns, existing }));
    const current = this.logical(existing);
    const storedCustom = current.custom;
    const custom =
      customIn === undefined
        ? storedCustom
        : pruneNulls({ ...storedCustom, ...checkCustom(customIn as Record<string, unknown>, fields, ctx) });
    for (const f of fields) {
      if (!f.builtin && f.required && customIn !== undefined && !Object.hasOwn(custom, f.key)) {
        throw validationError(`custom.${f.key}`, 'is required');
      }
    }
    const tags =
      tagsIn === undefined ? (JSON.parse(String(existing.tags)) as string[]) : normalizeTags(tagsIn as string[]);
    await this.checks.assertUnique(columns, id, fields);
    const now = this.d.clock.now().toISOString();
    const plan = planStorage(this.d.def, fields, { ...current.builtin, ...columns }, custom, this.d.crypto);
    const links = this.checks.links(columns, tags);
    if (tagsIn === undefined) delete links.tags;
    links.indexes = plan.indexes;
    let sealed: string | null = null;
    let sealedKid: string | null = null;
    if (Object.keys(plan.sensitive).length > 0) {
      let dek =
        typeof existing.sealed_kid === 'string'
          ? this.d.crypto.dekFromRow(
              this.d.def.table,
              id,
              existing.sealed_kid,
              (existing.dek_wrapped as string | null) ?? null,
            )
          : null;
      if (!dek) {
        const minted = this.d.crypto.mintDek(this.d.def.table, id);
        dek = minted.dek;
        links.dek = { ...minted.row, subject_type: this.d.def.table, subject_id: id, created_at: now };
      }
      sealed = this.d.crypto.seal(this.d.def.table, id, dek, plan.sensitive);
      sealedKid = dek.id;
    }
    const changes: Row = {
      ...plan.columns,
      custom: JSON.stringify(plan.plainCustom),
      tags: JSON.stringify(tags),
      search_text: searchText(this.d.def, plan.columns, plan.plainCustom, tags, fields),
      sealed,
      sealed_kid: sealedKid,
      masks: plan.masks,
      updated_at: now,
      updated_by: actor.userId,
    };
    let version: number | null;
    try {
      version = await this.d.repo.update(this.d.def, id, expected, scope, changes, links);
    } catch (err) {
      throw translateDbError(err);
    }
    if (version === null) {
      const now = await this.d.repo.findById(this.d.def, id, scope);
      if (!now) throw notFound(capitalize(this.d.def.singular));
      throw staleWrite(pre.ifMatch !== undefined, Number(now.version));
    }
    this.events.change(
      actor,
      'record.updated',
      id,
      Object.keys(body).filter((k) => k !== 'version'),
      fields,
      {
        builtin: current.builtin,
        custom: storedCustom,
        tags: JSON.parse(String(existing.tags)) as string[],
        ownerId: existing.owner_id,
      },
      { builtin: { ...current.builtin, ...columns }, custom, tags, ownerId: columns.owner_id ?? existing.owner_id },
    );
    this.events.masked(actor, id, masked);
    return this.get(actor, id);
  }

  async remove(actor: Actor, id: string, pre: Precondition): Promise<void> {
    const scope = recordScope(actor, this.d.def.name, 'delete');
    const expected = pre.ifMatch ?? pre.bodyVersion ?? null;
    const ok = await this.d.repo.setDeleted(
      this.d.def,
      id,
      scope,
      this.d.clock.now().toISOString(),
      this.d.clock.now().toISOString(),
      actor.userId,
      expected,
    );
    if (!ok) {
      const row = await this.d.repo.findById(this.d.def, id, scope);
      if (!row) throw notFound(capitalize(this.d.def.singular));
      throw staleWrite(pre.ifMatch !== undefined, Number(row.version));
    }
    this.events.emit(actor, 'record.deleted', id, []);
  }

  async restore(actor: Actor, id: string): Promise<ApiRecord> {
    const scope = recordScope(actor, this.d.def.name, 'update');
    const now = this.d.clock.now().toISOString();
    const ok = await this.d.repo.setDeleted(this.d.def, id, scope, null, now, actor.userId, null);
    if (!ok) throw notFound(capitalize(this.d.def.singular));
    this.events.emit(actor, 'record.restored', id, []);
    return this.get(actor, id);
  }
}

function sortValue(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number(v);
  return JSON.stringify(v);
}

function pruneNulls(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
