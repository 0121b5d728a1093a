import { forbidden } from '../../platform/app-error.js';
import type { Actor } from '../access/actor.js';

/**
 * Managing one's own account (password, sessions, API tokens) needs a signed-in session or an API token with the
 * owner's full permissions; a token scoped down to, say, contacts:read cannot mint itself a broader token or end
 * its owner's sessions.
 */
export function requireAccountAccess(actor: Actor): void {
  if (actor.kind !== 'token') return;
  if (actor.scopes === null || actor.scopes.includes('*')) return;
  throw forbidden(
    'This API token is scoped; managing passwords, sessions and tokens needs a signed-in session or an unscoped token.',
  );
}

/** Only people have accounts to manage; the system actor acts on users by id instead. */
export function isPerson(actor: Actor): boolean {
  return actor.kind === 'user' || actor.kind === 'token';
}
