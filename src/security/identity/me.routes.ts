import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { actorOf, SESSION_COOKIE } from '../../http/auth.js';
import type { RouteModule } from '../../http/app.js';
import { notFound } from '../../platform/app-error.js';
import { ChangePasswordBody, MeSchema } from './auth.schema.js';
import { NoContent, NoQuery } from './common.schema.js';
import { SESSION_COOKIE_OPTIONS } from './cookie.js';
import { RevokeSessionsQuery, SessionListSchema, SessionParams } from './session.schema.js';
import { publicSessionId, type SessionService } from './session.service.js';
import type { UserService } from './user.service.js';

export interface MeRoutesDeps {
  users: UserService;
  sessions: SessionService;
}

export function meRoutes(deps: MeRoutesDeps): RouteModule {
  return (app: FastifyInstance): void => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();

    r.get(
      '/me',
      {
        schema: {
          tags: ['me'],
          summary: 'The signed-in user',
          querystring: NoQuery,
          response: { 200: MeSchema },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        const me = await deps.users.findView(actor.userId);
        if (!me) throw notFound('User');
        return {
          id: me.id,
          email: me.email,
          name: me.name,
          roles: me.roles,
          status: me.status,
          csrfToken: actor.kind === 'user' ? req.csrfToken : null,
          authMethod: actor.kind === 'token' ? ('token' as const) : ('session' as const),
        };
      },
    );

    r.post(
      '/me/password',
      {
        schema: {
          tags: ['me'],
          summary: 'Change your password (needs the current one); your other sessions end',
          querystring: NoQuery,
          body: ChangePasswordBody,
          response: { 204: NoContent },
        },
      },
      async (req, reply) => {
        await deps.users.changePassword(actorOf(req), req.body.currentPassword, req.body.newPassword);
        return reply.code(204).send(null);
      },
    );

    r.get(
      '/me/sessions',
      {
        schema: {
          tags: ['me'],
          summary: 'Your live sessions',
          querystring: NoQuery,
          response: { 200: SessionListSchema },
        },
      },
      async (req) => ({ items: await deps.sessions.list(actorOf(req)) }),
    );

    r.delete(
      '/me/sessions/:id',
      {
        schema: {
          tags: ['me'],
          summary: 'End one of your sessions',
          params: SessionParams,
          querystring: NoQuery,
          response: { 204: NoContent },
        },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        await deps.sessions.revoke(actor, req.params.id);
        if (actor.sessionId !== null && publicSessionId(actor.sessionId) === req.params.id) {
          void reply.clearCookie(SESSION_COOKIE, SESSION_COOKIE_OPTIONS);
        }
        return reply.code(204).send(null);
      },
    );

    r.delete(
      '/me/sessions',
      {
        schema: {
          tags: ['me'],
          summary: 'End all your other sessions (all=true: this one too)',
          querystring: RevokeSessionsQuery,
          response: { 204: NoContent },
        },
      },
      async (req, reply) => {
        const includeCurrent = req.query.all === true;
        await deps.sessions.revokeAll(actorOf(req), { includeCurrent });
        if (includeCurrent) void reply.clearCookie(SESSION_COOKIE, SESSION_COOKIE_OPTIONS);
        return reply.code(204).send(null);
      },
    );
  };
}
