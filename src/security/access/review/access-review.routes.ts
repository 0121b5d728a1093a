import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { actorOf } from '../../../http/auth.js';
import {
  DEFAULT_DUE_IN_DAYS,
  DEFAULT_ESCALATE_AFTER_DAYS,
  MAX_CAMPAIGN_DAYS,
  MAX_COMMENT_LENGTH,
  MAX_NAME_LENGTH,
  type CloseInput,
  type DecideInput,
  type StartReviewInput,
} from './access-review.model.js';
import type { AccessReviewService } from './access-review.service.js';
import type { DormantAccountService } from './dormant-accounts.service.js';

const Uuid = Type.String({ format: 'uuid' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const strict = { additionalProperties: false } as const;
const DecisionSchema = Type.Union([Type.Literal('certify'), Type.Literal('revoke')]);
const Days = (description: string) => Type.Integer({ minimum: 1, maximum: MAX_CAMPAIGN_DAYS, description });

const SnapshotProps = {
  userId: Type.String(),
  email: Type.String(),
  name: Type.String(),
  status: Type.String(),
  roles: Type.Array(Type.String()),
  teams: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), role: Type.String() }, strict)),
  permissions: Type.Object(
    {
      objects: Type.Record(
        Type.String(),
        Type.Object({ ops: Type.Array(Type.String()), scope: Nullable(Type.String()) }, strict),
      ),
      capabilities: Type.Array(Type.String()),
      reveal: Type.Array(Type.String()),
    },
    strict,
  ),
  createdAt: Type.String(),
  lastLoginAt: Nullable(Type.String()),
  lastActivityAt: Nullable(Type.String({ description: 'The later of the last sign-in and the last API-token use' })),
};

const ItemSchema = Type.Object(
  {
    id: Type.String(),
    ...SnapshotProps,
    decision: Nullable(DecisionSchema),
    decidedBy: Nullable(Type.String({ description: "The deciding user's id, or 'cli'" })),
    decidedAt: Nullable(Type.String()),
    comment: Nullable(Type.String()),
    escalatedAt: Nullable(Type.String()),
  },
  strict,
);

const CountsSchema = Type.Object(
  {
    total: Type.Integer(),
    certified: Type.Integer(),
    revoked: Type.Integer(),
    undecided: Type.Integer(),
    escalated: Type.Integer(),
  },
  strict,
);

const SummaryProps = {
  id: Type.String(),
  name: Type.String(),
  state: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  reviewerId: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  dueAt: Type.String(),
  escalateAt: Type.String(),
  lastReminderAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  overdue: Type.Boolean(),
  counts: CountsSchema,
};
const SummarySchema = Type.Object(SummaryProps, strict);

const EvidenceSchema = Type.Object(
  {
    format: Type.String(),
    review: Type.Object(
      {
        id: Type.String(),
        name: Type.String(),
        reviewerId: Nullable(Type.String()),
        createdBy: Nullable(Type.String()),
        createdAt: Type.String(),
        dueAt: Type.String(),
        escalateAt: Type.String(),
        closedAt: Type.String(),
        closedBy: Type.String(),
        forced: Type.Boolean(),
        forceReason: Nullable(Type.String()),
      },
      strict,
    ),
    counts: CountsSchema,
    snapshotSha256: Type.String(),
    items: Type.Array(
      Type.Object(
        {
          itemId: Type.String(),
          userId: Type.String(),
          email: Type.String(),
          roles: Type.Array(Type.String()),
          snapshotSha256: Type.String(),
          decision: Nullable(DecisionSchema),
          decidedBy: Nullable(Type.String()),
          decidedAt: Nullable(Type.String()),
          comment: Nullable(Type.String()),
          escalatedAt: Nullable(Type.String()),
        },
        strict,
      ),
    ),
  },
  strict,
);

const ReviewSchema = Type.Object(
  {
    ...SummaryProps,
    items: Type.Array(ItemSchema),
    evidence: Nullable(EvidenceSchema),
    evidenceSha256: Nullable(Type.String()),
  },
  strict,
);

const DormantProps = {
  userId: Type.String(),
  email: Type.String(),
  name: Type.String(),
  roles: Type.Array(Type.String()),
  createdAt: Type.String(),
  lastLoginAt: Nullable(Type.String()),
  lastActivityAt: Nullable(Type.String()),
  idleSince: Type.String(),
  idleDays: Type.Integer(),
};
const DormantSchema = Type.Object(DormantProps, strict);
const SkippedSchema = Type.Object({ ...DormantProps, reason: Type.String() }, strict);

const ReviewParams = Type.Object({ id: Uuid }, strict);

/** Access reviews and dormant accounts (capability `review-access`), under /api/v1/access-reviews. */
export function accessReviewRoutes(deps: { reviews: AccessReviewService; dormant: DormantAccountService }) {
  return (app: FastifyInstance): void => {
    const tags = ['Access reviews'];

    app.get(
      '/access-reviews',
      {
        schema: {
          tags,
          summary: 'Access-review campaigns, newest first',
          querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }, strict),
          response: { 200: Type.Object({ items: Type.Array(SummarySchema) }, strict) },
        },
      },
      async (req) => ({
        items: await deps.reviews.list(actorOf(req), (req.query as { limit?: number }).limit ?? 50),
      }),
    );

    app.post(
      '/access-reviews',
      {
        schema: {
          tags,
          summary: 'Start a campaign: snapshot every user (roles, teams, effective permissions, last activity)',
          body: Type.Object(
            {
              name: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_NAME_LENGTH })),
              reviewerId: Type.Optional(Uuid),
              dueInDays: Type.Optional(Days(`Days until the review is due (default ${DEFAULT_DUE_IN_DAYS})`)),
              escalateAfterDays: Type.Optional(
                Days(`Days after which undecided items escalate (default ${DEFAULT_ESCALATE_AFTER_DAYS})`),
              ),
            },
            strict,
          ),
          response: { 201: ReviewSchema },
        },
      },
      async (req, reply) => reply.code(201).send(await deps.reviews.start(actorOf(req), req.body as StartReviewInput)),
    );

    app.get(
      '/access-reviews/dormant',
      {
        schema: {
          tags,
          summary: 'Active accounts with no sign-in or API use within the dormancy limit (90 days)',
          response: {
            200: Type.Object(
              {
                generatedAt: Type.String(),
                dormantAfterDays: Type.Integer(),
                cutoff: Type.String(),
                accounts: Type.Array(DormantSchema),
              },
              strict,
            ),
          },
        },
      },
      async (req) => deps.dormant.report(actorOf(req)),
    );

    app.post(
      '/access-reviews/dormant/disable',
      {
        config: { stepUp: true },
        schema: {
          tags,
          summary: 'Disable the dormant accounts (never the last active administrator: those are reported skipped)',
          response: {
            200: Type.Object(
              {
                ranAt: Type.String(),
                dormantAfterDays: Type.Integer(),
                cutoff: Type.String(),
                disabled: Type.Array(DormantSchema),
                skipped: Type.Array(SkippedSchema),
              },
              strict,
            ),
          },
        },
      },
      async (req) => deps.dormant.run(actorOf(req)),
    );

    app.get(
      '/access-reviews/:id',
      {
        schema: {
          tags,
          summary: 'A campaign with its items and, once closed, its evidence',
          params: ReviewParams,
          response: { 200: ReviewSchema },
        },
      },
      async (req) => deps.reviews.get(actorOf(req), (req.params as { id: string }).id),
    );

    app.post(
      '/access-reviews/:id/items/:itemId/decision',
      {
        config: { stepUp: true },
        schema: {
          tags,
          summary: "Certify or revoke one user's access (revoking removes their roles and ends their sessions)",
          params: Type.Object({ id: Uuid, itemId: Uuid }, strict),
          body: Type.Object(
            {
              decision: DecisionSchema,
              comment: Type.Optional(Type.String({ maxLength: MAX_COMMENT_LENGTH })),
            },
            strict,
          ),
          response: { 200: ItemSchema },
        },
      },
      async (req) => {
        const p = req.params as { id: string; itemId: string };
        return deps.reviews.decide(actorOf(req), p.id, p.itemId, req.body as DecideInput);
      },
    );

    app.post(
      '/access-reviews/:id/close',
      {
        schema: {
          tags,
          summary:
            'Close a campaign and keep its evidence (refused while items are undecided, unless forced with a reason)',
          params: ReviewParams,
          body: Type.Object(
            {
              force: Type.Optional(Type.Boolean()),
              reason: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_COMMENT_LENGTH })),
            },
            strict,
          ),
          response: { 200: ReviewSchema },
        },
      },
      async (req) => deps.reviews.close(actorOf(req), (req.params as { id: string }).id, req.body as CloseInput),
    );

    app.post(
      '/access-reviews/:id/remind',
      {
        schema: {
          tags,
          summary: 'Remind the reviewers of undecided items (at most once a day)',
          params: ReviewParams,
          response: {
            200: Type.Object(
              {
                reminded: Type.Boolean(),
                undecided: Type.Integer(),
                lastReminderAt: Nullable(Type.String()),
                nextReminderAt: Nullable(Type.String()),
              },
              strict,
            ),
          },
        },
      },
      async (req) => deps.reviews.remindOne(actorOf(req), (req.params as { id: string }).id),
    );
  };
}
