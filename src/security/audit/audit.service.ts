import { hostname } from 'node:os';
import type { AuditConfig } from '../../config/config.js';
import type { Clock } from '../../platform/clock.js';
import type { EventBus, SeparEvent } from '../../platform/events.js';
import { newId } from '../../platform/ids.js';
import type { Logger } from '../../platform/logger.js';
import type { CryptoService } from '../crypto/index.js';
import type { Actor } from '../access/actor.js';
import { AppendThread } from './append-thread.js';
import { AuditLog } from './audit-log.js';
import { AuditWriter } from './audit-writer.js';
import type { AuditRepository } from './audit.repository.js';
import { prepare, type AuditEntry, type AuditInput, type LogItem, type PreparedEntry } from './canonical.js';
import type { SensitiveChange, SensitiveChangeChannel, SubjectKey } from './change-channel.js';
import { inputFromEvent, plainReadInput } from './event-mapper.js';
import { loadSigningKey, open as openSigningKey } from './signing-key.js';
import type { AuditKeysTable } from '../../db/index.js';
import { signBytes, type SignerKey } from './checkpoint.js';

export interface AuditServiceDeps {
  repo: AuditRepository;
  crypto: CryptoService;
  clock: Clock;
  bus: EventBus;
  logger: Logger;
  channel: SensitiveChangeChannel;
  config: AuditConfig;
  /** Host part of the log's origin line (from SEPAR_PUBLIC_URL), used when the key is first created. */
  originHost: string;
  /** SQLite: run the append transaction on a thread of its own (servers; ADR 0012). */
  appendThread?: boolean;
}

/** Context for entries the audit trail writes about itself and its callers. */
export const actorInput = (actor: Actor): Pick<AuditInput, 'actor' | 'ip' | 'userAgent' | 'requestId'> => ({
  actor: { type: actor.kind, id: actor.kind === 'system' ? null : actor.userId },
  ip: actor.ip,
  userAgent: actor.userAgent,
  requestId: actor.requestId,
});

/**
 * Events whose entry is cleaned up and put in canonical form on the audit append thread rather than on the event
 * loop (ADR 0012): the hot ones, whose detail their emitter builds from record ids and field names only — plain
 * data that crosses threads unchanged, and no free text whose card numbers must be masked before it moves. Each
 * is checked for exactly that shape and copied (`plainReadInput`); anything else is prepared on the event loop.
 */
const PREPARED_ON_THREAD = new Set(['record.sensitive_read']);

/** Seal context: binds a sealed audit value to its purpose (and, through the DEK, to its subject). */
export const SEALED_CONTEXT = ['audit'] as const;

/**
 * The audit trail's writing side: subscribes to the event bus, seals sensitive before/after values under
 * the record's key, and appends through group commit; starts and stops with the process (both recorded),
 * signs checkpoints at least every second / 1,000 entries and writes an hourly heartbeat so a silent gap in
 * logging shows. `tick()` does the timed work and is what tests call after moving the clock.
 */
export class AuditService {
  private logImpl: AuditLog | null = null;
  private writerImpl: AuditWriter | null = null;
  private signerKey: SignerKey | null = null;
  private vkeyText = '';
  private unsubscribe: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastHeartbeatMs = 0;
  /** Appends run on the audit append thread (SQLite servers). */
  private threaded = false;
  private ticking: Promise<void> | null = null;
  readonly instance = newId();
  /** Listeners for committed batches (the SIEM forwarder). */
  private readonly commitListeners = new Set<(last: AuditEntry) => void>();

  constructor(private readonly d: AuditServiceDeps) {}

  get log(): AuditLog {
    if (!this.logImpl) throw new Error('audit trail not started');
    return this.logImpl;
  }

  private get writer(): AuditWriter {
    if (!this.writerImpl) throw new Error('audit trail not started');
    return this.writerImpl;
  }

  get verifierKey(): string {
    return this.vkeyText;
  }

  /**
   * Is this key row one of this installation's? Its private half must open with the key hierarchy (and match its
   * public half): a row anyone inserted with a key of their own does not, so checkpoints it signed prove nothing.
   */
  isOwnKey(row: AuditKeysTable): boolean {
    try {
      openSigningKey(row, this.d.crypto);
      return true;
    } catch {
      return false;
    }
  }

  /** The log key's Ed25519 signature (base64) over `statement`, with the key's id (hex). */
  signStatement(statement: Buffer): { signature: string; keyId: string } {
    if (!this.signerKey) throw new Error('the audit trail is not started');
    return {
      signature: signBytes(this.signerKey, statement).toString('base64'),
      keyId: this.signerKey.keyId.toString('hex'),
    };
  }

  get origin(): string {
    return this.signerKey?.name ?? '';
  }

  get config(): AuditConfig {
    return this.d.config;
  }

  get repo(): AuditRepository {
    return this.d.repo;
  }

  onCommit(listener: (last: AuditEntry) => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /** Load (or create) the signing key, subscribe to the bus and record `audit.start`. */
  async start(processKind: string): Promise<void> {
    const now = this.d.clock.now();
    const { signer, vkey } = await loadSigningKey(this.d.repo, this.d.crypto, this.d.originHost, now.toISOString());
    this.signerKey = signer;
    this.vkeyText = vkey;
    const opts = { checkpointMs: this.d.config.checkpointMs, checkpointEntries: this.d.config.checkpointEntries };
    const thread =
      this.d.appendThread && this.d.repo.dialect === 'sqlite'
        ? new AppendThread({ ...this.d.repo.sqliteAppendTarget, signer: AppendThread.signerInit(signer), opts })
        : null;
    this.threaded = thread !== null;
    this.logImpl = new AuditLog(this.d.repo, signer, this.d.clock, opts, thread);
    this.writerImpl = new AuditWriter(this.logImpl, this.d.logger, {
      batchMs: this.d.config.batchMs,
      batchMax: this.d.config.batchMax,
    });
    this.writerImpl.onCommit = (last) => {
      for (const l of this.commitListeners) l(last);
    };
    this.unsubscribe = this.d.bus.subscribe((e) => this.onEvent(e));
    this.lastHeartbeatMs = now.getTime();
    await this.durable({
      ...this.system(),
      action: 'audit.start',
      detail: {
        instance: this.instance,
        process: processKind,
        pid: process.pid,
        host: hostname(),
        origin: signer.name,
        keyId: signer.keyId.toString('hex'),
        retentionMonths: await this.retentionMonths(),
        checkpointMs: this.d.config.checkpointMs,
        checkpointEntries: this.d.config.checkpointEntries,
        heartbeatSeconds: this.d.config.heartbeatSeconds,
      },
    });
    await this.logImpl.append([], true);
    this.timer = setInterval(
      () => {
        if (this.ticking) return; // the timer never queues behind a tick still running
        void this.tick().catch((err: unknown) => this.d.logger.error({ err }, 'audit tick failed'));
      },
      Math.min(1000, this.d.config.checkpointMs),
    );
    this.timer.unref();
  }

  /** Record `audit.stop`, flush everything and sign a final checkpoint. */
  async stop(reason = 'shutdown'): Promise<void> {
    if (!this.writerImpl || !this.logImpl) return;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.ticking) await this.ticking.catch(() => undefined);
    this.unsubscribe?.();
    this.unsubscribe = null;
    try {
      await this.durable({ ...this.system(), action: 'audit.stop', detail: { instance: this.instance, reason } });
      await this.logImpl.append([], true);
    } catch (err) {
      this.d.logger.error({ err }, 'could not record audit.stop');
    }
    const flushed = await this.writerImpl.flush();
    if (!flushed)
      this.d.logger.error({ lost: this.writerImpl.pending }, 'audit entries could not be written at shutdown');
    this.writerImpl.stop();
    this.writerImpl = null;
    await this.logImpl.close();
    this.d.repo.close();
  }

  get running(): boolean {
    return this.writerImpl !== null;
  }

  /** Queue an entry (group commit); the promise settles when it is on disk. */
  record(input: AuditInput | Promise<PreparedEntry>): Promise<AuditEntry> {
    const prepared = input instanceof Promise ? input : prepare(input);
    return this.writer.enqueue(prepared, false);
  }

  /** Append now and wait for the commit: for what must be on disk before the caller goes on. Throws on failure. */
  durable(input: AuditInput): Promise<AuditEntry> {
    return this.writer.enqueue(prepare(input), true);
  }

  /** Everything queued is on disk (tests, shutdown, before reading the log). */
  async flush(): Promise<void> {
    await this.writerImpl?.flush();
  }

  /**
   * Everything queued is written and signed, and this process's SQLite append connection is closed until the next
   * append opens it again: a bulk load can then have the database file to itself (the seed leaves WAL mode only when
   * no other connection has the file open). On an append thread (servers) the thread keeps its connection.
   */
  async settle(): Promise<void> {
    await this.flush();
    if (this.ticking) await this.ticking.catch(() => undefined);
    await this.logImpl?.append([], true);
    this.d.repo.close();
  }

  private onEvent(e: SeparEvent): void {
    if (!this.writerImpl) return;
    const input = inputFromEvent(e);
    const sensitive = this.d.channel.take(e);
    let item: LogItem | Promise<LogItem>;
    if (sensitive && e.target) item = this.sealed(input, e.target, sensitive.changes, sensitive.key);
    else {
      const plain = this.threaded && PREPARED_ON_THREAD.has(e.type) ? plainReadInput(input) : null;
      item = plain ? { unprepared: plain } : prepare(input);
    }
    // Never rejected: a failed batch stays queued and is retried until it is written.
    this.writerImpl.submit(item);
  }

  /**
   * Sensitive before/after values, sealed under the record's own key (crypto-shredding the record makes
   * them unreadable; the entry's hash covers the ciphertext, so the log still verifies). Never throws: if
   * sealing fails the entry records that, with field names only.
   */
  private async sealed(
    input: AuditInput,
    target: { type: string; id: string },
    changes: readonly SensitiveChange[],
    key: SubjectKey | null,
  ): Promise<PreparedEntry> {
    const fields = changes.map((c) => c.field);
    const values: Record<string, { before: unknown; after: unknown }> = {};
    for (const c of changes) values[c.field] = { before: c.before ?? null, after: c.after ?? null };
    let sealed: Record<string, unknown>;
    try {
      const plaintext = Buffer.from(JSON.stringify(values));
      // The key the record was just created with is its current one: no need to read it back.
      const ct = key
        ? this.d.crypto.sealUnderKey(target.type, target.id, key, SEALED_CONTEXT, plaintext)
        : await this.d.crypto.sealForSubject(target.type, target.id, SEALED_CONTEXT, plaintext);
      sealed = { subject: { type: target.type, id: target.id }, fields, ct };
    } catch (err) {
      this.d.logger.error({ err, eventType: input.action }, 'could not seal audit detail; recording field names only');
      sealed = { subject: { type: target.type, id: target.id }, fields, error: 'sealing failed' };
    }
    return prepare({ ...input, detail: { ...input.detail, sealed } });
  }

  /** Timed work: heartbeat when due, checkpoint when entries wait unsigned for too long. */
  tick(): Promise<void> {
    // A caller that moved the clock must see a tick that read the clock after its call: wait for one in
    // flight (it may have read the time before), then tick again.
    const tracked: Promise<void> = (this.ticking ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.doTick())
      .finally(() => {
        if (this.ticking === tracked) this.ticking = null;
      });
    this.ticking = tracked;
    return tracked;
  }

  private async doTick(): Promise<void> {
    if (!this.writerImpl || !this.logImpl) return;
    const now = this.d.clock.now().getTime();
    if (now - this.lastHeartbeatMs >= this.d.config.heartbeatSeconds * 1000) {
      this.lastHeartbeatMs = now;
      const head = await this.d.repo.head();
      await this.durable({
        ...this.system(),
        action: 'audit.heartbeat',
        detail: {
          instance: this.instance,
          treeSize: Number(head.tree_size),
          checkpointSize: Number(head.checkpoint_size),
          queued: this.writerImpl.pending,
        },
      });
      await this.logImpl.append([], true);
      return;
    }
    const head = await this.d.repo.head();
    const at = head.checkpoint_at === null ? 0 : Date.parse(head.checkpoint_at);
    if (Number(head.tree_size) > Number(head.checkpoint_size) && now - at >= this.d.config.checkpointMs) {
      await this.logImpl.append([], true);
    }
  }

  /** Fields of an entry the audit trail writes as the system. */
  system(): Pick<AuditInput, 'actor' | 'ip' | 'userAgent' | 'requestId' | 'at' | 'outcome' | 'target'> {
    return {
      at: this.d.clock.now().toISOString(),
      actor: { type: 'system', id: null },
      ip: null,
      userAgent: null,
      requestId: null,
      outcome: 'success',
      target: null,
    };
  }

  /** Retention in months: the audited setting, else the configured default (never below 12). */
  async retentionMonths(): Promise<number> {
    const stored = await this.d.repo.retentionMonths();
    return Math.max(12, stored ?? this.d.config.retentionMonths);
  }
}
