import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { parseIfMatch } from '../../platform/if-match.js';
import { actorOf } from '../../http/auth.js';
import type { RecordService } from './record.service.js';
import type { TimelineService } from '../timeline/timeline.service.js';
import type { RevealService } from './reveal.service.js';
import type { ListQuery } from './record-list.js';
import type { ExportFormat } from './record-export.js';
import {
  IdParams,
  createBodySchema,
  exportQuerySchema,
  listQuerySchema,
  listResponseSchema,
  recordResponseSchema,
  updateBodySchema,
} from './record-schema.js';

/** The REST routes of one CRM object, generated from its definition. */
export function recordRoutes(service: RecordService, timeline: TimelineService | null, reveal: RevealService) {
  const def = service.definition;
  const item = recordResponseSchema(def);
  const tags = [def.label];
  const base = `/${def.name}`;
  return (app: FastifyInstance): void => {
    app.get(
      base,
      {
        schema: {
          tags,
          summary: `List ${def.name}`,
          querystring: listQuerySchema(def),
          response: { 200: listResponseSchema(item) },
        },
      },
      async (req) => service.list(actorOf(req), req.query as ListQuery),
    );
    // Registered before `${base}/:id` is looked up: a static segment wins over the id parameter in Fastify's router.
    app.get(
      `${base}/export`,
      {
        schema: {
          tags,
          summary: `Export the ${def.name} you may list, as CSV or JSON lines (needs the export permission; audited)`,
          querystring: exportQuerySchema(def),
          response: { 200: Type.String({ description: 'The file (text/csv or application/x-ndjson)' }) },
        },
      },
      async (req, reply) => {
        const { format = 'csv', ...query } = req.query as ListQuery & { format?: ExportFormat };
        const file = await service.export(actorOf(req), query, format);
        return reply
          .header('content-type', file.contentType)
          .header('content-disposition', `attachment; filename="${file.filename}"`)
          .header('cache-control', 'no-store')
          .header('x-separ-export-rows', String(file.rows))
          .send(file.body);
      },
    );
    app.post(
      base,
      { schema: { tags, summary: `Create a ${def.singular}`, body: createBodySchema(def), response: { 201: item } } },
      async (req, reply) => {
        const rec = await service.create(actorOf(req), req.body as Record<string, unknown>);
        void reply.header('etag', `"${String(rec.version)}"`).header('location', `/api/v1${base}/${String(rec.id)}`);
        return reply.code(201).send(rec);
      },
    );
    app.get(
      `${base}/:id`,
      { schema: { tags, summary: `Get a ${def.singular}`, params: IdParams, response: { 200: item } } },
      async (req, reply) => {
        const rec = await service.get(actorOf(req), (req.params as { id: string }).id);
        void reply.header('etag', `"${String(rec.version)}"`);
        return rec;
      },
    );
    app.patch(
      `${base}/:id`,
      {
        schema: {
          tags,
          summary: `Update a ${def.singular} (If-Match or version required)`,
          params: IdParams,
          body: updateBodySchema(def),
          response: { 200: item },
        },
      },
      async (req, reply) => {
        const body = req.body as Record<string, unknown>;
        const rec = await service.update(actorOf(req), (req.params as { id: string }).id, body, {
          ifMatch: parseIfMatch(req),
          bodyVersion: typeof body.version === 'number' ? body.version : undefined,
        });
        void reply.header('etag', `"${String(rec.version)}"`);
        return rec;
      },
    );
    app.delete(
      `${base}/:id`,
      { schema: { tags, summary: `Move a ${def.singular} to the trash`, params: IdParams } },
      async (req, reply) => {
        await service.remove(actorOf(req), (req.params as { id: string }).id, { ifMatch: parseIfMatch(req) });
        return reply.code(204).send();
      },
    );
    app.post(
      `${base}/:id/restore`,
      {
        schema: {
          tags,
          summary: `Restore a ${def.singular} from the trash`,
          params: IdParams,
          response: { 200: item },
        },
      },
      async (req) => service.restore(actorOf(req), (req.params as { id: string }).id),
    );
    app.post(
      `${base}/:id/reveal`,
      {
        schema: {
          tags,
          summary: `Reveal masked fields of a ${def.singular}, with a reason (audited; card data needs a recent sign-in)`,
          params: IdParams,
          body: Type.Object(
            {
              fields: Type.Array(Type.String({ minLength: 1, maxLength: 80 }), {
                minItems: 1,
                maxItems: 20,
                uniqueItems: true,
              }),
              reason: Type.String({ minLength: 1, maxLength: 500 }),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object(
              {
                id: Type.String(),
                fields: Type.Record(
                  Type.String(),
                  Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
                ),
              },
              { additionalProperties: false },
            ),
          },
        },
      },
      async (req, reply) => {
        const body = req.body as { fields: string[]; reason: string };
        const out = await reveal.reveal(actorOf(req), (req.params as { id: string }).id, {
          ...body,
          recentlyAuthenticated: req.auth?.recentlyAuthenticated === true,
          interactive: req.auth?.via === 'session',
        });
        void reply.header('cache-control', 'no-store');
        return out;
      },
    );
    if (timeline) {
      app.get(
        `${base}/:id/timeline`,
        {
          schema: {
            tags,
            summary: `Activities of a ${def.singular}, newest first`,
            params: IdParams,
            querystring: Type.Object(
              {
                limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
                cursor: Type.Optional(Type.String({ maxLength: 2048 })),
              },
              { additionalProperties: false },
            ),
            response: { 200: listResponseSchema(timeline.itemSchema) },
          },
        },
        async (req) => {
          const q = req.query as { limit?: number; cursor?: string };
          return timeline.timeline(actorOf(req), def.name, (req.params as { id: string }).id, q.limit ?? 50, q.cursor);
        },
      );
    }
  };
}
