import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { actorOf, checkSameOrigin, requestMeta } from '../../../http/auth.js';
import type { RouteModule } from '../../../http/app.js';
import { IdParams, NoContent, NoQuery } from '../common.schema.js';
import type { AccountLifecycle } from './account-lifecycle.service.js';
import {
  AcceptedSchema,
  AcceptInvitationBody,
  InvitationSchema,
  ResetCompleteBody,
  ResetRequestBody,
} from './lifecycle.schema.js';

export interface LifecycleRoutesDeps {
  lifecycle: AccountLifecycle;
  publicOrigin: string;
}

export function lifecycleRoutes(deps: LifecycleRoutesDeps): RouteModule {
  return (app: FastifyInstance): void => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();

    r.post(
      '/users/:id/invitation',
      {
        config: { stepUp: true },
        schema: {
          tags: ['users'],
          summary: 'Invite a user without a password: a single-use link (24 h) to choose one',
          params: IdParams,
          querystring: NoQuery,
          response: { 201: InvitationSchema },
        },
      },
      async (req, reply) => reply.code(201).send(await deps.lifecycle.invite(actorOf(req), req.params.id)),
    );

    r.post(
      '/auth/invitation/accept',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'Choose your first password with an invitation link',
          description: 'Then sign in; you will be asked to set up two-step sign-in.',
          security: [],
          querystring: NoQuery,
          body: AcceptInvitationBody,
          response: { 204: NoContent },
        },
      },
      async (req, reply) => {
        checkSameOrigin(req, deps.publicOrigin);
        await deps.lifecycle.acceptInvitation(req.body.token, req.body.password, requestMeta(req));
        return reply.code(204).send(null);
      },
    );

    r.post(
      '/auth/password-reset',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'Ask for a password reset link by email',
          description: 'Always answers 202 the same way, whether or not the address has an account.',
          security: [],
          querystring: NoQuery,
          body: ResetRequestBody,
          response: { 202: AcceptedSchema },
        },
      },
      async (req, reply) => {
        checkSameOrigin(req, deps.publicOrigin);
        await deps.lifecycle.requestPasswordReset(req.body.email, requestMeta(req));
        return reply.code(202).send({
          status: 'accepted' as const,
          message: 'If this address belongs to an account, a reset link is on its way. It works once, for 30 minutes.',
        });
      },
    );

    r.post(
      '/auth/password-reset/complete',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'Set a new password with a reset link; every session of the account ends',
          description: 'Signing in afterwards still needs the second factor.',
          security: [],
          querystring: NoQuery,
          body: ResetCompleteBody,
          response: { 204: NoContent },
        },
      },
      async (req, reply) => {
        checkSameOrigin(req, deps.publicOrigin);
        await deps.lifecycle.completePasswordReset(req.body.token, req.body.password, requestMeta(req));
        return reply.code(204).send(null);
      },
    );
  };
}
