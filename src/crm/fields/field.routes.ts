import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../../http/auth.js';
import { bestFieldMode, FIELD_MODES, queryFieldMode } from '../../security/access/index.js';
import {
  CLASSIFICATIONS,
  CRM_OBJECTS,
  CUSTOM_FIELD_TYPES,
  type CrmObjectName,
} from '../../security/classification/index.js';
import { IdParams } from '../records/record-schema.js';
import { parseIfMatch } from '../../platform/if-match.js';
import type { CreateFieldInput, FieldService, UpdateFieldInput } from './field.service.js';

const lit = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

const FieldSchema = Type.Object(
  {
    id: Type.String(),
    object: Type.String(),
    key: Type.String(),
    label: Type.String(),
    type: Type.String(),
    classification: lit(CLASSIFICATIONS),
    builtin: Type.Boolean(),
    searchable: Type.Boolean(),
    required: Type.Boolean(),
    options: Type.Array(Type.String()),
    position: Type.Integer(),
    version: Type.Integer(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
    /** In the list only: how the caller sees this field at best (none: unusable in filters, sort and columns). */
    mode: Type.Optional(lit(FIELD_MODES)),
    /**
     * In the list only: the mode that holds on every record the caller can read, which is what filters, sort and
     * search need (it is lower than `mode` when two roles of different reach disagree about the field).
     */
    queryMode: Type.Optional(lit(FIELD_MODES)),
  },
  { additionalProperties: false },
);

const tags = ['Fields'];

export function fieldRoutes(service: FieldService) {
  return (app: FastifyInstance): void => {
    app.get(
      '/fields',
      {
        schema: {
          tags,
          summary: 'The field registry: built-in and custom fields with their classification',
          querystring: Type.Object({ object: Type.Optional(lit(CRM_OBJECTS)) }, { additionalProperties: false }),
          response: { 200: Type.Object({ items: Type.Array(FieldSchema) }, { additionalProperties: false }) },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        const items = await service.list(actor, (req.query as { object?: CrmObjectName }).object);
        // Presentation only: the list APIs still refuse (403) a filter or sort on a field the caller cannot read.
        return {
          items: items.map((f) => {
            const key = f.builtin ? f.key : `custom.${f.key}`;
            return {
              ...f,
              mode: bestFieldMode(actor, f.object, key, f.classification),
              queryMode: queryFieldMode(actor, f.object, key, f.classification),
            };
          }),
        };
      },
    );
    app.post(
      '/fields',
      {
        schema: {
          tags,
          summary: 'Create a custom field',
          body: Type.Object(
            {
              object: lit(CRM_OBJECTS),
              key: Type.String({ minLength: 1, maxLength: 63 }),
              label: Type.String({ minLength: 1, maxLength: 200 }),
              type: lit(CUSTOM_FIELD_TYPES),
              classification: lit(CLASSIFICATIONS),
              searchable: Type.Optional(Type.Boolean()),
              required: Type.Optional(Type.Boolean()),
              options: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 100 })),
            },
            { additionalProperties: false },
          ),
          response: { 201: FieldSchema },
        },
      },
      async (req, reply) => {
        const f = await service.create(actorOf(req), req.body as CreateFieldInput);
        return reply.code(201).header('etag', `"${f.version}"`).send(f);
      },
    );
    app.get(
      '/fields/:id',
      { schema: { tags, summary: 'Get a field', params: IdParams, response: { 200: FieldSchema } } },
      async (req, reply) => {
        const f = await service.get(actorOf(req), (req.params as { id: string }).id);
        void reply.header('etag', `"${f.version}"`);
        return f;
      },
    );
    app.patch(
      '/fields/:id',
      {
        schema: {
          tags,
          summary: 'Change a field (label, classification, searchability; options and required for custom fields)',
          params: IdParams,
          body: Type.Object(
            {
              label: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
              classification: Type.Optional(lit(CLASSIFICATIONS)),
              searchable: Type.Optional(Type.Boolean()),
              required: Type.Optional(Type.Boolean()),
              options: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 100 })),
              version: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
            },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: FieldSchema },
        },
      },
      async (req, reply) => {
        const f = await service.update(
          actorOf(req),
          (req.params as { id: string }).id,
          req.body as UpdateFieldInput,
          parseIfMatch(req),
        );
        void reply.header('etag', `"${f.version}"`);
        return f;
      },
    );
    app.delete(
      '/fields/:id',
      { schema: { tags, summary: 'Delete a custom field (its values are hidden)', params: IdParams } },
      async (req, reply) => {
        await service.remove(actorOf(req), (req.params as { id: string }).id);
        return reply.code(204).send();
      },
    );
  };
}
