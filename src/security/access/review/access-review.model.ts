import { createHash } from 'node:crypto';
import type { Capability, RecordOp, Scope } from '../policy.js';
import type { Actor } from '../actor.js';
import { DAY_MS } from './activity.js';

export const REVIEW_CAPABILITY: Capability = 'review-access';
export const DEFAULT_DUE_IN_DAYS = 14;
export const DEFAULT_ESCALATE_AFTER_DAYS = 7;
export const MAX_CAMPAIGN_DAYS = 365;
/** Reminders for one campaign go out at most this often. */
export const REMINDER_INTERVAL_MS = DAY_MS;
export const MAX_COMMENT_LENGTH = 1000;
export const MAX_NAME_LENGTH = 200;
export const EVIDENCE_FORMAT = 'separ.access-review.evidence/1';

export type Decision = 'certify' | 'revoke';
export type ReviewState = 'open' | 'closed';

/** What a user could do when the campaign started: the evidence a reviewer certifies or revokes. */
export interface AccessSnapshot {
  userId: string;
  email: string;
  name: string;
  status: string;
  roles: string[];
  teams: { id: string; name: string; role: string }[];
  permissions: {
    objects: Record<string, { ops: RecordOp[]; scope: Scope | null }>;
    capabilities: Capability[];
    reveal: string[];
  };
  createdAt: string;
  lastLoginAt: string | null;
  /** The later of the last sign-in and the last API-token use. */
  lastActivityAt: string | null;
}

export interface ReviewItemView extends AccessSnapshot {
  id: string;
  decision: Decision | null;
  /** The deciding user's id, or 'cli' for a decision taken with `separ access review decide`. */
  decidedBy: string | null;
  decidedAt: string | null;
  comment: string | null;
  escalatedAt: string | null;
}

export interface ReviewCounts {
  total: number;
  certified: number;
  revoked: number;
  undecided: number;
  escalated: number;
}

export interface ReviewSummary {
  id: string;
  name: string;
  state: ReviewState;
  reviewerId: string | null;
  createdBy: string | null;
  createdAt: string;
  dueAt: string;
  escalateAt: string;
  lastReminderAt: string | null;
  closedAt: string | null;
  overdue: boolean;
  counts: ReviewCounts;
}

export interface EvidenceItem {
  itemId: string;
  userId: string;
  email: string;
  roles: string[];
  snapshotSha256: string;
  decision: Decision | null;
  decidedBy: string | null;
  decidedAt: string | null;
  comment: string | null;
  escalatedAt: string | null;
}

/** Kept when a campaign closes; never changed afterwards (its hash is also in the audit log). */
export interface ReviewEvidence {
  format: string;
  review: {
    id: string;
    name: string;
    reviewerId: string | null;
    createdBy: string | null;
    createdAt: string;
    dueAt: string;
    escalateAt: string;
    closedAt: string;
    closedBy: string;
    forced: boolean;
    forceReason: string | null;
  };
  counts: ReviewCounts;
  /** SHA-256 over every item's id and snapshot hash, in order: pins what was reviewed. */
  snapshotSha256: string;
  items: EvidenceItem[];
}

export interface ReviewView extends ReviewSummary {
  items: ReviewItemView[];
  evidence: ReviewEvidence | null;
  /** SHA-256 of the stored evidence document (as named in the access_review.closed audit entry). */
  evidenceSha256: string | null;
}

export interface StartReviewInput {
  name?: string | undefined;
  reviewerId?: string | undefined;
  dueInDays?: number | undefined;
  escalateAfterDays?: number | undefined;
}

export interface DecideInput {
  decision: Decision;
  comment?: string | null | undefined;
}

export interface CloseInput {
  force?: boolean | undefined;
  reason?: string | undefined;
}

export interface RemindOutcome {
  reminded: boolean;
  undecided: number;
  lastReminderAt: string | null;
  /** Null when there is nothing left to remind about. */
  nextReminderAt: string | null;
}

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Who decided, for the record: a user's id, or the system actor's reason ('cli' from the command line). */
export function deciderLabel(actor: Actor): string {
  if (actor.kind !== 'system') return actor.userId;
  const reason = actor.userAgent?.trim();
  return reason ? reason.slice(0, 100) : 'system';
}

export function parseSnapshot(text: string): AccessSnapshot {
  return JSON.parse(text) as AccessSnapshot;
}

export function asDecision(d: string | null): Decision | null {
  return d === 'certify' || d === 'revoke' ? d : null;
}
