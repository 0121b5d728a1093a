import type { FieldDefinition, FieldType } from '../../security/classification/index.js';
import { narrowerScope, recordScope, type Actor } from '../../security/access/index.js';
import { isUnopenable, type SealedValues } from '../../security/crypto/index.js';
import { AppError } from '../../platform/app-error.js';
import type { Row } from './record.repository.js';
import { lookupNormal } from './field-values.js';
import { mergeSealed } from './record-storage.js';
import { parseJson, type ApiRecord } from './record-mapper.js';
import {
  emptyPlanParts,
  isPlainListQuery,
  parseFilters,
  parseSearch,
  parseSort,
  type BlindLookup,
  type ListQuery,
} from './record-list.js';
import type { ExactMatch, ListPlan } from './record-query.js';
import type { RecordEvents } from './record-events.js';
import { recordNotFound } from './record-errors.js';
import { needsEnvelopes, shapeRecord } from './record-view.js';
import { maskedFilters, requireQueryable } from './record-access.js';
import type { ListResult, RecordServiceDeps } from './record.service.js';

/**
 * The read side of a record service: which registry a read uses, scope in the query, envelopes only for clear
 * views, the record as the actor may see it, and evidence of the personal data a response showed. The write side
 * (RecordWriter) reads through it too, so a write's answer is shaped exactly like a read's.
 */
export class RecordReader {
  constructor(
    private readonly d: RecordServiceDeps,
    private readonly events: RecordEvents,
  ) {}

  async fields(): Promise<readonly FieldDefinition[]> {
    return (await this.d.registry.fresh()).fields(this.d.def.name);
  }

  /**
   * The registry as it is right now on every instance (writes, filters, search): a field another
   * instance just reclassified is never written or searched with its old classification.
   */
  async currentFields(): Promise<{ fields: readonly FieldDefinition[]; sweeping: boolean; stamp: string | null }> {
    const state = await this.d.registryState.read();
    const reg = await this.d.registry.atStamp(state.stamp);
    return { fields: reg.fields(this.d.def.name), sweeping: state.pending.has(this.d.def.name), stamp: state.stamp };
  }

  /**
   * Out of scope answers exactly like missing (404). When the record does exist, the refusal is a
   * policy decision and leaves evidence (the caller still cannot tell the difference).
   */
  async notFoundByPolicy(actor: Actor, id: string): Promise<AppError> {
    const exists = await this.d.repo.findById(this.d.def, id, { kind: 'all' });
    if (exists) this.events.denied(actor, id);
    return recordNotFound(this.d.def);
  }

  /** Open the record's envelope (null when it has none, or its key was destroyed). */
  open(row: Row): SealedValues | null {
    if (typeof row.sealed !== 'string' || typeof row.sealed_kid !== 'string') return null;
    return this.d.crypto.open(
      this.d.def.table,
      String(row.id),
      row.sealed,
      row.sealed_kid,
      (row.dek_wrapped as string | null) ?? null,
    );
  }

  /**
   * Rows sealed under keys another process created since this one last looked (a rotation run from the CLI; servers
   * refresh every few seconds) are opened only after loading them: until then they would look altered. Costs nothing
   * when every key is known (a cached subject key, or its KEK loaded).
   */
  async ensureKeys(rows: readonly Row[]): Promise<void> {
    if (!this.d.crypto.knowsKeysOf(rows)) await this.d.crypto.refreshKeys();
  }

  /**
   * `open` for showing and matching a record: an envelope that does not open (its bytes or its wrapped key altered
   * in the database) shows no sensitive values and matches no lookup, and is reported (`record.integrity_failure`)
   * — one such record must not fail every page and lookup it appears in. Writes still refuse it (`logical`): a write
   * would replace what cannot be read.
   */
  private openForView(row: Row): SealedValues | null {
    try {
      return this.open(row);
    } catch (err) {
      if (!isUnopenable(err)) throw err;
      this.events.unreadable(String(row.id));
      return null;
    }
  }

  /** The record's logical content: plaintext columns with its sensitive values put back. */
  logical(row: Row): { builtin: Row; custom: Record<string, unknown> } {
    try {
      return mergeSealed(this.d.def, row, this.open(row));
    } catch (err) {
      if (!isUnopenable(err)) throw err;
      this.events.unreadable(String(row.id));
      throw new AppError('SEPAR_ERR_CONFLICT', 'Record cannot be changed', {
        detail:
          'Its sealed personal data does not open (altered in the database); a write would replace it. The failure is recorded in the audit trail.',
      });
    }
  }

  /**
   * The record as the actor may see it, WITHOUT evidence of what it showed: for answers that are not reads (a
   * create echoing what the caller sent). A read answers through `list`, `present` or `get`, which leave it.
   */
  toApi(row: Row, fields: readonly FieldDefinition[], actor: Actor): ApiRecord {
    return shapeRecord(this.d.def, row, fields, actor, (r) => this.openForView(r));
  }

  /** `reach: 'export'`: only records that both the actor's read and its export grant reach. */
  async list(actor: Actor, query: ListQuery, reach: 'read' | 'export' = 'read'): Promise<ListResult> {
    const read = recordScope(actor, this.d.def.name, 'read');
    const scope = reach === 'export' ? narrowerScope(read, recordScope(actor, this.d.def.name, 'export')) : read;
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
    // Needed only to read a cursor or to write the next one (not by a page that is the last, an exact lookup's).
    let fp: string | undefined;
    const fingerprint = (): string => (fp ??= this.d.cursors.fingerprint([this.d.def.name, emptyPlanParts(base)]));
    let after: ListPlan['after'] = null;
    if (query.cursor !== undefined) {
      const c = this.d.cursors.decode(query.cursor, { u: actor.userId, f: fingerprint() });
      after = { value: c.v, id: c.i };
    }
    // Lookups of values the actor sees only masked are rationed (masked-lookups.ts).
    const probing = maskedFilters(actor, this.d.def, fields, query);
    const release = probing.length > 0 ? await this.d.probes?.enter(actor.userId) : undefined;
    try {
      const envelopes = exact.length > 0 || needsEnvelopes(this.d.def, fields, actor);
      const rows = await this.d.repo.list(this.d.def, { ...base, after }, scope, envelopes);
      const page = rows.slice(0, base.limit);
      const last = page[page.length - 1];
      const nextCursor =
        rows.length > base.limit && last
          ? this.d.cursors.encode({
              u: actor.userId,
              f: fingerprint(),
              v: sortValue(last.sort_value),
              i: String(last.id),
            })
          : null;
      await this.ensureKeys(page);
      const items = exact.length === 0 ? page : page.filter((r) => this.matchesExactly(r, exact));
      if (probing.length > 0 && items.length === 0) {
        this.events.lookupMiss(actor, probing);
        await this.d.probes?.missed(actor.userId);
      }
      const out = items.map((r) => this.toApi(r, fields, actor));
      // A record found by the value of a field shows that field to the caller in full, whatever its mask shows.
      this.emitSensitiveRead(actor, out, fields, exact.length > 0 ? exact.map((m) => m.key) : undefined);
      return { items: out, nextCursor };
    } finally {
      release?.();
    }
  }

  /**
   * Rows of this object read by another service (a record's timeline) as the actor may see them: the same field
   * modes, masks, decryption and evidence of sensitive reads as a list of this object.
   */
  async present(actor: Actor, rows: readonly Row[]): Promise<ApiRecord[]> {
    const fields = await this.fields();
    await this.ensureKeys(rows);
    const out = rows.map((r) => this.toApi(r, fields, actor));
    this.emitSensitiveRead(actor, out, fields);
    return out;
  }

  /**
   * Evidence of who saw personal or card data (RecordEvents.sensitiveRead). A method of its own: the audit-read
   * benchmark's unheard variant replaces it to measure reads without it.
   */
  emitSensitiveRead(
    actor: Actor,
    records: readonly ApiRecord[],
    fields: readonly FieldDefinition[],
    confirmed?: readonly string[],
  ): void {
    this.events.sensitiveRead(actor, records, fields, confirmed);
  }

  /**
   * Blind indexes return candidates; keep the ones whose decrypted value really matches. Only the matched fields
   * are read: from the envelope (built-in by key, custom as `custom.<key>`), else from their plain column (a field
   * still being re-stored after a classification change).
   */
  matchesExactly(row: Row, exact: readonly ExactMatch[]): boolean {
    const opened = this.openForView(row);
    let custom: Record<string, unknown> | undefined;
    return exact.every((m) => {
      let value: unknown;
      if (opened && Object.hasOwn(opened, m.key)) value = opened[m.key];
      else if (m.key.startsWith('custom.')) {
        const key = m.key.slice('custom.'.length);
        custom ??= parseJson<Record<string, unknown>>(row.custom, {});
        value = Object.hasOwn(custom, key) ? custom[key] : undefined;
      } else value = row[this.d.def.fields.find((f) => f.key === m.key)?.column ?? ''];
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
    await this.ensureKeys([row]);
    const rec = this.toApi(row, fields, actor);
    this.emitSensitiveRead(actor, [rec], fields);
    return rec;
  }
}

function sortValue(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number(v);
  return JSON.stringify(v);
}
