import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../../http/auth.js';
import type { RouteModule } from '../../http/app.js';
import { IdParams, NoContent, NoQuery } from './common.schema.js';
import { CreatedTokenSchema, CreateTokenBody, TokenListSchema } from './token.schema.js';
import type { TokenService } from './token.service.js';

export function tokenRoutes(deps: { tokens: TokenService }): RouteModule {
  return (app: FastifyInstance): void => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();

    r.get(
      '/me/tokens',
      {
        schema: {
          tags: ['me'],
          summary: 'Your API tokens (never the secrets)',
          querystring: NoQuery,
          response: { 200: TokenListSchema },
        },
      },
      async (req) => ({ items: await deps.tokens.listTokens(actorOf(req)) }),
    );

    r.post(
      '/me/tokens',
      {
        // A token outlives the session and skips MFA: minting one from a session needs a recent sign-in.
        config: { stepUp: true },
        schema: {
          tags: ['me'],
          summary: 'Create an API token; the token is in this response only',
          querystring: NoQuery,
          body: CreateTokenBody,
          response: { 201: CreatedTokenSchema },
        },
      },
      async (req, reply) => {
        const created = await deps.tokens.createToken(actorOf(req), {
          name: req.body.name,
          scopes: req.body.scopes ?? null,
          expiresAt: req.body.expiresAt ?? null,
        });
        return reply.code(201).send(created);
      },
    );

    r.delete(
      '/me/tokens/:id',
      {
        schema: {
          tags: ['me'],
          summary: 'Revoke one of your API tokens',
          params: IdParams,
          querystring: NoQuery,
          response: { 204: NoContent },
        },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        await deps.tokens.revokeToken(actor, req.params.id, { ownerId: actor.userId });
        return reply.code(204).send(null);
      },
    );
  };
}
