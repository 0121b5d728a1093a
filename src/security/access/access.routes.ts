import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { parseIfMatch } from '../../platform/if-match.js';
import { actorOf } from '../../http/auth.js';
import { RolePolicySchema } from './policy-schema.js';
import type { RolePolicy } from './policy.js';
import type { RoleService } from './role.service.js';
import type { TeamMember, TeamService } from './team.service.js';
import { accessOf } from './access.service.js';

const Uuid = Type.String({ format: 'uuid' });
const RoleId = Type.String({ pattern: '^[a-z][a-z0-9-]{1,39}$' });
const Version = Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 }));

const RoleSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Type.String(),
    builtin: Type.Boolean(),
    policy: RolePolicySchema,
    version: Type.Integer(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { additionalProperties: false },
);
const Member = Type.Object(
  { userId: Uuid, role: Type.Union([Type.Literal('member'), Type.Literal('manager')]) },
  { additionalProperties: false },
);
const TeamSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    members: Type.Array(Member),
    version: Type.Integer(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { additionalProperties: false },
);

/** Role policies (object, field and record permissions, reveal, capabilities, IP allowlists) and teams. */
export function accessRoutes(deps: { roles: RoleService; teams: TeamService }) {
  return (app: FastifyInstance): void => {
    const tags = ['Access control'];
    app.get(
      '/me/access',
      {
        schema: {
          tags,
          summary: 'Your effective permissions for this request (roles allowed from this network, token scopes)',
          response: {
            200: Type.Object(
              {
                objects: Type.Record(
                  Type.String(),
                  Type.Object({ ops: Type.Array(Type.String()), scope: Type.Union([Type.String(), Type.Null()]) }),
                ),
                capabilities: Type.Array(Type.String()),
              },
              { additionalProperties: false },
            ),
          },
        },
      },
      async (req) => accessOf(actorOf(req)).summary(),
    );
    app.get(
      '/roles/:id',
      {
        schema: {
          tags,
          summary: 'A role and its policy',
          params: Type.Object({ id: RoleId }),
          response: { 200: RoleSchema },
        },
      },
      async (req, reply) => {
        const r = await deps.roles.get(actorOf(req), (req.params as { id: string }).id);
        void reply.header('etag', `"${r.version}"`);
        return r;
      },
    );
    app.post(
      '/roles',
      {
        schema: {
          tags,
          summary: 'Create a custom role (it grants nothing it does not list)',
          body: Type.Object(
            {
              id: RoleId,
              name: Type.String({ minLength: 1, maxLength: 100 }),
              description: Type.Optional(Type.String({ maxLength: 500 })),
              policy: RolePolicySchema,
            },
            { additionalProperties: false },
          ),
          response: { 201: RoleSchema },
        },
      },
      async (req, reply) => {
        const r = await deps.roles.create(
          actorOf(req),
          req.body as { id: string; name: string; description?: string; policy: RolePolicy },
        );
        return reply.code(201).header('etag', `"${r.version}"`).send(r);
      },
    );
    app.patch(
      '/roles/:id',
      {
        config: { stepUp: true },
        schema: {
          tags,
          summary: 'Change a role (its holders get the new permissions within seconds)',
          params: Type.Object({ id: RoleId }),
          body: Type.Object(
            {
              name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
              description: Type.Optional(Type.String({ maxLength: 500 })),
              policy: Type.Optional(RolePolicySchema),
              version: Version,
            },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: RoleSchema },
        },
      },
      async (req, reply) => {
        const r = await deps.roles.update(
          actorOf(req),
          (req.params as { id: string }).id,
          req.body as { name?: string; policy?: RolePolicy; version?: number },
          parseIfMatch(req),
        );
        void reply.header('etag', `"${r.version}"`);
        return r;
      },
    );
    app.delete(
      '/roles/:id',
      {
        config: { stepUp: true },
        schema: { tags, summary: 'Delete an unused custom role', params: Type.Object({ id: RoleId }) },
      },
      async (req, reply) => {
        await deps.roles.remove(actorOf(req), (req.params as { id: string }).id);
        return reply.code(204).send();
      },
    );

    app.get(
      '/teams',
      {
        schema: {
          tags,
          summary: 'Teams and their members',
          response: { 200: Type.Object({ items: Type.Array(TeamSchema) }, { additionalProperties: false }) },
        },
      },
      async (req) => ({
        items: await deps.teams.list(actorOf(req)),
      }),
    );
    app.get(
      '/teams/:id',
      { schema: { tags, summary: 'A team', params: Type.Object({ id: Uuid }), response: { 200: TeamSchema } } },
      async (req) => deps.teams.get(actorOf(req), (req.params as { id: string }).id),
    );
    app.post(
      '/teams',
      {
        schema: {
          tags,
          summary: 'Create a team',
          body: Type.Object(
            { name: Type.String({ minLength: 1, maxLength: 100 }), members: Type.Array(Member, { maxItems: 500 }) },
            { additionalProperties: false },
          ),
          response: { 201: TeamSchema },
        },
      },
      async (req, reply) =>
        reply
          .code(201)
          .send(await deps.teams.create(actorOf(req), req.body as { name: string; members: TeamMember[] })),
    );
    app.patch(
      '/teams/:id',
      {
        schema: {
          tags,
          summary: 'Rename a team or replace its members',
          params: Type.Object({ id: Uuid }),
          body: Type.Object(
            {
              name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
              members: Type.Optional(Type.Array(Member, { maxItems: 500 })),
              version: Version,
            },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: TeamSchema },
        },
      },
      async (req) =>
        deps.teams.update(
          actorOf(req),
          (req.params as { id: string }).id,
          req.body as { name?: string; members?: TeamMember[]; version?: number },
          parseIfMatch(req),
        ),
    );
    app.delete(
      '/teams/:id',
      { schema: { tags, summary: 'Delete a team', params: Type.Object({ id: Uuid }) } },
      async (req, reply) => {
        await deps.teams.remove(actorOf(req), (req.params as { id: string }).id);
        return reply.code(204).send();
      },
    );
  };
}
