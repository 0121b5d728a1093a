import { hkdfSync, randomBytes } from 'node:crypto';
import { newId } from '../../platform/ids.js';
import type { Clock } from '../../platform/clock.js';
import type { KeksTable } from '../../db/database.js';
import type { Aead } from './aead.js';
import { decodeEnvelope, openEnvelope, sealEnvelopeText } from './envelope.js';
import { randomKey } from './random-pool.js';
import { KeyringError, type RootKey } from './root-key.js';
import type { KeyStoreRepository } from './key-store.repository.js';

export interface Kek {
  id: string;
  version: number;
  status: string;
  key: Buffer;
}

export interface Epoch {
  epoch: number;
  kekId: string;
  bits: number;
  status: 'active' | 'building' | 'retired';
}

export interface Dek {
  id: string;
  key: Buffer;
}

const DEK_CACHE_MAX = 200_000;

/**
 * L0 root → L1 KEKs (random, versioned, wrapped by the root) → L2 index keys (HKDF of a KEK per
 * epoch, object and field) and L3 subject DEKs (random, one per record subject, wrapped by a KEK).
 */
export class KeyHierarchy {
  private keks = new Map<string, Kek>();
  private epochs: Epoch[] = [];
  private derived = new Map<string, Buffer>();
  private dekCache = new Map<string, Buffer>();

  constructor(
    private readonly root: RootKey,
    private readonly store: KeyStoreRepository,
    private readonly aead: Aead,
    private readonly clock: Clock,
    /** Blind-index bits of a new epoch (SEPAR_BLIND_INDEX_ROWS): the first, and each one a rotation opens. */
    readonly bitsForNewEpoch: number,
  ) {}

  get rootKeyId(): string {
    return this.root.id;
  }

  get rootKind(): string {
    return this.root.kind;
  }

  /** Pick up KEKs and epochs another process created (rotation started elsewhere). */
  async refresh(): Promise<void> {
    for (const r of await this.store.keks()) {
      const known = this.keks.get(r.id);
      if (r.status === 'destroyed') {
        this.keks.delete(r.id);
      } else if (known) {
        known.status = r.status;
      } else {
        if (r.root_key_id !== this.root.id)
          throw new KeyringError(`key ${r.id} was wrapped by another root (${r.root_key_id})`);
        this.keks.set(r.id, {
          id: r.id,
          version: r.version,
          status: r.status,
          key: await this.root.unwrap(Buffer.from(r.wrapped, 'base64'), `kek:${r.id}`),
        });
      }
    }
    await this.reloadEpochs();
  }

  /** Load and unwrap every KEK; on an empty store, create KEK v1 and index epoch 1. */
  async load(): Promise<void> {
    let rows = await this.store.keks();
    if (rows.length === 0) {
      await this.createKek('active');
      rows = await this.store.keks();
    }
    const foreign = rows.find((r) => r.root_key_id !== this.root.id && r.status !== 'destroyed');
    if (foreign) {
      throw new KeyringError(
        `the database's keys were wrapped by root ${foreign.root_key_id}, but the configured root is ${this.root.id} (wrong keyring or HSM key)`,
      );
    }
    this.keks.clear();
    for (const r of rows) {
      if (r.status === 'destroyed') continue;
      this.keks.set(r.id, {
        id: r.id,
        version: r.version,
        status: r.status,
        key: await this.root.unwrap(Buffer.from(r.wrapped, 'base64'), `kek:${r.id}`),
      });
    }
    if ((await this.store.epochs()).length === 0) {
      await this.store.insertEpoch({
        epoch: 1,
        kek_id: this.activeKek().id,
        bits: this.bitsForNewEpoch,
        status: 'active',
        created_at: this.now(),
      });
    }
    await this.reloadEpochs();
  }

  async reloadEpochs(): Promise<void> {
    this.epochs = (await this.store.epochs()).map((e) => ({
      epoch: e.epoch,
      kekId: e.kek_id,
      bits: e.bits,
      status: e.status as Epoch['status'],
    }));
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  async createKek(status: 'active' | 'pending'): Promise<Kek> {
    const { row, kek } = await this.mintKek(status);
    await this.store.insertKek(row);
    this.keks.set(kek.id, kek);
    return kek;
  }

  /** A new KEK wrapped by the root, not yet stored (a rotation stores it with the rest of its start, atomically). */
  async mintKek(status: 'active' | 'pending'): Promise<{ row: KeksTable; kek: Kek }> {
    const existing = await this.store.keks();
    const version = existing.reduce((m, r) => Math.max(m, r.version), 0) + 1;
    const id = `kek-v${version}-${newId().slice(0, 8)}`;
    const key = randomBytes(32);
    const row: KeksTable = {
      id,
      version,
      root_key_id: this.root.id,
      wrapped: (await this.root.wrap(key, `kek:${id}`)).toString('base64'),
      status,
      created_at: this.now(),
      retired_at: null,
    };
    return { row, kek: { id, version, status, key } };
  }

  activeKek(): Kek {
    let best: Kek | undefined;
    for (const k of this.keks.values()) if (k.status === 'active' && (!best || k.version > best.version)) best = k;
    if (!best) throw new KeyringError('no active key-encryption key');
    return best;
  }

  kek(id: string): Kek {
    const k = this.keks.get(id);
    if (!k) throw new KeyringError(`unknown key-encryption key ${id}`);
    return k;
  }

  allKeks(): Kek[] {
    return [...this.keks.values()].sort((a, b) => a.version - b.version);
  }

  /** Epochs whose blind indexes are written (active and, during rotation, building). */
  writableEpochs(): Epoch[] {
    return this.epochs.filter((e) => e.status === 'active' || e.status === 'building');
  }

  /** The epoch lookups read: the newest complete one. */
  activeEpoch(): Epoch {
    const active = this.epochs.filter((e) => e.status === 'active').sort((a, b) => b.epoch - a.epoch)[0];
    if (!active) throw new KeyringError('no active blind-index epoch');
    return active;
  }

  allEpochs(): Epoch[] {
    return [...this.epochs];
  }

  /** L2: HKDF-SHA256(KEK, info = separ/v1/bidx/{object}/{field}/{epoch}). Derived once per process. */
  indexKey(object: string, field: string, epoch: Epoch): Buffer {
    const info = `separ/v1/bidx/${object}/${field}/${epoch.epoch}`;
    let k = this.derived.get(info);
    if (!k) {
      k = Buffer.from(hkdfSync('sha256', this.kek(epoch.kekId).key, Buffer.alloc(0), info, 32));
      this.derived.set(info, k);
    }
    return k;
  }

  /** L2 secret-sealing key: HKDF-SHA256(KEK, separ/v1/secret/{purpose}). */
  secretKey(kekId: string, purpose: string): Buffer {
    const info = `separ/v1/secret/${purpose}`;
    const cacheKey = `${kekId}|${info}`;
    let k = this.derived.get(cacheKey);
    if (!k) {
      k = Buffer.from(hkdfSync('sha256', this.kek(kekId).key, Buffer.alloc(0), info, 32));
      this.derived.set(cacheKey, k);
    }
    return k;
  }

  private wrapDek(dekId: string, kek: Kek, key: Buffer, subjectType: string, subjectId: string): string {
    return sealEnvelopeText(this.aead, kek.key, kek.id, key, ['dek', dekId, subjectType, subjectId]);
  }

  /**
   * Can this process unwrap the DEK without learning of new keys first: it is cached, destroyed, or wrapped by a KEK
   * loaded here. False for a KEK another process created since the last refresh (a rotation run from the CLI).
   * A wrapped key too malformed to name its KEK counts as known: opening it reports it.
   */
  knowsWrapOf(dekId: string, wrapped: string | null): boolean {
    if (wrapped === null || this.dekCache.has(dekId)) return true;
    try {
      return this.keks.has(decodeEnvelope(Buffer.from(wrapped, 'base64')).kid);
    } catch {
      return true;
    }
  }

  /** Unwrap a DEK read from the store (cached by id). Null when it was destroyed (crypto-shredded). */
  unwrapDek(dekId: string, wrapped: string | null, subjectType: string, subjectId: string): Buffer | null {
    if (wrapped === null) {
      this.dekCache.delete(dekId);
      return null;
    }
    const cached = this.dekCache.get(dekId);
    if (cached) return cached;
    const env = decodeEnvelope(Buffer.from(wrapped, 'base64'));
    const key = openEnvelope(env, this.kek(env.kid).key, ['dek', dekId, subjectType, subjectId]);
    if (this.dekCache.size >= DEK_CACHE_MAX) {
      const oldest = this.dekCache.keys().next().value;
      if (oldest !== undefined) this.dekCache.delete(oldest);
    }
    this.dekCache.set(dekId, key);
    return key;
  }

  /** The subject's current DEK, created (and wrapped by the active KEK) when it has none. */
  async dekFor(subjectType: string, subjectId: string): Promise<Dek> {
    const row = await this.store.activeDek(subjectType, subjectId);
    if (row) {
      const key = this.unwrapDek(row.dek_id, row.wrapped, subjectType, subjectId);
      if (key) return { id: row.dek_id, key };
    }
    return this.newDek(subjectType, subjectId);
  }

  async newDek(subjectType: string, subjectId: string): Promise<Dek> {
    const kek = this.activeKek();
    const id = newId();
    const key = randomKey(32);
    await this.store.insertDek({
      dek_id: id,
      subject_type: subjectType,
      subject_id: subjectId,
      kek_id: kek.id,
      wrapped: this.wrapDek(id, kek, key, subjectType, subjectId),
      created_at: this.now(),
      destroyed_at: null,
    });
    this.dekCache.set(id, key);
    return { id, key };
  }

  /** Make a DEK row for a subject without touching the store (bulk writers insert the rows themselves). */
  mintDek(
    subjectType: string,
    subjectId: string,
  ): { dek: Dek; row: { dek_id: string; kek_id: string; wrapped: string } } {
    const kek = this.activeKek();
    const id = newId();
    const key = randomKey(32);
    return {
      dek: { id, key },
      row: { dek_id: id, kek_id: kek.id, wrapped: this.wrapDek(id, kek, key, subjectType, subjectId) },
    };
  }

  /** Re-wrap a DEK under another KEK (rotation). */
  rewrap(dekId: string, wrapped: string, subjectType: string, subjectId: string, to: Kek): string {
    const key = this.unwrapDek(dekId, wrapped, subjectType, subjectId);
    if (!key) throw new KeyringError(`DEK ${dekId} was destroyed`);
    return this.wrapDek(dekId, to, key, subjectType, subjectId);
  }

  /** Crypto-shred every DEK of a subject: its ciphertext becomes unreadable everywhere. */
  async destroySubject(subjectType: string, subjectId: string): Promise<number> {
    const ids = await this.store.destroySubjectKeys(subjectType, subjectId, this.now());
    for (const id of ids) this.dekCache.delete(id);
    return ids.length;
  }

  forgetCachedDeks(): void {
    this.dekCache.clear();
  }

  async close(): Promise<void> {
    for (const k of this.keks.values()) k.key.fill(0);
    this.dekCache.clear();
    await this.root.close();
  }
}
