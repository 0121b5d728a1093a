import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../../http/auth.js';
import { IdParams } from '../records/record-schema.js';
import { parseIfMatch } from '../../platform/if-match.js';
import { STAGE_KINDS, type PipelineService, type StageInput } from './pipeline.service.js';

const StageSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    position: Type.Integer(),
    probability: Type.Integer(),
    kind: Type.String(),
  },
  { additionalProperties: false },
);
const PipelineSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    position: Type.Integer(),
    isDefault: Type.Boolean(),
    stages: Type.Array(StageSchema),
    version: Type.Integer(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { additionalProperties: false },
);
const StageInputSchema = Type.Object(
  {
    id: Type.Optional(Type.String({ format: 'uuid' })),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    probability: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    kind: Type.Optional(Type.Union(STAGE_KINDS.map((k) => Type.Literal(k)))),
  },
  { additionalProperties: false },
);
const tags = ['Pipelines'];

export function pipelineRoutes(service: PipelineService) {
  return (app: FastifyInstance): void => {
    app.get(
      '/pipelines',
      {
        schema: {
          tags,
          summary: 'Pipelines with their ordered stages',
          response: { 200: Type.Object({ items: Type.Array(PipelineSchema) }, { additionalProperties: false }) },
        },
      },
      async (req) => ({ items: await service.list(actorOf(req)) }),
    );
    app.post(
      '/pipelines',
      {
        schema: {
          tags,
          summary: 'Create a pipeline',
          body: Type.Object(
            {
              name: Type.String({ minLength: 1, maxLength: 200 }),
              stages: Type.Array(StageInputSchema, { minItems: 1, maxItems: 50 }),
            },
            { additionalProperties: false },
          ),
          response: { 201: PipelineSchema },
        },
      },
      async (req, reply) => {
        const p = await service.create(actorOf(req), req.body as { name: string; stages: StageInput[] });
        return reply.code(201).header('etag', `"${p.version}"`).send(p);
      },
    );
    app.get(
      '/pipelines/:id',
      { schema: { tags, summary: 'Get a pipeline', params: IdParams, response: { 200: PipelineSchema } } },
      async (req, reply) => {
        const p = await service.get(actorOf(req), (req.params as { id: string }).id);
        void reply.header('etag', `"${p.version}"`);
        return p;
      },
    );
    app.patch(
      '/pipelines/:id',
      {
        schema: {
          tags,
          summary: 'Rename a pipeline or replace its ordered stages (keep a stage by sending its id)',
          params: IdParams,
          body: Type.Object(
            {
              name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
              stages: Type.Optional(Type.Array(StageInputSchema, { minItems: 1, maxItems: 50 })),
              version: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
            },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: PipelineSchema },
        },
      },
      async (req, reply) => {
        const p = await service.update(
          actorOf(req),
          (req.params as { id: string }).id,
          req.body as { name?: string; stages?: StageInput[]; version?: number },
          parseIfMatch(req),
        );
        void reply.header('etag', `"${p.version}"`);
        return p;
      },
    );
    app.delete(
      '/pipelines/:id',
      { schema: { tags, summary: 'Delete an unused, non-default pipeline', params: IdParams } },
      async (req, reply) => {
        await service.remove(actorOf(req), (req.params as { id: string }).id);
        return reply.code(204).send();
      },
    );
  };
}
