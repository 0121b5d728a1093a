import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../../../http/auth.js';
import type { RouteModule } from '../../../http/app.js';
import { NoQuery } from '../common.schema.js';
import { PREFERENCE_LIMITS, PreferencesSchema, PreferencesView } from './preferences.schema.js';
import type { PreferencesService } from './preferences.service.js';

/** GET/PUT /me/preferences: the caller's own UI preferences, remembered across browsers. */
export function preferencesRoutes(deps: { preferences: PreferencesService }): RouteModule {
  return (app: FastifyInstance): void => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    r.get(
      '/me/preferences',
      {
        schema: {
          tags: ['me'],
          summary: 'Your UI preferences (language, saved list views)',
          querystring: NoQuery,
          response: { 200: PreferencesView },
        },
      },
      async (req) => deps.preferences.get(actorOf(req)),
    );
    r.put(
      '/me/preferences',
      {
        bodyLimit: PREFERENCE_LIMITS.bodyBytes,
        schema: {
          tags: ['me'],
          summary: 'Replace your UI preferences',
          description:
            `The whole document: \`language\` (en or fa) and \`savedViews\` per list (at most ${PREFERENCE_LIMITS.lists} ` +
            `lists of ${PREFERENCE_LIMITS.viewsPerList} views; each a name, columns, filters, sort and search text). ` +
            `Unknown fields answer 400; a body over ${PREFERENCE_LIMITS.bodyBytes / 1024} KiB answers 413.`,
          querystring: NoQuery,
          body: PreferencesSchema,
          response: { 200: PreferencesView },
        },
      },
      async (req) => deps.preferences.put(actorOf(req), req.body),
    );
  };
}
