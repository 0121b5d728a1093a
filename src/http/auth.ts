import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../platform/app-error.js';
import type { Actor } from '../security/access/actor.js';
import { clientIp } from './client-ip.js';

export const SESSION_COOKIE = '__Host-separ_session';
export const CSRF_HEADER = 'x-csrf-token';

export interface RequestMeta {
  ip: string;
  userAgent: string | null;
  requestId: string;
}

/**
 * `full`: signed in. `pending`: the password (or SSO) was right and a second factor is due. `restricted`: signed
 * in, but the account must first be set up (enrol the MFA the policy requires, change a password an
 * administrator chose), so the session may only do that.
 */
export type SessionKind = 'full' | 'pending' | 'restricted';

export interface SessionResolution {
  actor: Actor;
  csrfToken: string;
  kind: SessionKind;
  /** When the user last proved who they are in this session (sign-in, MFA or step-up), ISO 8601. */
  authenticatedAt: string;
  /** Whether `authenticatedAt` is within the step-up window (decided by identity, with its clock). */
  recentlyAuthenticated: boolean;
}

/** How the request was authenticated, for routes that decide on it (step-up, interactive-only actions). */
export interface RequestAuth {
  via: 'session' | 'token';
  sessionKind: SessionKind | null;
  authenticatedAt: string | null;
  /** Sessions: authenticated within the step-up window. API tokens are not interactive and count as recent. */
  recentlyAuthenticated: boolean;
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
    auth: RequestAuth | null;
  }
  interface FastifyContextConfig {
    /** Route answers without credentials (login, health). */
    public?: boolean;
    /** Session kinds besides `full` that this route accepts (deny by default). */
    sessionKinds?: readonly ('pending' | 'restricted')[];
    /** A sensitive action: a session must have authenticated within the step-up window (tokens are exempt). */
    stepUp?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const requestMeta = (req: FastifyRequest): RequestMeta => ({
  ip: clientIp(req),
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
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (req) => {
    // Deny by default: every route needs credentials unless it is declared public. (Matching on the
    // raw URL would miss percent-encoded or absolute-form spellings the router still resolves.)
    if (req.routeOptions.config.public === true) return;
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
      req.auth = { via: 'token', sessionKind: null, authenticatedAt: null, recentlyAuthenticated: true };
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
    const config = req.routeOptions.config;
    if (session.kind !== 'full' && !(config.sessionKinds ?? []).includes(session.kind)) {
      throw session.kind === 'pending' ? mfaRequired() : accountSetupRequired();
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
    req.auth = {
      via: 'session',
      sessionKind: session.kind,
      authenticatedAt: session.authenticatedAt,
      recentlyAuthenticated: session.recentlyAuthenticated,
    };
    if (config.stepUp === true) requireStepUp(req);
  });
}

function mfaRequired(): AppError {
  return new AppError('SEPAR_ERR_MFA_REQUIRED', 'Second factor required', {
    detail: 'Finish signing in: answer the second-factor challenge (POST /api/v1/auth/mfa/…).',
  });
}

function accountSetupRequired(): AppError {
  return new AppError('SEPAR_ERR_ACCOUNT_SETUP_REQUIRED', 'Account setup required', {
    detail:
      'Finish setting up your account first: enrol multi-factor authentication (/api/v1/me/mfa) and, if asked, ' +
      'change your password (/api/v1/me/password). GET /api/v1/auth/session says what is left.',
  });
}

/**
 * Sensitive actions (export, reveal, role/permission and key changes, MFA changes) need a session that proved
 * who it is within the step-up window; otherwise 401 SEPAR_ERR_STEP_UP_REQUIRED (RFC 9470 style). API tokens
 * are not interactive and pass.
 */
export function requireStepUp(req: FastifyRequest): void {
  const auth = req.auth;
  if (auth?.recentlyAuthenticated === true) return;
  throw new AppError('SEPAR_ERR_STEP_UP_REQUIRED', 'Recent authentication required', {
    detail: 'This action needs a recent sign-in: confirm it is you with POST /api/v1/auth/step-up, then retry.',
    headers: { 'www-authenticate': 'Bearer error="insufficient_user_authentication"' },
  });
}

/** The authenticated actor of a non-public route (the auth hook guarantees it). */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('SEPAR_ERR_UNAUTHENTICATED', 'Unauthenticated', { detail: 'Sign in first.' });
  return req.actor;
}
