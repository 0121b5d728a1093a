import type { FastifyInstance } from 'fastify';
import type { Actor } from '../security/access/actor.js';

/** After authentication: resolve the actor's permissions for this request (roles, IP rules, teams, token scopes). */
export function registerAccessResolution(app: FastifyInstance, resolve: (actor: Actor) => Promise<Actor>): void {
  app.addHook('onRequest', async (req) => {
    if (req.actor) req.actor = await resolve(req.actor);
  });
}
