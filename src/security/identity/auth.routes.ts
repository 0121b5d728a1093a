import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { actorOf, checkSameOrigin, requestMeta, SESSION_COOKIE } from '../../http/auth.js';
import type { RouteModule } from '../../http/app.js';
import { LoginBody, LoginResponse } from './auth.schema.js';
import { NoContent, NoQuery } from './common.schema.js';
import { CLEAR_SITE_DATA, SESSION_COOKIE_OPTIONS } from './cookie.js';
import type { LoginService } from './login.service.js';
import type { SessionService } from './session.service.js';

export interface AuthRoutesDeps {
  logins: LoginService;
  sessions: SessionService;
  /** The origin browsers use (SEPAR_PUBLIC_URL): a login posted from anywhere else is refused (login CSRF). */
  publicOrigin: string;
}

export function authRoutes(deps: AuthRoutesDeps): RouteModule {
  return (app: FastifyInstance): void => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();

    r.post(
      '/auth/login',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with email and password',
          description:
            'Starts a session: sets the `__Host-separ_session` cookie and returns the CSRF token to send as X-CSRF-Token. ' +
            'Every failure answers 401 SEPAR_ERR_INVALID_CREDENTIALS with the same body.',
          security: [],
          querystring: NoQuery,
          body: LoginBody,
          response: { 200: LoginResponse },
        },
      },
      async (req, reply) => {
        checkSameOrigin(req, deps.publicOrigin);
        const result = await deps.logins.login(req.body.email, req.body.password, requestMeta(req), {
          previousSessionToken: req.cookies[SESSION_COOKIE] ?? null,
        });
        void reply.setCookie(SESSION_COOKIE, result.session.token, SESSION_COOKIE_OPTIONS);
        return { user: result.user, csrfToken: result.session.csrfToken };
      },
    );

    r.post(
      '/auth/logout',
      {
        schema: {
          tags: ['auth'],
          summary: 'Sign out: end this session and clear the cookie',
          querystring: NoQuery,
          response: { 204: NoContent },
        },
      },
      async (req, reply) => {
        await deps.sessions.logout(actorOf(req));
        void reply.clearCookie(SESSION_COOKIE, SESSION_COOKIE_OPTIONS);
        void reply.header('clear-site-data', CLEAR_SITE_DATA);
        return reply.code(204).send(null);
      },
    );
  };
}
