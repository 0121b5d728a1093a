import { isSqliteBusy, type AuditCheckpointsTable, type AuditEntriesTable } from '../../db/index.js';
import type { Clock } from '../../platform/clock.js';
import type { AppendThread } from './append-thread.js';
import type { AuditRepository } from './audit.repository.js';
import { preparedOf, type AuditEntry, type LogItem } from './canonical.js';
import type { SignerKey } from './checkpoint.js';
import { LogPlacer, type LogOptions } from './log-placer.js';
import { consistencyProof, inclusionProof, nodeHash, STORED_LEVEL_STEP, type RangeHasher } from './merkle.js';
import { REF_BUCKET } from './ref-index-check.js';

export { REF_BUCKET, type LogOptions };
const BUSY_WAIT_MS = 5;
/** About ten seconds of waiting for SQLite's write lock before an append fails. */
const BUSY_ATTEMPTS = 2000;

export const rowToEntry = (r: AuditEntriesTable): AuditEntry => ({
  seq: Number(r.seq),
  at: r.at,
  actorType: r.actor_type as AuditEntry['actorType'],
  actorId: r.actor_id,
  action: r.action,
  targetType: r.target_type,
  targetId: r.target_id,
  outcome: r.outcome as AuditEntry['outcome'],
  ip: r.ip,
  userAgent: r.user_agent,
  requestId: r.request_id,
  detail: r.detail,
  prev: r.prev_hash,
  hash: r.hash,
});

/**
 * The append-only log: places prepared entries (sequence number, previous hash, leaf hash), grows the Merkle
 * tree from the stored frontier, keeps every 8th level of complete subtrees for proofs, and signs checkpoints —
 * all inside the transaction that holds the head lock, so instances never interleave. On SQLite in a server
 * that transaction runs on the audit append thread (ADR 0012); otherwise here, on the event loop.
 */
export class AuditLog {
  private readonly placer: LogPlacer;

  constructor(
    private readonly repo: AuditRepository,
    private readonly signer: SignerKey,
    private readonly clock: Clock,
    opts: LogOptions,
    private readonly thread: AppendThread | null = null,
  ) {
    this.placer = new LogPlacer(signer, opts);
  }

  get origin(): string {
    return this.signer.name;
  }

  /**
   * Write entries (possibly none) in one transaction; `force` signs a checkpoint of the new head. Inputs left
   * unprepared are prepared where the transaction runs. Resolves with the entries as placed in the log — only
   * those at the indices in `want` when it is given.
   */
  async append(
    items: readonly LogItem[],
    force = false,
    want: readonly number[] | null = null,
  ): Promise<{ entries: AuditEntry[] }> {
    const now = this.clock.now();
    const nowIso = now.toISOString();
    if (this.thread) {
      const req = { force, nowIso, nowMs: now.getTime(), want };
      try {
        return { entries: await this.thread.append({ ...req, items }) };
      } catch (err) {
        // Something in an unprepared input could not be cloned: prepare the batch here and send strings only.
        if ((err as { name?: unknown } | null)?.name !== 'DataCloneError') throw err;
        return { entries: await this.thread.append({ ...req, items: items.map(preparedOf) }) };
      }
    }
    const prepared = items.map(preparedOf);
    const placed: AuditEntry[] = [];
    for (let attempt = 0; ; attempt++) {
      try {
        const plan = await this.repo.appendBatch(nowIso, (head) => {
          placed.length = 0;
          return this.placer.place(head, prepared, force, now.getTime(), nowIso, placed);
        });
        this.placer.committed(plan);
        return { entries: placed };
      } catch (err) {
        this.placer.failed();
        // SQLite: another connection holds the write lock for a moment; wait a little, without blocking.
        if (!isSqliteBusy(err) || attempt >= BUSY_ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, BUSY_WAIT_MS));
      }
    }
  }

  /** Stop the append thread, if there is one (after the final flush). */
  async close(): Promise<void> {
    await this.thread?.close();
  }

  /** Sign a checkpoint of a past tree size (used when a segment is archived at a size nobody signed). */
  async signPast(size: number, root: Buffer): Promise<AuditCheckpointsTable> {
    const existing = await this.repo.checkpoint(size);
    if (existing) return existing;
    const row = this.placer.checkpointRow(size, root, this.clock.now().toISOString());
    await this.repo.insertCheckpointIfAbsent(row);
    return (await this.repo.checkpoint(size)) ?? row;
  }

  /** Hash of a perfect subtree (leaves [start, end), size a power of two, aligned) from stored hashes. */
  readonly perfect: RangeHasher = async (start, end) => {
    const size = end - start;
    return this.perfectAt(Math.round(Math.log2(size)), start / size);
  };

  private async perfectAt(level: number, index: number): Promise<Buffer> {
    if (level === 0) {
      const rows = await this.repo.leafHashes(index + 1, index + 1);
      const r = rows[0];
      if (!r) throw new Error(`audit entry ${index + 1} is not in the online log`);
      return Buffer.from(r.hash, 'hex');
    }
    if (level % STORED_LEVEL_STEP === 0) {
      const [stored] = await this.repo.treeNodes(level, index, index + 1);
      if (stored) return Buffer.from(stored.hash, 'hex');
    }
    const base = level % STORED_LEVEL_STEP === 0 ? level - STORED_LEVEL_STEP : level - (level % STORED_LEVEL_STEP);
    const count = 2 ** (level - base);
    const from = index * count;
    let hashes: Buffer[];
    if (base === 0) {
      const rows = await this.repo.leafHashes(from + 1, from + count);
      hashes = rows.map((r) => Buffer.from(r.hash, 'hex'));
    } else {
      const rows = await this.repo.treeNodes(base, from, from + count);
      hashes = rows.map((r) => Buffer.from(r.hash, 'hex'));
    }
    if (hashes.length !== count) {
      hashes = [];
      for (let i = 0; i < count; i++) hashes.push(await this.perfectAt(base, from + i));
    }
    while (hashes.length > 1) {
      const next: Buffer[] = [];
      for (let i = 0; i < hashes.length; i += 2) next.push(nodeHash(hashes[i] as Buffer, hashes[i + 1] as Buffer));
      hashes = next;
    }
    return hashes[0] as Buffer;
  }

  inclusion(seq: number, treeSize: number): Promise<Buffer[]> {
    return inclusionProof(seq - 1, treeSize, this.perfect);
  }

  consistency(from: number, to: number): Promise<Buffer[]> {
    return consistencyProof(from, to, this.perfect);
  }
}
