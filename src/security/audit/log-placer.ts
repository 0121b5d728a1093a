import type { AuditCheckpointsTable, AuditEntriesTable, AuditHeadTable, AuditTreeNodesTable } from '../../db/index.js';
import type { BatchPlan } from './audit.repository.js';
import { canonicalEntry, type AuditEntry, type PreparedEntry } from './canonical.js';
import { signCheckpoint, type SignerKey } from './checkpoint.js';
import { Frontier, leafHash } from './merkle.js';
import { REF_BUCKET } from './ref-index-check.js';

export interface LogOptions {
  /** Sign a checkpoint when the newest one is this old and entries were added since. */
  checkpointMs: number;
  /** … and whenever this many entries were added since the newest one. */
  checkpointEntries: number;
}

interface CachedFrontier {
  size: number;
  text: string;
  frontier: Frontier;
}

/**
 * Places prepared entries after a locked head: sequence numbers, previous hash, leaf hashes, the Merkle
 * frontier and every 8th level of complete subtrees, "who accessed this" references, and signed checkpoints.
 * Pure computation over the head it is given, plus two caches that only save work: the frontier this placer
 * wrote last (no hex parsing per batch while nobody else appends) and the references it already indexed in the
 * current bucket. Runs wherever the append transaction runs (the event loop, or the audit append thread).
 */
export class LogPlacer {
  private lastFrontier: CachedFrontier | null = null;
  private pendingFrontier: CachedFrontier | null = null;
  /** Records this placer has indexed in the current bucket: reading the same records again writes nothing. */
  private indexed = new Set<string>();
  private indexedBucket = -1;

  constructor(
    private readonly signer: SignerKey,
    private readonly opts: LogOptions,
  ) {}

  /** The plan of one transaction; `placed` receives the entries as they will be in the log. */
  place(
    head: AuditHeadTable,
    prepared: readonly PreparedEntry[],
    force: boolean,
    nowMs: number,
    nowIso: string,
    placed: AuditEntry[],
  ): BatchPlan {
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

  /** The transaction of `plan` committed: its frontier and references are what the next batch builds on. */
  committed(plan: BatchPlan): void {
    this.lastFrontier = this.pendingFrontier;
    const bucket = Math.floor(Number(plan.head.tree_size) / REF_BUCKET);
    if (bucket !== this.indexedBucket || this.indexed.size > 100_000) {
      this.indexed = new Set();
      this.indexedBucket = bucket;
    }
    for (const r of plan.refs) if (Number(r.bucket) === bucket) this.indexed.add(r.ref_id);
  }

  /** The transaction failed: trust nothing cached from it. */
  failed(): void {
    this.lastFrontier = null;
  }

  checkpointRow(size: number, root: Buffer, at: string): AuditCheckpointsTable {
    return {
      tree_size: size,
      root_hash: root.toString('base64'),
      at,
      key_id: this.signer.keyId.toString('hex'),
      note: signCheckpoint({ origin: this.signer.name, treeSize: size, rootHash: root }, this.signer),
    };
  }
}
