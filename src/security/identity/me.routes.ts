import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { actorOf, SESSION_COOKIE } from '../../http/auth.js';
import type { RouteModule } from '../../http/app.js';
import { notFound } from '../../platform/app-error.js';
import { currentSession, signInContext } from './auth-reply.js';
import { ChangePasswordBody, ChangedPasswordSchema, MeSchema } from './auth.schema.js';
import { NoContent, NoQuery } from './common.schema.js';
import { SESSION_COOKIE_OPTIONS } from './cookie.js';
import { DEVICE_COOKIE, DEVICE_COOKIE_OPTIONS, type DeviceCookies } from './devices/device-cookie.js';
import { RevokeSessionsQuery, SessionListSchema, SessionParams } from './session.schema.js';
import { publicSessionId, type SessionService } from './session.service.js';
import type { SignInFlow } from './sign-in.service.js';
import type { UserService } from './user.service.js';

export interface MeRoutesDeps {
  users: UserService;
  sessions: SessionService;
  signIn: SignInFlow;
  deviceCookies: DeviceCookies;
}

export function meRoutes(deps: MeRoutesDeps): RouteModule {
  return (app: FastifyInstance): void => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();

    r.get(
      '/me',
      {
        config: { sessionKinds: ['restricted'] },
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
        config: { sessionKinds: ['restricted'] },
        schema: {
          tags: ['me'],
          summary: 'Change your password (needs the current one); your other sessions end',
          description:
            'In a session that must change an administrator-chosen password first, the answer is 200 with the ' +
            'session’s new CSRF token and what is left to set up; otherwise 204.',
          querystring: NoQuery,
          body: ChangePasswordBody,
          response: { 200: ChangedPasswordSchema, 204: NoContent },
        },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        await deps.users.changePassword(actor, req.body.currentPassword, req.body.newPassword);
        if (req.auth?.sessionKind !== 'restricted') return reply.code(204).send(null);
        const session = await currentSession(req, deps.sessions);
        const next = await deps.signIn.afterSetupStep(session, await signInContext(req, deps.deviceCookies));
        if (next.session) void reply.setCookie(SESSION_COOKIE, next.session.token, SESSION_COOKIE_OPTIONS);
        if (next.deviceCookie) void reply.setCookie(DEVICE_COOKIE, next.deviceCookie, DEVICE_COOKIE_OPTIONS);
        return reply
          .code(200)
          .send({ csrfToken: next.session?.csrfToken ?? session.csrfToken, setupRequired: next.setup });
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
