import type { AccessReviewItemsTable, AccessReviewsTable } from '../../../db/database.js';
import { AppError, forbidden, notFound, validationError } from '../../../platform/app-error.js';
import type { Clock } from '../../../platform/clock.js';
import { systemContext, type EventBus, type EventContext } from '../../../platform/events.js';
import { newId } from '../../../platform/ids.js';
import { requireCapability } from '../access.service.js';
import { eventContext, type Actor } from '../actor.js';
import { EffectiveAccess } from '../effective-access.js';
import type { PolicyResolver } from '../policy-resolver.js';
import type { RolePolicy } from '../policy.js';
import type { AccessReviewRepository } from './access-review.repository.js';
import {
  DEFAULT_DUE_IN_DAYS,
  DEFAULT_ESCALATE_AFTER_DAYS,
  MAX_COMMENT_LENGTH,
  MAX_NAME_LENGTH,
  REMINDER_INTERVAL_MS,
  REVIEW_CAPABILITY,
  deciderLabel,
  sha256,
  type ReviewEvidence,
  type AccessSnapshot,
  type CloseInput,
  type DecideInput,
  type RemindOutcome,
  type ReviewItemView,
  type ReviewSummary,
  type ReviewView,
  type StartReviewInput,
} from './access-review.model.js';
import { alreadyDecided, checkDays, checkText, closedConflict } from './access-review.rules.js';
import { buildEvidence, countsOf, itemView, snapshotOf, summary } from './access-review.views.js';
import { DAY_MS } from './activity.js';
import { delegatedActor, type UserDirectory } from './user-directory.js';

export interface AccessReviewServiceDeps {
  repo: AccessReviewRepository;
  resolver: PolicyResolver;
  users: () => UserDirectory;
  clock: Clock;
  bus: EventBus;
}

/**
 * Access reviews (ISO 27001 5.15/5.18, PCI DSS 7.2.4): a campaign snapshots every user — roles, teams, effective
 * permissions from the role policies, last activity — and a reviewer holding `review-access` certifies or revokes
 * each one. A reviewer never decides their own access. Revoking removes the user's roles through identity (which
 * ends their sessions at once). Undecided items are reminded daily and escalated after the escalation date; the
 * closed campaign keeps its evidence (who decided what, when, over which snapshot), immutable.
 */
export class AccessReviewService {
  constructor(private readonly deps: AccessReviewServiceDeps) {}

  async start(actor: Actor, input: StartReviewInput = {}): Promise<ReviewView> {
    requireCapability(actor, REVIEW_CAPABILITY);
    const now = this.deps.clock.now();
    const name =
      input.name === undefined
        ? `Access review ${now.toISOString().slice(0, 10)}`
        : checkText('name', input.name, MAX_NAME_LENGTH, false);
    const dueInDays = checkDays('dueInDays', input.dueInDays, DEFAULT_DUE_IN_DAYS);
    const escalateAfterDays = checkDays('escalateAfterDays', input.escalateAfterDays, DEFAULT_ESCALATE_AFTER_DAYS);
    const snapshots = await this.snapshotAll();
    const reviewerId = input.reviewerId ?? null;
    if (reviewerId !== null) {
      const reviewer = snapshots.find((s) => s.userId === reviewerId);
      if (!reviewer || reviewer.status !== 'active' || !reviewer.permissions.capabilities.includes(REVIEW_CAPABILITY)) {
        throw validationError('reviewerId', `must name an active user who holds the '${REVIEW_CAPABILITY}' capability`);
      }
    }
    const review: AccessReviewsTable = {
      id: newId(now.getTime()),
      name,
      state: 'open',
      reviewer_id: reviewerId,
      created_by: deciderLabel(actor),
      due_at: new Date(now.getTime() + dueInDays * DAY_MS).toISOString(),
      escalate_at: new Date(now.getTime() + escalateAfterDays * DAY_MS).toISOString(),
      last_reminder_at: null,
      created_at: now.toISOString(),
      closed_at: null,
      evidence: null,
    };
    const items: AccessReviewItemsTable[] = snapshots.map((s) => ({
      id: newId(now.getTime()),
      review_id: review.id,
      user_id: s.userId,
      snapshot: JSON.stringify(s),
      decision: null,
      decided_by: null,
      decided_at: null,
      comment: null,
      escalated_at: null,
    }));
    await this.deps.repo.insertReview(review, items);
    this.emit('access_review.started', eventContext(actor), review.id, {
      name,
      reviewerId,
      items: items.length,
      dueAt: review.due_at,
      escalateAt: review.escalate_at,
    });
    return this.view(review);
  }

  async list(actor: Actor, limit = 50): Promise<ReviewSummary[]> {
    requireCapability(actor, REVIEW_CAPABILITY);
    const rows = await this.deps.repo.reviews(Math.min(Math.max(Math.trunc(limit), 1), 200));
    const counts = await this.deps.repo.counts(rows.map((r) => r.id));
    const now = this.deps.clock.now();
    return rows.map((r) => summary(r, counts.get(r.id), now));
  }

  async get(actor: Actor, id: string): Promise<ReviewView> {
    requireCapability(actor, REVIEW_CAPABILITY);
    return this.view(await this.load(id));
  }

  async decide(actor: Actor, reviewId: string, itemId: string, input: DecideInput): Promise<ReviewItemView> {
    requireCapability(actor, REVIEW_CAPABILITY);
    if (input.decision !== 'certify' && input.decision !== 'revoke') {
      throw validationError('decision', "must be 'certify' or 'revoke'");
    }
    const comment =
      input.comment === undefined || input.comment === null || input.comment.trim() === ''
        ? null
        : checkText('comment', input.comment, MAX_COMMENT_LENGTH, true);
    const review = await this.load(reviewId);
    if (review.state !== 'open') throw closedConflict();
    const item = await this.deps.repo.item(reviewId, itemId);
    if (!item) throw notFound('Access review item');
    const person = actor.kind !== 'system';
    if (person && item.user_id === actor.userId) {
      this.emit('access_review.self_review_refused', eventContext(actor), reviewId, { itemId }, 'failure');
      throw forbidden('Separation of duties: you may not review your own access; another reviewer must decide it.');
    }
    // An assigned reviewer decides everything except their own item, which any other holder of review-access may.
    if (person && review.reviewer_id !== null && actor.userId !== review.reviewer_id) {
      if (item.user_id !== review.reviewer_id) throw forbidden('This access review is assigned to another reviewer.');
    }
    if (item.decision !== null) throw alreadyDecided();

    const decidedBy = deciderLabel(actor);
    const decidedAt = this.deps.clock.now().toISOString();
    const recorded = await this.deps.repo.decide(reviewId, item.id, {
      decision: input.decision,
      decided_by: decidedBy,
      decided_at: decidedAt,
      comment,
    });
    if (recorded === 'closed') throw closedConflict();
    if (recorded === 'already-decided') throw alreadyDecided();
    let rolesRemoved: readonly string[] = [];
    if (input.decision === 'revoke') {
      try {
        rolesRemoved = await this.removeRoles(actor, reviewId, item.user_id);
      } catch (err) {
        // Identity refused (the last active administrator) or failed: the decision did not happen.
        if (!(await this.deps.repo.undoDecision(reviewId, item.id, decidedBy, decidedAt))) {
          // The campaign closed in between, its evidence naming this revoke: leave a trace that it failed.
          this.emit(
            'access_review.revoke_failed',
            eventContext(actor),
            reviewId,
            { itemId: item.id, userId: item.user_id, error: err instanceof AppError ? err.code : 'internal' },
            'failure',
          );
        }
        throw err;
      }
    }
    this.emit('access_review.decided', eventContext(actor), reviewId, {
      itemId: item.id,
      userId: item.user_id,
      decision: input.decision,
      decidedBy,
      ...(input.decision === 'revoke' ? { rolesRemoved } : {}),
    });
    const saved = await this.deps.repo.item(reviewId, itemId);
    if (!saved) throw notFound('Access review item');
    return itemView(saved);
  }

  /** Sends a reminder for one open campaign now, unless one went out within the last day. */
  async remindOne(actor: Actor, id: string): Promise<RemindOutcome> {
    requireCapability(actor, REVIEW_CAPABILITY);
    const review = await this.load(id);
    if (review.state !== 'open') throw closedConflict();
    const now = this.deps.clock.now();
    const undecided = countsOf((await this.deps.repo.counts([id])).get(id)).undecided;
    if (undecided === 0)
      return { reminded: false, undecided, lastReminderAt: review.last_reminder_at, nextReminderAt: null };
    const last = review.last_reminder_at;
    if (last !== null && now.getTime() - Date.parse(last) < REMINDER_INTERVAL_MS) {
      return {
        reminded: false,
        undecided,
        lastReminderAt: last,
        nextReminderAt: new Date(Date.parse(last) + REMINDER_INTERVAL_MS).toISOString(),
      };
    }
    const sent = await this.sendReminder(review, undecided, now, eventContext(actor));
    const lastReminderAt = sent ? now.toISOString() : ((await this.deps.repo.review(id))?.last_reminder_at ?? null);
    return {
      reminded: sent,
      undecided,
      lastReminderAt,
      nextReminderAt: lastReminderAt ? new Date(Date.parse(lastReminderAt) + REMINDER_INTERVAL_MS).toISOString() : null,
    };
  }

  /**
   * The scheduled reminder: every open campaign with undecided items is reminded at most once a day (the first a
   * day after it started). Returns the campaigns reminded.
   */
  async remind(now: Date = this.deps.clock.now()): Promise<string[]> {
    const open = await this.deps.repo.openReviews();
    const counts = await this.deps.repo.counts(open.map((r) => r.id));
    const reminded: string[] = [];
    for (const review of open) {
      const undecided = countsOf(counts.get(review.id)).undecided;
      if (undecided === 0) continue;
      const since = review.last_reminder_at ?? review.created_at;
      if (now.getTime() - Date.parse(since) < REMINDER_INTERVAL_MS) continue;
      if (await this.sendReminder(review, undecided, now, systemContext())) reminded.push(review.id);
    }
    return reminded;
  }

  /**
   * Escalation: undecided items of open campaigns past their escalation date are marked escalated (once) and the
   * security officers (holders of review-access) are told. Returns how many items were escalated.
   */
  async escalate(now: Date = this.deps.clock.now()): Promise<{ reviews: string[]; items: number }> {
    const due = (await this.deps.repo.openReviews()).filter((r) => Date.parse(r.escalate_at) <= now.getTime());
    const out = { reviews: [] as string[], items: 0 };
    if (due.length === 0) return out;
    let notify: string[] | null = null;
    for (const review of due) {
      const marked = await this.deps.repo.escalate(review.id, now.toISOString());
      if (marked.length === 0) continue;
      notify ??= await this.reviewerIds();
      out.reviews.push(review.id);
      out.items += marked.length;
      this.emit('access_review.escalated', systemContext(), review.id, {
        name: review.name,
        reviewerId: review.reviewer_id,
        escalateAt: review.escalate_at,
        dueAt: review.due_at,
        items: marked.length,
        itemIds: marked.map((m) => m.id),
        userIds: marked.map((m) => m.user_id),
        notifyCapability: REVIEW_CAPABILITY,
        notify,
      });
    }
    return out;
  }

  /** Closes a campaign once every item is decided (or, with `force` and a reason, with some unanswered). */
  async close(actor: Actor, id: string, input: CloseInput = {}): Promise<ReviewView> {
    requireCapability(actor, REVIEW_CAPABILITY);
    const review = await this.load(id);
    if (review.state !== 'open') throw closedConflict();
    const force = input.force === true;
    const reason = input.reason === undefined ? null : checkText('reason', input.reason, MAX_COMMENT_LENGTH, true);
    if (force && reason === null) throw validationError('reason', 'is required when forcing a close');
    const closedAt = this.deps.clock.now().toISOString();
    const built: { evidence?: ReviewEvidence } = {};
    const text = await this.deps.repo.close(id, closedAt, (items) => {
      const undecided = items.filter((i) => i.decision === null).length;
      if (undecided > 0 && !force) {
        throw new AppError('SEPAR_ERR_CONFLICT', 'Undecided items', {
          detail: `${undecided} item${undecided === 1 ? '' : 's'} still need${undecided === 1 ? 's' : ''} a decision (certify or revoke). To close anyway, force it and give a reason.`,
        });
      }
      built.evidence = buildEvidence(review, items, {
        closedAt,
        closedBy: deciderLabel(actor),
        forced: undecided > 0,
        forceReason: force ? reason : null,
      });
      return JSON.stringify(built.evidence);
    });
    const evidence = built.evidence;
    if (text === null || evidence === undefined) throw closedConflict();
    this.emit('access_review.closed', eventContext(actor), id, {
      name: review.name,
      counts: evidence.counts,
      forced: evidence.review.forced,
      ...(evidence.review.forceReason !== null ? { reason: evidence.review.forceReason } : {}),
      snapshotSha256: evidence.snapshotSha256,
      evidenceSha256: sha256(text),
    });
    return this.view(await this.load(id));
  }

  /** Every user as they are now: roles, teams, effective permissions from the role policies, last activity. */
  async snapshotAll(): Promise<AccessSnapshot[]> {
    const { repo, resolver } = this.deps;
    const [users, roles, teams, tokenUse] = await Promise.all([
      repo.directory(),
      repo.rolesByUser(),
      repo.teamsByUser(),
      repo.lastTokenUse(),
    ]);
    const out: AccessSnapshot[] = [];
    for (const u of users) {
      const userRoles = roles.get(u.id) ?? [];
      const policies: RolePolicy[] = [];
      for (const r of userRoles) policies.push(await resolver.policyOf(r));
      out.push(snapshotOf(u, userRoles, teams.get(u.id) ?? [], policies, tokenUse.get(u.id)));
    }
    return out;
  }

  /** Active users who hold review-access through their roles (the security officers, by default). */
  async reviewerIds(): Promise<string[]> {
    const [users, roles] = await Promise.all([
      this.deps.repo.directory({ activeOnly: true }),
      this.deps.repo.rolesByUser(),
    ]);
    const out: string[] = [];
    for (const u of users) {
      const policies: RolePolicy[] = [];
      for (const r of roles.get(u.id) ?? []) policies.push(await this.deps.resolver.policyOf(r));
      if (new EffectiveAccess(policies, null, []).has(REVIEW_CAPABILITY)) out.push(u.id);
    }
    return out;
  }

  private async removeRoles(actor: Actor, reviewId: string, userId: string): Promise<readonly string[]> {
    const users = this.deps.users();
    const internal = delegatedActor(actor, `access review ${reviewId}: revoke decided by ${deciderLabel(actor)}`);
    // A concurrent change to the user (a sign-in, an edit) bumps its version: read again and retry once.
    for (let attempt = 0; ; attempt++) {
      const user = await users.getUser(internal, userId);
      if (user.roles.length === 0) return [];
      try {
        await users.updateUser(internal, userId, { roles: [] }, user.version);
        return [...user.roles];
      } catch (err) {
        if (attempt === 0 && err instanceof AppError && err.code === 'SEPAR_ERR_VERSION_CONFLICT') continue;
        throw err;
      }
    }
  }

  private async sendReminder(
    review: AccessReviewsTable,
    undecided: number,
    now: Date,
    context: EventContext,
  ): Promise<boolean> {
    if (!(await this.deps.repo.markReminded(review.id, review.last_reminder_at, now.toISOString()))) return false;
    this.emit('access_review.reminder', context, review.id, {
      name: review.name,
      reviewerId: review.reviewer_id,
      undecided,
      dueAt: review.due_at,
      overdue: now.getTime() > Date.parse(review.due_at),
      notify: review.reviewer_id !== null ? [review.reviewer_id] : await this.reviewerIds(),
    });
    return true;
  }

  private async load(id: string): Promise<AccessReviewsTable> {
    const r = await this.deps.repo.review(id);
    if (!r) throw notFound('Access review');
    return r;
  }

  private async view(review: AccessReviewsTable): Promise<ReviewView> {
    const items = await this.deps.repo.items(review.id);
    const counts = await this.deps.repo.counts([review.id]);
    return {
      ...summary(review, counts.get(review.id), this.deps.clock.now()),
      items: items.map(itemView),
      evidence: review.evidence === null ? null : (JSON.parse(review.evidence) as ReviewEvidence),
      evidenceSha256: review.evidence === null ? null : sha256(review.evidence),
    };
  }

  private emit(
    type: string,
    context: EventContext,
    reviewId: string,
    detail: Record<string, unknown>,
    outcome: 'success' | 'failure' = 'success',
  ): void {
    this.deps.bus.emit({
      type,
      at: this.deps.clock.now().toISOString(),
      outcome,
      context,
      target: { type: 'access_review', id: reviewId },
      detail,
    });
  }
}
