import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { RouteModule } from '../../../http/app.js';
import { requestMeta } from '../../../http/auth.js';
import { signInContext, signInReply } from '../auth-reply.js';
import type { DeviceCookies } from '../devices/device-cookie.js';
import { OIDC_COOKIE, OIDC_FLOW_TTL_MS, type OidcService } from './oidc.service.js';

export interface OidcRoutesDeps {
  oidc: OidcService;
  deviceCookies: DeviceCookies;
  publicUrl: string;
}

const OIDC_COOKIE_OPTIONS = {
  path: '/',
  secure: true,
  httpOnly: true,
  // Lax, not Strict: the cookie must come back on the identity provider's top-level redirect to the callback.
  sameSite: 'lax' as const,
  maxAge: OIDC_FLOW_TTL_MS / 1000,
};

const CallbackQuery = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 4096 })),
    state: Type.Optional(Type.String({ maxLength: 1024 })),
    iss: Type.Optional(Type.String({ maxLength: 1024 })),
    session_state: Type.Optional(Type.String({ maxLength: 1024 })),
    error: Type.Optional(Type.String({ maxLength: 256 })),
    error_description: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  { additionalProperties: false },
);

/**
 * The callback answers with a tiny page that moves on to the app (a meta refresh, no script): the SameSite=Strict
 * session cookie set here is sent on that same-site navigation, not on a cross-site redirect chain.
 */
const continuePage = (target: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${target}">` +
  `<title>Signing in…</title></head><body><p>Signing in… <a href="${target}">Continue</a></p></body></html>`;

export function oidcRoutes(deps: OidcRoutesDeps): RouteModule {
  return (app: FastifyInstance): void => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();

    r.get(
      '/auth/oidc/start',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with the single sign-on provider (redirects to it)',
          security: [],
          querystring: Type.Object({}, { additionalProperties: false }),
          response: { 302: Type.Null({ description: 'Redirect to the identity provider' }) },
        },
      },
      async (req, reply) => {
        const { location, cookie } = await deps.oidc.start(requestMeta(req));
        void reply.setCookie(OIDC_COOKIE, cookie, OIDC_COOKIE_OPTIONS);
        return reply.code(302).header('location', location).send(null);
      },
    );

    r.get(
      '/auth/oidc/callback',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'Where the single sign-on provider returns the browser',
          description:
            'Sets the session cookie (full, pending a local second factor, or account setup) and continues to the ' +
            'app, which reads GET /api/v1/auth/session to know which.',
          security: [],
          querystring: CallbackQuery,
          response: { 200: Type.String({ description: 'A page that continues to the app' }) },
        },
      },
      async (req, reply) => {
        const ctx = await signInContext(req, deps.deviceCookies);
        const url = new URL(req.url, deps.publicUrl);
        const cookie = req.cookies[OIDC_COOKIE];
        void reply.clearCookie(OIDC_COOKIE, OIDC_COOKIE_OPTIONS);
        const result = await deps.oidc.finish(url, cookie, ctx);
        signInReply(reply, result);
        const target = result.state === 'full' ? '/' : '/login';
        return reply.type('text/html; charset=utf-8').send(continuePage(target));
      },
    );
  };
}
