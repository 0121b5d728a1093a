import { AppError, validationError } from '../../platform/app-error.js';
import { newId } from '../../platform/ids.js';
import { recordScope, requireCanAssignOwner, type Actor } from '../../security/access/index.js';
import type { FieldDefinition } from '../../security/classification/index.js';
import type { MintedDek } from '../../security/crypto/index.js';
import type { Row } from './record.repository.js';
import { checkCustom } from './field-values.js';
import { planStorage } from './record-storage.js';
import { normalizeTags, searchText, type ApiRecord } from './record-mapper.js';
import type { RecordEvents } from './record-events.js';
import { RecordWriteChecks } from './record-write-checks.js';
import { recordNotFound, staleWrite, storageChanged, translateDbError } from './record-errors.js';
import { requireWritable } from './record-access.js';
import type { RecordReader } from './record-reader.js';
import type { Precondition, RecordServiceDeps } from './record.service.js';

/**
 * The write side of a record service: access first, then validation from the registry as it is on every instance,
 * storage planned from classification (sealed values, blind indexes, masks), optimistic concurrency, and the
 * events the audit trail records. Answers through the read side, as the writer would read the record.
 */
export class RecordWriter {
  private readonly checks: RecordWriteChecks;

  constructor(
    private readonly d: RecordServiceDeps,
    private readonly reader: RecordReader,
    private readonly events: RecordEvents,
  ) {
    this.checks = new RecordWriteChecks(
      d,
      (row, exact) => reader.matchesExactly(row, exact),
      (rows) => reader.ensureKeys(rows),
    );
  }

  async create(actor: Actor, body: Record<string, unknown>): Promise<ApiRecord> {
    const scope = recordScope(actor, this.d.def.name, 'create');
    const { fields, stamp } = await this.reader.currentFields();
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
    await this.refuseDuplicates(actor, null, columns, fields);
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
    let stored: boolean;
    try {
      stored = await this.d.repo.insert(this.d.def, row, links, { registryStamp: stamp });
    } catch (err) {
      throw translateDbError(err);
    }
    if (!stored) throw storageChanged();
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
    if (!created) throw recordNotFound(this.d.def);
    void scope;
    return this.reader.toApi(created, fields, actor);
  }

  /**
   * The duplicate check of a write with a unique value answers whether it is already some record's, whoever owns
   * it: such writes are rationed and their refusals counted and recorded like lookups that found nothing
   * (masked-lookups.ts).
   */
  private async refuseDuplicates(
    actor: Actor,
    id: string | null,
    columns: Row,
    fields: readonly FieldDefinition[],
  ): Promise<void> {
    const unique = this.d.def.fields.filter((f) => f.unique && typeof columns[f.column] === 'string');
    if (unique.length === 0) return;
    const release = await this.d.probes?.enter(actor.userId);
    try {
      await this.checks.assertUnique(columns, id, fields);
    } catch (err) {
      if (err instanceof AppError && err.code === 'SEPAR_ERR_DUPLICATE') {
        this.events.duplicateRefused(
          actor,
          id ?? undefined,
          unique.map((f) => f.key),
        );
        await this.d.probes?.missed(actor.userId);
      }
      throw err;
    } finally {
      release?.();
    }
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
    if (!existing) throw await this.reader.notFoundByPolicy(actor, id);
    // A stale version is refused before anything else is checked: a stale write must not learn whether its values
    // would have been accepted (a duplicate email, say) — the update itself guards the version again.
    if (Number(existing.version) !== expected) throw staleWrite(pre.ifMatch !== undefined, Number(existing.version));
    const { fields, stamp } = await this.reader.currentFields();
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
    await this.reader.ensureKeys([existing]);
    const current = this.reader.logical(existing);
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
    await this.refuseDuplicates(actor, id, columns, fields);
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
      // Values opened with the record's key are written only while that key lives (a shred meanwhile: 409/412).
      const openedWith =
        typeof existing.sealed_kid === 'string' && typeof existing.dek_wrapped === 'string'
          ? existing.sealed_kid
          : undefined;
      version = await this.d.repo.update(this.d.def, id, expected, scope, changes, links, {
        ...(openedWith ? { openedWith } : {}),
        registryStamp: stamp,
      });
    } catch (err) {
      throw translateDbError(err);
    }
    if (version === null) {
      const now = await this.d.repo.findById(this.d.def, id, scope);
      if (!now) throw recordNotFound(this.d.def);
      // Same version: what stopped the write was the field registry changing, or the record's key being shredded.
      if (Number(now.version) === expected) throw storageChanged();
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
    return this.reader.get(actor, id);
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
      if (!row) throw recordNotFound(this.d.def);
      throw staleWrite(pre.ifMatch !== undefined, Number(row.version));
    }
    this.events.emit(actor, 'record.deleted', id, []);
  }

  async restore(actor: Actor, id: string): Promise<ApiRecord> {
    const scope = recordScope(actor, this.d.def.name, 'update');
    const now = this.d.clock.now().toISOString();
    const ok = await this.d.repo.setDeleted(this.d.def, id, scope, null, now, actor.userId, null);
    if (!ok) throw recordNotFound(this.d.def);
    this.events.emit(actor, 'record.restored', id, []);
    return this.reader.get(actor, id);
  }
}

function pruneNulls(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
}
