import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../platform/app-error.js';
import type { Actor } from '../security/access/actor.js';

export const SESSION_COOKIE = '__Host-separ_session';
export const CSRF_HEADER = 'x-csrf-token';

export interface RequestMeta {
  ip: string;
  userAgent: string | null;
  requestId: string;
}

export interface SessionResolution {
  actor: Actor;
  csrfToken: string;
}

/** What the HTTP layer needs from identity: turn a credential into an actor, or refuse. */
export interface Authenticator {
  fromBearer(token: string, meta: RequestMeta): Promise<Actor | null>;
  fromSession(cookieValue: string, meta: RequestMeta): Promise<SessionResolution | null>;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    csrfToken: string | null;
  }
  interface FastifyContextConfig {
    /** Route answers without credentials (login, health). */
    public?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const requestMeta = (req: FastifyRequest): RequestMeta => ({
  ip: req.ip,
  userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'].slice(0, 512) : null,
  requestId: req.id,
});

function sameString(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/**
 * A cookie-authenticated state change must come from our own origin: the Origin header (when the
 * browser sends one) must be ours, Sec-Fetch-Site must not be cross-site, and the per-session CSRF
 * token must be echoed in X-CSRF-Token (synchronizer token; SameSite=Strict is defence in depth).
 */
export function checkSameOrigin(req: FastifyRequest, publicOrigin: string): void {
  const origin = req.headers.origin;
  const site = req.headers['sec-fetch-site'];
  if (typeof origin === 'string' && origin !== 'null' && origin !== publicOrigin) {
    throw new AppError('SEPAR_ERR_CSRF', 'Cross-site request refused', {
      detail: 'The request came from another origin.',
    });
  }
  if (origin === 'null' || site === 'cross-site') {
    throw new AppError('SEPAR_ERR_CSRF', 'Cross-site request refused', {
      detail: 'The request came from another site.',
    });
  }
}

export function registerAuth(app: FastifyInstance, auth: Authenticator, publicOrigin: string): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('csrfToken', null);
  app.addHook('onRequest', async (req) => {
    if (req.routeOptions.config.public === true) return;
    if (!req.url.startsWith('/api/')) return;
    const meta = requestMeta(req);
    const authz = req.headers.authorization;
    if (typeof authz === 'string' && authz.length > 0) {
      const m = /^Bearer ([A-Za-z0-9_\-.~+/]{16,256}=*)$/.exec(authz);
      const actor = m?.[1] ? await auth.fromBearer(m[1], meta) : null;
      if (!actor) {
        throw new AppError('SEPAR_ERR_UNAUTHENTICATED', 'Unauthenticated', {
          detail: 'The API token is invalid, expired or revoked.',
          headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
        });
      }
      req.actor = actor;
      return;
    }
    const cookie = req.cookies[SESSION_COOKIE];
    const session = cookie ? await auth.fromSession(cookie, meta) : null;
    if (!session) {
      throw new AppError('SEPAR_ERR_UNAUTHENTICATED', 'Unauthenticated', {
        detail: 'Sign in, or send an API token as Authorization: Bearer <token>.',
        headers: { 'www-authenticate': 'Bearer' },
      });
    }
    if (!SAFE_METHODS.has(req.method)) {
      checkSameOrigin(req, publicOrigin);
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameString(sent, session.csrfToken)) {
        throw new AppError('SEPAR_ERR_CSRF', 'CSRF token missing or wrong', {
          detail: `State-changing requests made with a session cookie must send the ${CSRF_HEADER} header.`,
        });
      }
    }
    req.actor = session.actor;
    req.csrfToken = session.csrfToken;
  });
}

/** The authenticated actor of a non-public route (the auth hook guarantees it). */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('SEPAR_ERR_UNAUTHENTICATED', 'Unauthenticated', { detail: 'Sign in first.' });
  return req.actor;
}
