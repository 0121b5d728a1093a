import type { AuditCheckpointsTable, AuditEntriesTable, AuditHeadTable, AuditTreeNodesTable } from '../../db/index.js';
import type { Clock } from '../../platform/clock.js';
import type { AuditRepository, BatchPlan } from './audit.repository.js';
import { isBusy } from './sqlite-appender.repository.js';
import { canonicalEntry, type AuditEntry, type PreparedEntry } from './canonical.js';
import { signCheckpoint, type SignerKey } from './checkpoint.js';
import {
  consistencyProof,
  Frontier,
  inclusionProof,
  leafHash,
  nodeHash,
  STORED_LEVEL_STEP,
  type RangeHasher,
} from './merkle.js';
import { REF_BUCKET } from './ref-index-check.js';

export { REF_BUCKET };
const BUSY_WAIT_MS = 5;
/** About ten seconds of waiting for SQLite's write lock before an append fails. */
const BUSY_ATTEMPTS = 2000;

export interface LogOptions {
  /** Sign a checkpoint when the newest one is this old and entries were added since. */
  checkpointMs: number;
  /** … and whenever this many entries were added since the newest one. */
  checkpointEntries: number;
}

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
 * all inside the transaction that holds the head lock, so instances never interleave.
 */
export class AuditLog {
  private lastFrontier: { size: number; text: string; frontier: Frontier } | null = null;
  /** Records this process has indexed in the current bucket: reading the same records again writes nothing. */
  private indexed = new Set<string>();
  private indexedBucket = -1;
  private pendingFrontier: { size: number; text: string; frontier: Frontier } | null = null;

  constructor(
    private readonly repo: AuditRepository,
    private readonly signer: SignerKey,
    private readonly clock: Clock,
    private readonly opts: LogOptions,
  ) {}

  get origin(): string {
    return this.signer.name;
  }

  /** Write entries (possibly none) in one transaction; `force` signs a checkpoint of the new head. */
  async append(prepared: readonly PreparedEntry[], force = false): Promise<{ entries: AuditEntry[]; plan: BatchPlan }> {
    const now = this.clock.now();
    const nowIso = now.toISOString();
    const placed: AuditEntry[] = [];
    let plan: BatchPlan;
    for (let attempt = 0; ; attempt++) {
      try {
        plan = await this.repo.appendBatch(nowIso, (head) => {
          placed.length = 0;
          return this.place(head, prepared, force, now.getTime(), nowIso, placed);
        });
        break;
      } catch (err) {
        this.lastFrontier = null;
        // SQLite: another connection holds the write lock for a moment; wait a little, without blocking.
        if (!isBusy(err) || attempt >= BUSY_ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, BUSY_WAIT_MS));
      }
    }
    this.lastFrontier = this.pendingFrontier;
    const bucket = Math.floor(Number(plan.head.tree_size) / REF_BUCKET);
    if (bucket !== this.indexedBucket || this.indexed.size > 100_000) {
      this.indexed = new Set();
      this.indexedBucket = bucket;
    }
    for (const r of plan.refs) if (Number(r.bucket) === bucket) this.indexed.add(r.ref_id);
    return { entries: placed, plan };
  }

  private place(
    head: AuditHeadTable,
    prepared: readonly PreparedEntry[],
    force: boolean,
    nowMs: number,
    nowIso: string,
    placed: AuditEntry[],
  ): BatchPlan {
    // The frontier this process wrote last is reused when nobody appended since (no hex parsing per batch).
    const cached = this.lastFrontier;
    const frontier =
      cached && cached.size === Number(head.tree_size) && cached.text === head.frontier
        ? cached.frontier.clone()
        : Frontier.parse(Number(head.tree_size), head.frontier);
    const nodes: AuditTreeNodesTable[] = [];
    const checkpoints: AuditCheckpointsTable[] = [];
    const entries: AuditEntriesTable[] = [];
    const refs: BatchPlan['refs'] = [];
    const seen = new Map<number, Set<string>>();
    let prev = head.last_hash;
    let seq = Number(head.tree_size);
    let cpSize = Number(head.checkpoint_size);
    let cpAt = head.checkpoint_at;
    const sign = (): void => {
      checkpoints.push(this.checkpointRow(seq, frontier.root(), nowIso));
      cpSize = seq;
      cpAt = nowIso;
    };
    for (const p of prepared) {
      seq++;
      const e: AuditEntry = {
        seq,
        at: p.at,
        actorType: p.actorType,
        actorId: p.actorId,
        action: p.action,
        targetType: p.targetType,
        targetId: p.targetId,
        outcome: p.outcome,
        ip: p.ip,
        userAgent: p.userAgent,
        requestId: p.requestId,
        detail: p.detail,
        prev,
        hash: '',
      };
      const leaf = leafHash(canonicalEntry(e));
      const hash = leaf.toString('hex');
      e.hash = hash;
      frontier.append(leaf, (n) => nodes.push({ level: n.level, idx: n.index, hash: n.hash.toString('hex') }));
      entries.push({
        seq,
        at: e.at,
        actor_type: e.actorType,
        actor_id: e.actorId,
        action: e.action,
        target_type: e.targetType,
        target_id: e.targetId,
        outcome: e.outcome,
        ip: e.ip,
        user_agent: e.userAgent,
        request_id: e.requestId,
        detail: e.detail,
        prev_hash: prev,
        hash,
      });
      const bucket = Math.floor(seq / REF_BUCKET);
      if (p.refs.length > 0) {
        let inBatch = seen.get(bucket);
        if (!inBatch) seen.set(bucket, (inBatch = new Set()));
        const committed = bucket === this.indexedBucket ? this.indexed : null;
        for (const id of p.refs) {
          if (inBatch.has(id) || committed?.has(id)) continue;
          inBatch.add(id);
          refs.push({ ref_id: id, bucket });
        }
      }
      placed.push(e);
      prev = hash;
      if (seq - cpSize >= this.opts.checkpointEntries) sign();
    }
    const elapsed = nowMs - (cpAt === null ? 0 : Date.parse(cpAt));
    if (seq > cpSize && (force || elapsed >= this.opts.checkpointMs)) sign();
    const text = frontier.serialize();
    this.pendingFrontier = { size: seq, text, frontier };
    return {
      entries,
      refs,
      nodes,
      checkpoints,
      head: {
        tree_size: seq,
        last_hash: prev,
        frontier: text,
        checkpoint_size: cpSize,
        checkpoint_at: cpAt,
      },
    };
  }

  private checkpointRow(size: number, root: Buffer, at: string): AuditCheckpointsTable {
    return {
      tree_size: size,
      root_hash: root.toString('base64'),
      at,
      key_id: this.signer.keyId.toString('hex'),
      note: signCheckpoint({ origin: this.signer.name, treeSize: size, rootHash: root }, this.signer),
    };
  }

  /** Sign a checkpoint of a past tree size (used when a segment is archived at a size nobody signed). */
  async signPast(size: number, root: Buffer): Promise<AuditCheckpointsTable> {
    const existing = await this.repo.checkpoint(size);
    if (existing) return existing;
    const row = this.checkpointRow(size, root, this.clock.now().toISOString());
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
