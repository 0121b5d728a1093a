import type { Db } from '../../../db/index.js';
import type { Transaction } from 'kysely';
import type { AccessReviewItemsTable, AccessReviewsTable, Database } from '../../../db/database.js';

/** One user as the directory holds them: what a review snapshot and the dormant-account check read. */
export interface DirectoryUser {
  id: string;
  email: string;
  name: string;
  status: string;
  created_at: string;
  last_login_at: string | null;
  status_changed_at: string | null;
  version: number;
}

export interface ItemCounts {
  total: number;
  certified: number;
  revoked: number;
  escalated: number;
}

/**
 * Locks an open campaign's row until the transaction ends (a no-op write: portable, unlike SELECT … FOR UPDATE), so
 * decisions, escalations and the close never interleave. False when the campaign is not open.
 */
async function lockOpen(trx: Transaction<Database>, reviewId: string): Promise<boolean> {
  const r = await trx
    .updateTable('access_reviews')
    .set((eb) => ({ state: eb.ref('state') }))
    .where('id', '=', reviewId)
    .where('state', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Rows per INSERT: well under both dialects' bound-parameter limits (9 columns an item). */
const INSERT_CHUNK = 200;

/**
 * Access-review campaigns and their items, plus the read-only view of users, roles, teams and API-token use the
 * snapshots and the dormant-account check need. Writing users (roles, status) is identity's business: this
 * repository never updates the users tables.
 */
export class AccessReviewRepository {
  constructor(private readonly db: Db) {}

  async insertReview(review: AccessReviewsTable, items: readonly AccessReviewItemsTable[]): Promise<void> {
    await this.db.kysely.transaction().execute(async (trx) => {
      await trx.insertInto('access_reviews').values(review).execute();
      for (let i = 0; i < items.length; i += INSERT_CHUNK) {
        await trx
          .insertInto('access_review_items')
          .values(items.slice(i, i + INSERT_CHUNK))
          .execute();
      }
    });
  }

  review(id: string): Promise<AccessReviewsTable | undefined> {
    return this.db.kysely.selectFrom('access_reviews').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Newest first. */
  reviews(limit: number): Promise<AccessReviewsTable[]> {
    return this.db.kysely
      .selectFrom('access_reviews')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  openReviews(): Promise<AccessReviewsTable[]> {
    return this.db.kysely.selectFrom('access_reviews').selectAll().where('state', '=', 'open').orderBy('id').execute();
  }

  /** Items of one campaign in the order they were snapshotted (UUIDv7 ids sort by creation). */
  items(reviewId: string): Promise<AccessReviewItemsTable[]> {
    return this.db.kysely
      .selectFrom('access_review_items')
      .selectAll()
      .where('review_id', '=', reviewId)
      .orderBy('id')
      .execute();
  }

  item(reviewId: string, itemId: string): Promise<AccessReviewItemsTable | undefined> {
    return this.db.kysely
      .selectFrom('access_review_items')
      .selectAll()
      .where('review_id', '=', reviewId)
      .where('id', '=', itemId)
      .executeTakeFirst();
  }

  async counts(reviewIds: readonly string[]): Promise<Map<string, ItemCounts>> {
    const out = new Map<string, ItemCounts>();
    if (reviewIds.length === 0) return out;
    const rows = await this.db.kysely
      .selectFrom('access_review_items')
      .select((eb) => [
        'review_id',
        'decision',
        eb.fn.countAll<number | string>().as('n'),
        eb.fn.count<number | string>('escalated_at').as('escalated'),
      ])
      .where('review_id', 'in', reviewIds)
      .groupBy(['review_id', 'decision'])
      .execute();
    for (const r of rows) {
      const c = out.get(r.review_id) ?? { total: 0, certified: 0, revoked: 0, escalated: 0 };
      const n = Number(r.n);
      c.total += n;
      if (r.decision === 'certify') c.certified += n;
      if (r.decision === 'revoke') c.revoked += n;
      c.escalated += Number(r.escalated);
      out.set(r.review_id, c);
    }
    return out;
  }

  /**
   * Records a decision on an item of an open campaign unless one exists already (two reviewers racing: one wins).
   * The campaign row is locked first, so a decision and a close never interleave.
   */
  async decide(
    reviewId: string,
    itemId: string,
    decision: { decision: string; decided_by: string; decided_at: string; comment: string | null },
  ): Promise<'decided' | 'closed' | 'already-decided'> {
    return this.db.kysely.transaction().execute(async (trx) => {
      if (!(await lockOpen(trx, reviewId))) return 'closed';
      const r = await trx
        .updateTable('access_review_items')
        .set(decision)
        .where('id', '=', itemId)
        .where('review_id', '=', reviewId)
        .where('decision', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0 ? 'decided' : 'already-decided';
    });
  }

  /** Takes back a decision this process just recorded, when carrying it out failed; false once the campaign closed. */
  async undoDecision(reviewId: string, itemId: string, decidedBy: string, decidedAt: string): Promise<boolean> {
    return this.db.kysely.transaction().execute(async (trx) => {
      if (!(await lockOpen(trx, reviewId))) return false;
      await trx
        .updateTable('access_review_items')
        .set({ decision: null, decided_by: null, decided_at: null, comment: null })
        .where('id', '=', itemId)
        .where('decided_by', '=', decidedBy)
        .where('decided_at', '=', decidedAt)
        .execute();
      return true;
    });
  }

  /** Sets last_reminder_at when it is still what the caller read (one reminder even with several instances). */
  async markReminded(id: string, previous: string | null, now: string): Promise<boolean> {
    let q = this.db.kysely
      .updateTable('access_reviews')
      .set({ last_reminder_at: now })
      .where('id', '=', id)
      .where('state', '=', 'open');
    q = previous === null ? q.where('last_reminder_at', 'is', null) : q.where('last_reminder_at', '=', previous);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Marks the undecided, not yet escalated items of a campaign as escalated at `now`; returns those items. */
  async escalate(reviewId: string, now: string): Promise<{ id: string; user_id: string }[]> {
    return this.db.kysely.transaction().execute(async (trx) => {
      if (!(await lockOpen(trx, reviewId))) return [];
      const r = await trx
        .updateTable('access_review_items')
        .set({ escalated_at: now })
        .where('review_id', '=', reviewId)
        .where('decision', 'is', null)
        .where('escalated_at', 'is', null)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return [];
      return trx
        .selectFrom('access_review_items')
        .select(['id', 'user_id'])
        .where('review_id', '=', reviewId)
        .where('decision', 'is', null)
        .where('escalated_at', '=', now)
        .orderBy('id')
        .execute();
    });
  }

  /**
   * Closes an open campaign and stores its evidence, built by `evidence` from the items as they are once the
   * campaign is locked (no decision can slip in between). Throwing from `evidence` leaves the campaign open.
   * False when it was closed already: evidence is written once and never updated.
   */
  async close(
    id: string,
    closedAt: string,
    evidence: (items: AccessReviewItemsTable[]) => string,
  ): Promise<string | null> {
    return this.db.kysely.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('access_reviews')
        .set({ state: 'closed', closed_at: closedAt })
        .where('id', '=', id)
        .where('state', '=', 'open')
        .where('evidence', 'is', null)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return null;
      const items = await trx
        .selectFrom('access_review_items')
        .selectAll()
        .where('review_id', '=', id)
        .orderBy('id')
        .execute();
      const text = evidence(items);
      await trx.updateTable('access_reviews').set({ evidence: text }).where('id', '=', id).execute();
      return text;
    });
  }

  // --- read-only view of the directory (identity owns writes) ---

  directory(opts: { activeOnly?: boolean } = {}): Promise<DirectoryUser[]> {
    let q = this.db.kysely
      .selectFrom('users')
      .select(['id', 'email', 'name', 'status', 'created_at', 'last_login_at', 'status_changed_at', 'version'])
      .orderBy('email')
      .orderBy('id');
    if (opts.activeOnly) q = q.where('status', '=', 'active');
    return q.execute();
  }

  async rolesByUser(): Promise<Map<string, string[]>> {
    const rows = await this.db.kysely
      .selectFrom('user_roles')
      .select(['user_id', 'role_id'])
      .orderBy('user_id')
      .orderBy('role_id')
      .execute();
    const out = new Map<string, string[]>();
    for (const r of rows) out.set(r.user_id, [...(out.get(r.user_id) ?? []), r.role_id]);
    return out;
  }

  async teamsByUser(): Promise<Map<string, { id: string; name: string; role: string }[]>> {
    const rows = await this.db.kysely
      .selectFrom('team_members')
      .innerJoin('teams', 'teams.id', 'team_members.team_id')
      .select(['team_members.user_id', 'teams.id', 'teams.name', 'team_members.role'])
      .orderBy('team_members.user_id')
      .orderBy('teams.name')
      .execute();
    const out = new Map<string, { id: string; name: string; role: string }[]>();
    for (const r of rows) out.set(r.user_id, [...(out.get(r.user_id) ?? []), { id: r.id, name: r.name, role: r.role }]);
    return out;
  }

  /** When each user's API tokens were last used (API use is activity as much as a sign-in is). */
  async lastTokenUse(): Promise<Map<string, string>> {
    const rows = await this.db.kysely
      .selectFrom('api_tokens')
      .select((eb) => ['user_id', eb.fn.max('last_used_at').as('last')])
      .where('last_used_at', 'is not', null)
      .groupBy('user_id')
      .execute();
    const out = new Map<string, string>();
    for (const r of rows) if (r.last !== null) out.set(r.user_id, String(r.last));
    return out;
  }
}
