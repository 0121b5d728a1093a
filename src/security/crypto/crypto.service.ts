import type { Db } from '../../db/index.js';
import type { SeparConfig } from '../../config/config.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import { aeadByName, type Aead } from './aead.js';
import { bitsForRows, blindIndex, type BlindHash } from './blind-index.js';
import { KeyHierarchy, type Dek } from './key-hierarchy.js';
import { KeyStoreRepository } from './key-store.repository.js';
import { openValues, sealValues, type SealedValues } from './record-cipher.js';
import { decodeEnvelope, openEnvelope, sealEnvelope, sealEnvelopeText } from './envelope.js';
import { openRoot } from './root-loader.js';
import { KeyringError, type RootKey } from './root-key.js';

export interface IndexEntry {
  epoch: number;
  value: number;
}

/** A DEK minted for a new subject: its row is written in the same transaction as the record. */
export interface MintedDek {
  dek: Dek;
  row: { dek_id: string; kek_id: string; wrapped: string };
}

/**
 * The only door to data encryption. Records call it to seal and open their sensitive values,
 * to mint subject keys, and to compute blind indexes; nothing else imports crypto libraries for data.
 */
export class CryptoService {
  readonly store: KeyStoreRepository;

  constructor(
    readonly hierarchy: KeyHierarchy,
    store: KeyStoreRepository,
    readonly aead: Aead,
    readonly blindHash: BlindHash,
  ) {
    this.store = store;
  }

  seal(table: string, recordId: string, dek: Dek, values: SealedValues): string {
    return sealValues(this.aead, dek, table, recordId, values);
  }

  /** Null when the subject's key was destroyed (crypto-shredded). */
  open(table: string, recordId: string, sealed: string, dekId: string, wrapped: string | null): SealedValues | null {
    const key = this.hierarchy.unwrapDek(dekId, wrapped, table, recordId);
    return key ? openValues(key, table, recordId, sealed) : null;
  }

  mintDek(table: string, recordId: string): MintedDek {
    return this.hierarchy.mintDek(table, recordId);
  }

  dekFromRow(table: string, recordId: string, dekId: string, wrapped: string | null): Dek | null {
    const key = this.hierarchy.unwrapDek(dekId, wrapped, table, recordId);
    return key ? { id: dekId, key } : null;
  }

  /** Blind-index entries to store for a normalised value (every epoch being written). */
  indexEntries(object: string, field: string, normalized: string): IndexEntry[] {
    return this.hierarchy.writableEpochs().map((e) => ({
      epoch: e.epoch,
      value: blindIndex(this.blindHash, this.hierarchy.indexKey(object, field, e), normalized, e.bits),
    }));
  }

  /** The entry a lookup reads (the newest complete epoch). */
  lookupEntry(object: string, field: string, normalized: string): IndexEntry {
    const e = this.hierarchy.activeEpoch();
    return {
      epoch: e.epoch,
      value: blindIndex(this.blindHash, this.hierarchy.indexKey(object, field, e), normalized, e.bits),
    };
  }

  /**
   * Seal a small secret that is not a record field (TOTP seeds, signing keys, webhook secrets) under
   * a key derived from the active KEK for `purpose`; the envelope names the KEK, so it still opens
   * after a rotation. `context` binds it to its owner (e.g. a user id).
   */
  sealSecret(purpose: string, context: string, plaintext: Buffer): string {
    const kek = this.hierarchy.activeKek();
    return sealEnvelope(this.aead, this.hierarchy.secretKey(kek.id, purpose), kek.id, plaintext, [
      'secret',
      purpose,
      context,
    ]).toString('base64');
  }

  /**
   * Is this secret (sealSecret's output) sealed under another KEK than the active one? A rotation's finish re-seals
   * such secrets (SecretResealer), so that nothing depends on the retired KEK any more. One that cannot even be
   * decoded counts as stale (the resealer then counts it unreadable).
   */
  secretIsStale(sealed: string): boolean {
    let kid: string;
    try {
      kid = decodeEnvelope(Buffer.from(sealed, 'base64')).kid;
    } catch {
      return true; // cannot even be decoded: under no key in use
    }
    return kid !== this.hierarchy.activeKek().id;
  }

  /**
   * Could these rows' envelopes be opened with the keys this process has loaded? False when one's subject key is
   * wrapped by a KEK created elsewhere since the last refresh: call `refreshKeys` first, or it would look altered.
   */
  knowsKeysOf(rows: readonly { sealed_kid?: unknown; dek_wrapped?: unknown }[]): boolean {
    for (const r of rows) {
      if (typeof r.sealed_kid !== 'string' || typeof r.dek_wrapped !== 'string') continue;
      if (!this.hierarchy.knowsWrapOf(r.sealed_kid, r.dek_wrapped)) return false;
    }
    return true;
  }

  /** Load the keys other processes created (a rotation's new KEK and epoch). */
  refreshKeys(): Promise<void> {
    return this.hierarchy.refresh();
  }

  /** Throws DecryptError when the envelope was not sealed for this purpose and context. */
  openSecret(purpose: string, context: string, sealed: string): Buffer {
    const env = decodeEnvelope(Buffer.from(sealed, 'base64'));
    return openEnvelope(env, this.hierarchy.secretKey(env.kid, purpose), ['secret', purpose, context]);
  }

  /** Seal data about a subject (e.g. audit details) under that subject's DEK: shredding the subject erases it too. */
  async sealForSubject(
    subjectType: string,
    subjectId: string,
    context: readonly string[],
    plaintext: Buffer,
  ): Promise<string> {
    const dek = await this.hierarchy.dekFor(subjectType, subjectId);
    return sealEnvelopeText(this.aead, dek.key, dek.id, plaintext, [subjectType, subjectId, ...context]);
  }

  /** `sealForSubject` with the subject's key already at hand (the one its record was just created with). */
  sealUnderKey(
    subjectType: string,
    subjectId: string,
    dek: Dek,
    context: readonly string[],
    plaintext: Buffer,
  ): string {
    return sealEnvelopeText(this.aead, dek.key, dek.id, plaintext, [subjectType, subjectId, ...context]);
  }

  /** Null when the subject's key was destroyed. */
  async openForSubject(
    subjectType: string,
    subjectId: string,
    context: readonly string[],
    sealed: string,
  ): Promise<Buffer | null> {
    const env = decodeEnvelope(Buffer.from(sealed, 'base64'));
    const row = await this.store.dek(env.kid);
    if (!row || row.subject_type !== subjectType || row.subject_id !== subjectId) return null;
    const key = this.hierarchy.unwrapDek(env.kid, row.wrapped, subjectType, subjectId);
    return key ? openEnvelope(env, key, [subjectType, subjectId, ...context]) : null;
  }

  /** Crypto-shredding of one subject. */
  destroySubject(table: string, recordId: string): Promise<number> {
    return this.hierarchy.destroySubject(table, recordId);
  }

  close(): Promise<void> {
    return this.hierarchy.close();
  }
}

/**
 * Open the root key before anything else touches the database: a wrong passphrase, a missing
 * keyring or an absent HSM stops start-up here, having written nothing.
 */
export async function openCryptoRoot(deps: { config: SeparConfig; db: Db; logger: Logger }): Promise<RootKey> {
  const store = new KeyStoreRepository(deps.db);
  const hasKeys = await store.hasKeks();
  const root = await openRoot(deps.config, deps.logger, hasKeys);
  if (hasKeys) {
    // Prove the root is the right one before migrations or anything else write.
    const first = (await store.keks()).find((k) => k.status !== 'destroyed');
    if (first && first.root_key_id !== root.id) {
      await root.close();
      throw new KeyringError(
        `the database's keys were wrapped by root ${first.root_key_id}, not by the configured root ${root.id}`,
      );
    }
    if (first)
      await root.unwrap(Buffer.from(first.wrapped, 'base64'), `kek:${first.id}`).catch(async (err: unknown) => {
        await root.close();
        throw err;
      });
  }
  return root;
}

export async function createCrypto(deps: {
  config: SeparConfig;
  db: Db;
  clock: Clock;
  logger: Logger;
  root: RootKey;
}): Promise<CryptoService> {
  const store = new KeyStoreRepository(deps.db);
  const root = deps.root;
  const aead = aeadByName(deps.config.cipher);
  const hierarchy = new KeyHierarchy(root, store, aead, deps.clock, bitsForRows(deps.config.blindIndexRows));
  try {
    await hierarchy.load();
  } catch (err) {
    await root.close();
    throw err;
  }
  return new CryptoService(hierarchy, store, aead, deps.config.cipher === 'aes-256-gcm' ? 'hmac-sha256' : 'blake2b');
}
