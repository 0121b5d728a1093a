import type { Logger } from '../../platform/logger.js';
import type { FieldRegistry, CrmObjectName } from '../../security/classification/index.js';
import { isUnopenable, type CryptoService, type Resealer } from '../../security/crypto/index.js';
import type { ObjectDefinition } from './object-definition.js';
import type { RegistryStateRepository } from '../fields/registry-state.repository.js';
import type { LinkChanges, RecordRepository, Row } from './record.repository.js';
import { searchText } from './record-mapper.js';
import { mergeSealed, planStorage } from './record-storage.js';

const BATCH = 500;

interface RegistryView {
  stamp: string | null;
  fields: ReturnType<FieldRegistry['fields']>;
}

export interface SweepOptions {
  /** Start after this seq (resume). */
  afterSeq?: number;
  /** Only rows changed since (the catch-up pass of a rotation). */
  updatedSince?: string;
  /** Give every record a new DEK under the active KEK and re-seal it (key rotation). */
  rotateDeks?: boolean;
  /** Called after each batch with the last seq done (persist progress). */
  onBatch?: (lastSeq: number, done: number) => Promise<void>;
  /** Test hook: called before each row (a throw simulates a crash mid-sweep). */
  beforeRow?: (seq: number) => void | Promise<void>;
}

/**
 * Re-stores records so their storage matches the field registry and the current keys: after a
 * classification change a value moves into (or out of) the sealed envelope, its blind index and the
 * plaintext search document follow; during rotation every record gets a new DEK and the new
 * blind-index epoch. Idempotent and resumable: each row is rewritten from its own current content
 * (guarded by its version), and progress is a seq.
 */
export class StorageSweeper implements Resealer {
  readonly objects: readonly CrmObjectName[] = ['companies', 'contacts', 'deals', 'activities'];

  private running = new Map<CrmObjectName, Promise<void>>();
  private rerun = new Set<CrmObjectName>();
  private background = new Set<Promise<void>>();

  constructor(
    private readonly repo: RecordRepository,
    private readonly registry: FieldRegistry,
    private readonly crypto: CryptoService,
    private readonly defs: Record<CrmObjectName, ObjectDefinition>,
    private readonly logger: Logger,
    private readonly state: RegistryStateRepository,
  ) {}

  /** Queue a background sweep of one object (classification changed). */
  request(object: CrmObjectName): void {
    if (this.running.has(object)) {
      this.rerun.add(object);
      return;
    }
    const run = this.state
      .pendingToken(object)
      .then(async (token) => {
        const started = new Date(Date.now() - 1000).toISOString();
        await this.sweep(object);
        // rows another instance wrote while this sweep ran (with the registry it had then) are caught up
        await this.sweep(object, { updatedSince: started });
        if (token) await this.state.clearPending(object, token);
        // A field taken out of the search index leaves no terms behind in it. After the pending mark is cleared:
        // searches need not wait for it, and a failure here (logged below) does not hold them at 503.
        await this.repo.compactSearchIndex(this.defs[object]);
      })
      .catch((err: unknown) => this.logger.error({ err, object }, 'storage sweep failed'))
      .finally(() => {
        this.running.delete(object);
        if (this.rerun.delete(object)) this.request(object);
      });
    this.running.set(object, run);
  }

  /** Resolves when no background sweep is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0 || this.background.size > 0)
      await Promise.all([...this.running.values(), ...this.background]);
  }

  /** Another background job made of sweeps (it must not throw): `idle` waits for it too. */
  track(job: Promise<void>): void {
    this.background.add(job);
    void job.finally(() => this.background.delete(job));
  }

  async sweep(object: string, opts: SweepOptions = {}): Promise<number> {
    const def = this.defs[object as CrmObjectName];
    if (!def) throw new Error(`unknown object ${object}`);
    let after = opts.afterSeq ?? 0;
    let count = 0;
    for (;;) {
      const rows = await this.repo.searchBatch(def, after, BATCH, opts.updatedSince);
      if (rows.length === 0) break;
      // The registry as it is now, batch by batch: a classification changed (on any instance) during a long sweep
      // is followed from the next batch on, and a row written by an older one is refused and stored again by this.
      let view = await this.registryNow(def);
      for (const row of rows) {
        await opts.beforeRow?.(Number(row.seq));
        while (!(await this.restoreRow(def, row, view, opts.rotateDeks === true))) view = await this.registryNow(def);
      }
      count += rows.length;
      after = Number(rows[rows.length - 1]?.seq ?? after);
      await opts.onBatch?.(after, count);
    }
    return count;
  }

  /** The field registry's stamp right now and the object's fields as of it. */
  private async registryNow(def: ObjectDefinition): Promise<RegistryView> {
    const state = await this.state.read();
    const reg = await this.registry.atStamp(state.stamp);
    return { stamp: state.stamp, fields: reg.fields(def.name) };
  }

  /** False when the registry changed since `view` was taken: the row is to be stored by the new one. */
  private async restoreRow(def: ObjectDefinition, first: Row, view: RegistryView, rotate: boolean): Promise<boolean> {
    const { fields } = view;
    let row: Row | undefined = first;
    for (let attempt = 0; attempt < 5 && row; attempt++) {
      const id = String(row.id);
      const oldKid = typeof row.sealed_kid === 'string' ? row.sealed_kid : null;
      const wrapped = (row.dek_wrapped as string | null) ?? null;
      // Keys another process created (a rotation run from the CLI) are loaded before opening: not altered, just new.
      if (!this.crypto.knowsKeysOf([row])) await this.crypto.refreshKeys();
      let opened: ReturnType<CryptoService['open']> = null;
      try {
        opened =
          oldKid && typeof row.sealed === 'string'
            ? this.crypto.open(def.table, id, row.sealed, oldKid, wrapped)
            : null;
      } catch (err) {
        if (!isUnopenable(err)) throw err;
        // Altered in the database: re-storing it would drop what cannot be read, and stopping here would hold every
        // other record back (a rotation could never finish). It stays as it is, under its kept key, and is reported.
        this.logger.error({ object: def.name, id }, 'record envelope does not open; left as it is');
        return true;
      }
      const logical = mergeSealed(def, row, opened);
      const plan = planStorage(def, fields, logical.builtin, logical.custom, this.crypto);
      const links: LinkChanges = { indexes: plan.indexes };
      let sealed: string | null = null;
      let sealedKid: string | null = null;
      if (Object.keys(plan.sensitive).length > 0) {
        let dek = !rotate && oldKid ? this.crypto.dekFromRow(def.table, id, oldKid, wrapped) : null;
        if (!dek) {
          const minted = this.crypto.mintDek(def.table, id);
          dek = minted.dek;
          links.dek = { ...minted.row, subject_type: def.table, subject_id: id, created_at: new Date().toISOString() };
        }
        sealed = this.crypto.seal(def.table, id, dek, plan.sensitive);
        sealedKid = dek.id;
      }
      const tags = JSON.parse(String(row.tags)) as string[];
      const changes: Row = {
        ...plan.columns,
        custom: JSON.stringify(plan.plainCustom),
        sealed,
        sealed_kid: sealedKid,
        masks: plan.masks,
        search_text: searchText(def, plan.columns, plan.plainCustom, tags, fields),
      };
      // The old key is kept, not destroyed: audit details about the record stay sealed under it (sealForSubject),
      // and the rotation's finish re-wraps it under the new KEK. Only erasure destroys a subject's keys — all of them.
      const done = await this.repo.update(def, id, Number(row.version), { kind: 'all' }, changes, links, {
        bumpVersion: false,
        includeDeleted: true,
        ...(opened && oldKid ? { openedWith: oldKid } : {}),
        registryStamp: view.stamp,
      });
      if (done !== null) return true;
      if ((await this.state.read()).stamp !== view.stamp) return false;
      row = await this.repo.findById(def, id, { kind: 'all' }, true);
    }
    if (row) throw new Error(`record ${String(row.id)} kept changing during the storage sweep`);
    return true;
  }
}
