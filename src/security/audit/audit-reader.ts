import { AppError, forbidden, notFound, validationError } from '../../platform/app-error.js';
import type { Actor } from '../access/actor.js';
import type { AuditCheckpointsTable, AuditEntriesTable } from '../../db/index.js';
import { canReadAudit } from './audit-access.js';
import { rowToEntry } from './audit-log.js';
import { actorInput, type AuditService } from './audit.service.js';
import { canonicalEntry, type AuditActorType, type AuditOutcome } from './canonical.js';
import { parseCheckpoint } from './checkpoint.js';

export interface AuditEventView {
  id: number;
  at: string;
  actor: { type: AuditActorType; id: string | null };
  action: string;
  target: { type: string; id: string } | null;
  outcome: AuditOutcome;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  detail: Record<string, unknown>;
  hash: string;
  prevHash: string;
}

export interface AuditSearchQuery {
  actorId?: string | undefined;
  actorType?: AuditActorType | undefined;
  action?: string | undefined;
  outcome?: AuditOutcome | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface InclusionProofView {
  id: number;
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  /** The canonical entry: its UTF-8 bytes are what the leaf hashes (SHA-256(0x00 ‖ entry)). */
  entry: string;
  /** Sibling hashes (base64), leaf level first (RFC 6962 audit path). */
  proof: string[];
  rootHash: string;
  checkpoint: string;
  verifierKey: string;
}

export interface ConsistencyProofView {
  fromSize: number;
  toSize: number;
  proof: string[];
  fromCheckpoint: string;
  toCheckpoint: string;
  verifierKey: string;
}

export interface CheckpointView {
  origin: string;
  treeSize: number;
  rootHash: string;
  checkpoint: string;
  verifierKey: string;
}

/** Sealed values are never shown: the ciphertext is replaced by a marker (proofs carry the exact bytes). */
function viewDetail(text: string): Record<string, unknown> {
  const d = JSON.parse(text) as Record<string, unknown>;
  const sealed = d.sealed as Record<string, unknown> | undefined;
  if (sealed && typeof sealed === 'object' && typeof sealed.ct === 'string') d.sealed = { ...sealed, ct: '[sealed]' };
  return d;
}

export function toView(r: AuditEntriesTable): AuditEventView {
  return {
    id: Number(r.seq),
    at: r.at,
    actor: { type: r.actor_type as AuditActorType, id: r.actor_id },
    action: r.action,
    target: r.target_type !== null && r.target_id !== null ? { type: r.target_type, id: r.target_id } : null,
    outcome: r.outcome as AuditOutcome,
    ip: r.ip,
    userAgent: r.user_agent,
    requestId: r.request_id,
    detail: viewDetail(r.detail),
    hash: r.hash,
    prevHash: r.prev_hash,
  };
}

const DEFAULT_LIMIT = 50;

/**
 * The reading side of the audit trail, for the API. Every access — allowed or refused — is itself written
 * to the log, durably, before any audit data is returned: if that write fails, nothing is returned.
 */
export class AuditReader {
  constructor(private readonly audit: AuditService) {}

  private async access(actor: Actor, operation: string, detail: Record<string, unknown>): Promise<void> {
    const base = { ...actorInput(actor), at: this.audit.system().at, target: null };
    if (!canReadAudit(actor)) {
      await this.audit.durable({
        ...base,
        action: 'audit.access_denied',
        outcome: 'failure',
        detail: { operation, ...detail, roles: [...actor.roles] },
      });
      throw forbidden('Reading the audit log needs the read-audit capability (auditor, security officer).');
    }
    await this.audit.durable({ ...base, action: `audit.${operation}`, outcome: 'success', detail });
  }

  async search(actor: Actor, q: AuditSearchQuery): Promise<{ items: AuditEventView[]; nextCursor: string | null }> {
    const limit = q.limit ?? DEFAULT_LIMIT;
    const filters: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(q)) if (v !== undefined && k !== 'cursor') filters[k] = v;
    await this.access(actor, 'search', { filters });
    let beforeSeq: number | undefined;
    if (q.cursor !== undefined) {
      if (!/^[1-9][0-9]{0,15}$/.test(q.cursor)) {
        throw new AppError('SEPAR_ERR_BAD_CURSOR', 'Bad cursor', {
          detail: 'The cursor is not one this API returned.',
        });
      }
      beforeSeq = Number(q.cursor);
    }
    const iso = (field: string, v: string | undefined): string | undefined => {
      if (v === undefined) return undefined;
      const d = new Date(v);
      if (Number.isNaN(d.getTime())) throw validationError(field, 'must be an ISO 8601 date-time');
      return d.toISOString();
    };
    const action = q.action?.endsWith('*') ? undefined : q.action;
    const actionPrefix = q.action?.endsWith('*') ? q.action.slice(0, -1) : undefined;
    const rows = await this.audit.repo.search({
      actorId: q.actorId,
      actorType: q.actorType,
      action,
      actionPrefix,
      outcome: q.outcome,
      targetType: q.targetType,
      targetId: q.targetId,
      from: iso('from', q.from),
      to: iso('to', q.to),
      beforeSeq,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toView), nextCursor: rows.length > limit && last ? String(last.seq) : null };
  }

  async get(actor: Actor, id: number): Promise<AuditEventView> {
    await this.access(actor, 'read', { id });
    const row = await this.audit.repo.entry(id);
    if (!row) throw notFound('Audit event');
    return toView(row);
  }

  async proof(actor: Actor, id: number, treeSize?: number): Promise<InclusionProofView> {
    await this.access(actor, 'proof', treeSize === undefined ? { id } : { id, treeSize });
    const row = await this.audit.repo.entry(id);
    if (!row) throw notFound('Audit event');
    const cp = await this.checkpointCovering(id, treeSize);
    const proof = await this.audit.log.inclusion(id, Number(cp.tree_size));
    const entry = rowToEntry(row);
    return {
      id,
      leafIndex: id - 1,
      treeSize: Number(cp.tree_size),
      leafHash: entry.hash,
      entry: canonicalEntry(entry),
      proof: proof.map((b) => b.toString('base64')),
      rootHash: cp.root_hash,
      checkpoint: cp.note,
      verifierKey: this.audit.verifierKey,
    };
  }

  async consistency(actor: Actor, fromSize: number, toSize?: number): Promise<ConsistencyProofView> {
    await this.access(actor, 'consistency', toSize === undefined ? { fromSize } : { fromSize, toSize });
    const from = await this.audit.repo.checkpoint(fromSize);
    if (!from) throw notFound('Checkpoint');
    const to = toSize === undefined ? await this.latestSigned() : await this.audit.repo.checkpoint(toSize);
    if (!to) throw notFound('Checkpoint');
    if (Number(to.tree_size) < fromSize) throw validationError('toSize', 'must not be smaller than fromSize');
    const proof = await this.audit.log.consistency(fromSize, Number(to.tree_size));
    return {
      fromSize,
      toSize: Number(to.tree_size),
      proof: proof.map((b) => b.toString('base64')),
      fromCheckpoint: from.note,
      toCheckpoint: to.note,
      verifierKey: this.audit.verifierKey,
    };
  }

  async latestCheckpoint(actor: Actor): Promise<CheckpointView> {
    await this.access(actor, 'checkpoint', {});
    const cp = await this.latestSigned();
    const parsed = parseCheckpoint(cp.note);
    return {
      origin: parsed.checkpoint.origin,
      treeSize: Number(cp.tree_size),
      rootHash: cp.root_hash,
      checkpoint: cp.note,
      verifierKey: this.audit.verifierKey,
    };
  }

  /** The newest checkpoint, signing one now if entries (such as this request's own) are not yet covered. */
  private async latestSigned(): Promise<AuditCheckpointsTable> {
    const head = await this.audit.repo.head();
    const latest = await this.audit.repo.latestCheckpoint();
    if (latest && Number(latest.tree_size) >= Number(head.tree_size)) return latest;
    await this.audit.log.append([], true);
    const now = await this.audit.repo.latestCheckpoint();
    if (!now) throw notFound('Checkpoint');
    return now;
  }

  private async checkpointCovering(id: number, treeSize?: number): Promise<AuditCheckpointsTable> {
    if (treeSize !== undefined) {
      const cp = await this.audit.repo.checkpoint(treeSize);
      if (!cp) throw notFound('Checkpoint');
      if (Number(cp.tree_size) < id) throw validationError('treeSize', 'must be at least the entry’s id');
      return cp;
    }
    return this.latestSigned();
  }
}
