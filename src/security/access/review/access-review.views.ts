import type { AccessReviewItemsTable, AccessReviewsTable } from '../../../db/database.js';
import { EffectiveAccess } from '../effective-access.js';
import type { RolePolicy } from '../policy.js';
import type { DirectoryUser, ItemCounts } from './access-review.repository.js';
import { lastActivity } from './activity.js';
import {
  asDecision,
  EVIDENCE_FORMAT,
  parseSnapshot,
  sha256,
  type AccessSnapshot,
  type EvidenceItem,
  type ReviewCounts,
  type ReviewEvidence,
  type ReviewItemView,
  type ReviewSummary,
} from './access-review.model.js';

export function countsOf(c: ItemCounts | undefined): ReviewCounts {
  const total = c?.total ?? 0;
  const certified = c?.certified ?? 0;
  const revoked = c?.revoked ?? 0;
  return { total, certified, revoked, undecided: total - certified - revoked, escalated: c?.escalated ?? 0 };
}

export function summary(r: AccessReviewsTable, c: ItemCounts | undefined, now: Date): ReviewSummary {
  const counts = countsOf(c);
  return {
    id: r.id,
    name: r.name,
    state: r.state === 'closed' ? 'closed' : 'open',
    reviewerId: r.reviewer_id,
    createdBy: r.created_by,
    createdAt: r.created_at,
    dueAt: r.due_at,
    escalateAt: r.escalate_at,
    lastReminderAt: r.last_reminder_at,
    closedAt: r.closed_at,
    overdue: r.state === 'open' && counts.undecided > 0 && now.getTime() > Date.parse(r.due_at),
    counts,
  };
}

export function itemView(i: AccessReviewItemsTable): ReviewItemView {
  return {
    ...parseSnapshot(i.snapshot),
    id: i.id,
    decision: asDecision(i.decision),
    decidedBy: i.decided_by,
    decidedAt: i.decided_at,
    comment: i.comment,
    escalatedAt: i.escalated_at,
  };
}

export function snapshotOf(
  u: DirectoryUser,
  roles: readonly string[],
  teams: readonly { id: string; name: string; role: string }[],
  policies: readonly RolePolicy[],
  lastTokenUse: string | undefined,
): AccessSnapshot {
  const { objects, capabilities } = new EffectiveAccess(policies, null, []).summary();
  return {
    userId: u.id,
    email: u.email,
    name: u.name,
    status: u.status,
    roles: [...roles],
    teams: teams.map((t) => ({ id: t.id, name: t.name, role: t.role })),
    permissions: {
      objects,
      capabilities,
      reveal: [...new Set(policies.flatMap((p) => p.reveal))].sort(),
    },
    createdAt: u.created_at,
    lastLoginAt: u.last_login_at,
    lastActivityAt: lastActivity(u, lastTokenUse),
  };
}

export function buildEvidence(
  review: AccessReviewsTable,
  items: readonly AccessReviewItemsTable[],
  close: { closedAt: string; closedBy: string; forced: boolean; forceReason: string | null },
): ReviewEvidence {
  const evidenceItems: EvidenceItem[] = items.map((i) => {
    const s = parseSnapshot(i.snapshot);
    return {
      itemId: i.id,
      userId: i.user_id,
      email: s.email,
      roles: s.roles,
      snapshotSha256: sha256(i.snapshot),
      decision: asDecision(i.decision),
      decidedBy: i.decided_by,
      decidedAt: i.decided_at,
      comment: i.comment,
      escalatedAt: i.escalated_at,
    };
  });
  const certified = evidenceItems.filter((i) => i.decision === 'certify').length;
  const revoked = evidenceItems.filter((i) => i.decision === 'revoke').length;
  return {
    format: EVIDENCE_FORMAT,
    review: {
      id: review.id,
      name: review.name,
      reviewerId: review.reviewer_id,
      createdBy: review.created_by,
      createdAt: review.created_at,
      dueAt: review.due_at,
      escalateAt: review.escalate_at,
      ...close,
    },
    counts: {
      total: evidenceItems.length,
      certified,
      revoked,
      undecided: evidenceItems.length - certified - revoked,
      escalated: evidenceItems.filter((i) => i.escalatedAt !== null).length,
    },
    snapshotSha256: sha256(evidenceItems.map((i) => `${i.itemId}:${i.snapshotSha256}`).join('\n')),
    items: evidenceItems,
  };
}
