import type { Authenticator, RequestMeta, SessionResolution } from '../../http/auth.js';
import type { Actor } from '../access/actor.js';
import type { SessionService } from './session.service.js';
import type { TokenService } from './token.service.js';

/**
 * Turns a credential into an actor for the HTTP layer: a bearer token into a token actor, a session cookie into a
 * user actor plus the session's CSRF token, kind (full, pending, restricted) and last authentication. Roles are
 * read from user_roles on every request (in the credential's query), so a role change takes effect at once. The
 * HTTP hook lets a pending or restricted session reach only the routes that accept it.
 */
export class IdentityAuthenticator implements Authenticator {
  constructor(
    private readonly sessions: SessionService,
    private readonly tokens: TokenService,
  ) {}

  fromBearer(token: string, meta: RequestMeta): Promise<Actor | null> {
    return this.tokens.resolve(token, meta);
  }

  async fromSession(cookieValue: string, meta: RequestMeta): Promise<SessionResolution | null> {
    const session = await this.sessions.resolve(cookieValue, meta);
    if (!session) return null;
    const actor: Actor = {
      kind: 'user',
      userId: session.userId,
      roles: session.roles,
      sessionId: session.id,
      tokenId: null,
      scopes: null,
      ip: meta.ip,
      userAgent: meta.userAgent,
      requestId: meta.requestId,
    };
    return {
      actor,
      csrfToken: session.csrfToken,
      kind: session.kind,
      authenticatedAt: session.authenticatedAt,
      recentlyAuthenticated: session.recentlyAuthenticated,
    };
  }
}
